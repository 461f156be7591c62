/**
 * A {@link BlobStore} in an S3 bucket (AWS or any S3-compatible server), under an optional prefix.
 *
 * Invariant: atomicity comes from S3 itself, where a single-object PUT becomes visible whole or not
 * at all, so this store never writes an object in parts. Missing objects (`NoSuchKey`) read as
 * absent; every other failure, including a missing bucket, rejects with the key and bucket named.
 * @module
 */

import { createHash } from "node:crypto";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  compareBlobKeys,
  InvalidBlobKeyError,
  isValidBlobKey,
  MAX_KEY_BYTES,
  validateBlobKey,
  validateBlobPrefix,
} from "./blob-key.ts";
import type { BlobStore } from "./blob-store.ts";

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** A key prefix inside the bucket (`jobs/orders/checkpoints`), validated like a key. Default none. */
  readonly prefix?: string;
  /** The endpoint of an S3-compatible server (`http://127.0.0.1:9000`). Default: AWS for the region. */
  readonly endpoint?: string;
  /** Default `us-east-1`, which S3-compatible servers conventionally accept. */
  readonly region?: string;
  /** Default: the AWS SDK's provider chain (environment, shared config, instance role). */
  readonly credentials?: S3Credentials;
  /**
   * Path-style URLs (`endpoint/bucket/key`). Default: on when `endpoint` is set, since most
   * S3-compatible servers have no per-bucket DNS names; off for AWS, which prefers virtual hosts.
   */
  readonly forcePathStyle?: boolean;
  /**
   * The SDK's flexible checksums. Default `WHEN_REQUIRED`: the SDK's own default (`WHEN_SUPPORTED`)
   * sends checksum headers that several S3-compatible servers reject. Our checkpoint files carry
   * their own SHA-256, and every PUT carries a Content-MD5 that S3 verifies.
   */
  readonly requestChecksumCalculation?: "WHEN_REQUIRED" | "WHEN_SUPPORTED";
  readonly responseChecksumValidation?: "WHEN_REQUIRED" | "WHEN_SUPPORTED";
  /** Keys per list and delete request; S3 caps it at 1000. Lower only to exercise paging in tests. */
  readonly pageSize?: number;
}

const encoder = new TextEncoder();

export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly description: string;
  readonly #client: S3Client;
  readonly #pageSize: number;

  constructor(options: S3BlobStoreOptions) {
    if (typeof options.bucket !== "string" || options.bucket === "") {
      throw new Error("S3BlobStore needs a bucket name");
    }
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
    if (this.prefix !== "") validateBlobKey(this.prefix);
    this.#pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(this.#pageSize) || this.#pageSize < 1 || this.#pageSize > 1000) {
      throw new Error(`S3BlobStore pageSize must be an integer from 1 to 1000, got ${options.pageSize}`);
    }
    this.description =
      `s3://${this.bucket}/${this.prefix}` +
      (options.endpoint === undefined ? "" : ` at ${options.endpoint}`);
    this.#client = new S3Client({
      region: options.region ?? "us-east-1",
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      requestChecksumCalculation: options.requestChecksumCalculation ?? "WHEN_REQUIRED",
      responseChecksumValidation: options.responseChecksumValidation ?? "WHEN_REQUIRED",
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const objectKey = this.#objectKey(key);
    await this.#send("put", key, () =>
      this.#client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: bytes,
          ContentLength: bytes.byteLength,
          // S3 rejects the PUT if the bytes it received differ, so corruption in transit fails the
          // write instead of surfacing as a bad checkpoint at restore time.
          ContentMD5: createHash("md5").update(bytes).digest("base64"),
        }),
      ),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const objectKey = this.#objectKey(key);
    return this.#send("get", key, async () => {
      try {
        const response = await this.#client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }),
        );
        if (response.Body === undefined) return new Uint8Array(0);
        return await response.Body.transformToByteArray();
      } catch (error) {
        // Only NoSuchKey means absent: NoSuchBucket is also a 404, and must not look like "no checkpoint".
        if ((error as Error | undefined)?.name === "NoSuchKey") return undefined;
        throw error;
      }
    });
  }

  async exists(key: string): Promise<boolean> {
    const objectKey = this.#objectKey(key);
    // A listing, not HEAD: a HEAD 404 has no body, so a missing bucket would read as a missing key.
    // The key itself sorts before every longer key it prefixes, so one result decides.
    const response = await this.#send("exists", key, () =>
      this.#client.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: objectKey, MaxKeys: 1 })),
    );
    return response.Contents?.[0]?.Key === objectKey;
  }

  async list(prefix = ""): Promise<string[]> {
    validateBlobPrefix(prefix);
    const base = this.prefix === "" ? "" : `${this.prefix}/`;
    const keys: string[] = [];
    // ListObjects (v1) paged by the last key seen: every S3-compatible server supports it, and
    // without a delimiter v2's opaque continuation tokens add nothing. (s3rver, our test server,
    // even fails to make v2 tokens on OpenSSL 3, which dropped the DES cipher it encrypts them with.)
    let marker: string | undefined;
    for (;;) {
      const response = await this.#send("list", prefix, () =>
        this.#client.send(
          new ListObjectsCommand({
            Bucket: this.bucket,
            Prefix: base + prefix,
            MaxKeys: this.#pageSize,
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
        ),
      );
      const contents = response.Contents ?? [];
      for (const object of contents) {
        const key = object.Key?.slice(base.length);
        // Objects other tools put under the prefix with names we could not address are not ours.
        if (key !== undefined && isValidBlobKey(key)) keys.push(key);
      }
      const last = contents.at(-1)?.Key;
      if (response.IsTruncated !== true || last === undefined) break;
      marker = last;
    }
    return keys.sort(compareBlobKeys);
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.#objectKey(key);
    await this.#send("delete", key, () =>
      this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey })),
    );
  }

  async deletePrefix(prefix: string): Promise<number> {
    if (prefix === "") throw new InvalidBlobKeyError(prefix, "deletePrefix needs a non-empty prefix");
    const keys = await this.list(prefix);
    for (let start = 0; start < keys.length; start += this.#pageSize) {
      const batch = keys.slice(start, start + this.#pageSize);
      const response = await this.#send("deletePrefix", prefix, () =>
        this.#client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.#objectKey(key) })), Quiet: true },
          }),
        ),
      );
      // A multi-object delete answers 200 even when some keys failed; the failures are in the body.
      const failed = response.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new Error(
          `S3 deletePrefix ${JSON.stringify(prefix)} in ${this.description}: ${failed.length} object(s) ` +
            `not deleted, first ${JSON.stringify(first.Key)}: ${first.Code}: ${first.Message}`,
        );
      }
    }
    return keys.length;
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  #objectKey(key: string): string {
    validateBlobKey(key);
    const objectKey = this.prefix === "" ? key : `${this.prefix}/${key}`;
    if (encoder.encode(objectKey).length > MAX_KEY_BYTES) {
      throw new InvalidBlobKeyError(key, `with the store prefix it is longer than ${MAX_KEY_BYTES} bytes`);
    }
    return objectKey;
  }

  /** Runs one request, naming the operation, key and bucket in any failure. */
  async #send<T>(operation: string, key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`S3 ${operation} of ${JSON.stringify(key)} in ${this.description} failed: ${detail}`, {
        cause: error,
      });
    }
  }
}
