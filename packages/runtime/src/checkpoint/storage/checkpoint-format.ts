/**
 * The checkpoint file format: every object a checkpoint writes (data and `_metadata`) is framed
 * by a fixed header that makes damage detectable.
 *
 * Invariant: {@link decodeCheckpointFile} returns a payload only if it is byte for byte the one
 * {@link encodeCheckpointFile} framed; wrong magic, an unknown version, truncation, trailing bytes
 * and checksum mismatches all throw a {@link CheckpointFormatError} that names the object.
 *
 * Version 1 layout (big-endian), pinned by a golden test in `checkpoint-format.test.ts`:
 * ```text
 * offset  size  field
 *      0     8  magic "WEIRCKPT"
 *      8     4  format version (1)
 *     12     8  payload length in bytes
 *     20    32  SHA-256 of the payload
 *     52     n  payload
 * ```
 * Bump the version for any layout change, and keep decoding the old ones (D22).
 * @module
 */

import { createHash } from "node:crypto";

export const CHECKPOINT_FILE_MAGIC = new Uint8Array([0x57, 0x45, 0x49, 0x52, 0x43, 0x4b, 0x50, 0x54]);
export const CHECKPOINT_FILE_VERSION = 1;
export const SUPPORTED_CHECKPOINT_FILE_VERSIONS: readonly number[] = [1];
export const CHECKPOINT_FILE_HEADER_BYTES = 52;

const VERSION_OFFSET = 8;
const LENGTH_OFFSET = 12;
const CHECKSUM_OFFSET = 20;
const CHECKSUM_BYTES = 32;

export type CheckpointFormatProblem =
  | "bad-magic"
  | "unsupported-version"
  | "truncated"
  | "trailing-bytes"
  | "checksum-mismatch"
  /** The payload of a `_metadata` file is not metadata this build understands. */
  | "invalid-metadata";

/** A checkpoint file that cannot be trusted; `where` names the object (its key). */
export class CheckpointFormatError extends Error {
  override name = "CheckpointFormatError";
  readonly problem: CheckpointFormatProblem;
  readonly where: string;

  constructor(problem: CheckpointFormatProblem, where: string, detail: string) {
    super(`checkpoint file ${JSON.stringify(where)}: ${detail}`);
    this.problem = problem;
    this.where = where;
  }
}

/** A decoded file: the payload (a view into the input) and its verified SHA-256 in hex. */
export interface CheckpointFile {
  readonly payload: Uint8Array;
  readonly sha256: string;
}

/** Frames `payload` as a version-1 checkpoint file. */
export function encodeCheckpointFile(payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(CHECKPOINT_FILE_HEADER_BYTES + payload.byteLength);
  const view = new DataView(bytes.buffer);
  bytes.set(CHECKPOINT_FILE_MAGIC, 0);
  view.setUint32(VERSION_OFFSET, CHECKPOINT_FILE_VERSION);
  view.setBigUint64(LENGTH_OFFSET, BigInt(payload.byteLength));
  bytes.set(sha256(payload), CHECKSUM_OFFSET);
  bytes.set(payload, CHECKPOINT_FILE_HEADER_BYTES);
  return bytes;
}

/** Checks and unframes a checkpoint file read from `where`; throws {@link CheckpointFormatError}. */
export function decodeCheckpointFile(bytes: Uint8Array, where: string): CheckpointFile {
  const magic = CHECKPOINT_FILE_MAGIC;
  const seen = bytes.subarray(0, magic.length);
  if (!seen.every((byte, i) => byte === magic[i])) {
    throw new CheckpointFormatError(
      "bad-magic",
      where,
      `not a Weir checkpoint file (starts with ${hex(seen)})`,
    );
  }
  // Magic first, version next: a later version may have a different header, so nothing else is read
  // before the version is known.
  if (bytes.byteLength < LENGTH_OFFSET) {
    throw new CheckpointFormatError(
      "truncated",
      where,
      `truncated: ${bytes.byteLength} bytes, shorter than the ${CHECKPOINT_FILE_HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(VERSION_OFFSET);
  if (!SUPPORTED_CHECKPOINT_FILE_VERSIONS.includes(version)) {
    throw new CheckpointFormatError(
      "unsupported-version",
      where,
      `format version ${version} is not supported (this build reads ${SUPPORTED_CHECKPOINT_FILE_VERSIONS.join(", ")}); ` +
        "was it written by a newer Weir?",
    );
  }
  if (bytes.byteLength < CHECKPOINT_FILE_HEADER_BYTES) {
    throw new CheckpointFormatError(
      "truncated",
      where,
      `truncated: ${bytes.byteLength} bytes, shorter than the ${CHECKPOINT_FILE_HEADER_BYTES}-byte header`,
    );
  }
  const declared = view.getBigUint64(LENGTH_OFFSET);
  const actual = BigInt(bytes.byteLength - CHECKPOINT_FILE_HEADER_BYTES);
  if (declared > actual) {
    throw new CheckpointFormatError(
      "truncated",
      where,
      `truncated: header declares a ${declared}-byte payload, only ${actual} bytes follow`,
    );
  }
  if (declared < actual) {
    throw new CheckpointFormatError(
      "trailing-bytes",
      where,
      `${actual - declared} unexpected bytes after the declared ${declared}-byte payload`,
    );
  }
  // A plain view even when given a Buffer, whose `slice` would share memory where Uint8Array's copies.
  const payload = new Uint8Array(
    bytes.buffer,
    bytes.byteOffset + CHECKPOINT_FILE_HEADER_BYTES,
    Number(declared),
  );
  const stored = storedChecksum(bytes);
  const computed = hex(sha256(payload));
  if (stored !== computed) {
    throw new CheckpointFormatError(
      "checksum-mismatch",
      where,
      `checksum mismatch: header says SHA-256 ${stored}, the ${payload.byteLength}-byte payload hashes to ${computed}`,
    );
  }
  return { payload, sha256: computed };
}

/**
 * The SHA-256 a file's header claims, unverified: for the writer, which has just computed it in
 * {@link encodeCheckpointFile} and should not hash the payload twice.
 */
export function storedChecksum(file: Uint8Array): string {
  return hex(file.subarray(CHECKSUM_OFFSET, CHECKSUM_OFFSET + CHECKSUM_BYTES));
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
