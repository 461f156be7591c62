/**
 * The blob store: the only storage interface checkpoints write through, implemented by a local
 * directory (the default) and by S3-compatible object storage.
 *
 * Invariant: `put` is atomic and durable. A reader sees either the previous object or the whole new
 * one, never a partial object, and once `put` resolves the object survives a crash of this process.
 * Everything built on top (checkpoint metadata written last, retention) relies on only that.
 * @module
 */

/**
 * Contract (checked by `blob-store-conformance.ts` against every implementation):
 * - Keys are validated by `validateBlobKey` before any I/O; an invalid key rejects with an
 *   `InvalidBlobKeyError` naming it.
 * - `put` replaces the whole object atomically; concurrent `get`s see the old or the new bytes.
 * - `get` and `exists` report a missing object as `undefined` / `false`; any other failure
 *   (unreachable endpoint, missing bucket, permissions) rejects, so callers never mistake an outage
 *   for an absent checkpoint.
 * - `list(prefix)` returns every key starting with `prefix` as a plain string prefix (like S3),
 *   sorted ascending, without the store's internal files.
 * - `delete` and `deletePrefix` are idempotent: deleting what is absent is not an error.
 * - Keys form a tree: a key must not also be a directory of other keys (`a` and `a/b`). S3 would
 *   allow it, a file system cannot; the local store rejects such a `put`.
 */
export interface BlobStore {
  /** Stores `bytes` under `key`, atomically replacing any previous object. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The object's bytes, or `undefined` if there is no object under `key`. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Whether an object exists under `key`. */
  exists(key: string): Promise<boolean>;
  /** Every key that starts with `prefix` (`""` for all), sorted ascending. */
  list(prefix?: string): Promise<string[]>;
  /** Removes the object under `key`, if any. */
  delete(key: string): Promise<void>;
  /**
   * Removes every object whose key starts with `prefix` and returns how many there were. The
   * prefix must not be empty: wiping a whole store is never what a checkpoint caller means.
   */
  deletePrefix(prefix: string): Promise<number>;
  /** Releases connections and other resources; the store must not be used afterwards. */
  close(): Promise<void>;
  /** Where the store lives (a directory, `s3://bucket/prefix`), for log lines and errors. */
  readonly description: string;
}
