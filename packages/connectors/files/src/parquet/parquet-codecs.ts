/**
 * Parquet compression codecs backed by Node's zlib: hyparquet and hyparquet-writer bring only
 * Snappy, so GZIP, BROTLI and ZSTD (Flink's `parquet.compression` values besides LZO and LZ4, which
 * have no implementation here) are supplied for both directions.
 * @module
 */

import {
  brotliCompressSync,
  brotliDecompressSync,
  gunzipSync,
  gzipSync,
  zstdCompressSync,
  zstdDecompressSync,
} from "node:zlib";

const bytes = (buffer: Buffer): Uint8Array =>
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** Compressors for hyparquet-writer (Snappy is built in). */
export const PARQUET_COMPRESSORS = {
  GZIP: (input: Uint8Array) => bytes(gzipSync(input)),
  BROTLI: (input: Uint8Array) => bytes(brotliCompressSync(input)),
  ZSTD: (input: Uint8Array) => bytes(zstdCompressSync(input)),
};

/** Decompressors for hyparquet (Snappy is built in). */
export const PARQUET_DECOMPRESSORS = {
  GZIP: (input: Uint8Array) => bytes(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => bytes(brotliDecompressSync(input)),
  ZSTD: (input: Uint8Array) => bytes(zstdDecompressSync(input)),
};
