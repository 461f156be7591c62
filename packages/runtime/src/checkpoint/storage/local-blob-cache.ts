/**
 * Task-local copies of on-disk state blobs (Flink keeps the RocksDB files locally for local
 * recovery): a {@link BlobStore} over the run's checkpoint storage that also keeps every state blob
 * (`shared/…`) it writes in a local directory, and serves reads from that copy when it is there.
 *
 * Invariant: the remote store stays the truth. A `put` is done when the remote `put` is; the local
 * copy is best effort. A read returns local bytes only if they decode as a whole checkpoint file
 * (magic, length and the payload's SHA-256 checked by {@link decodeCheckpointFile}); a missing or
 * damaged copy is reported through `log` and read from the remote store, so a bad local disk costs
 * a download, never a wrong state. Everything but state blobs passes through untouched.
 *
 * Pruning is {@link pruneLocalBlobs}: the TaskManager knows which blobs its retained snapshot
 * copies reference; a blob of a checkpoint newer than the completed one is kept (its snapshot may
 * not be acknowledged yet).
 * @module
 */

import { readdirSync, rmSync } from "node:fs";
import { join, sep } from "node:path";
import { isValidBlobKey } from "./blob-key.ts";
import type { BlobStore } from "./blob-store.ts";
import { decodeCheckpointFile } from "./checkpoint-format.ts";
import { SHARED_PREFIX, sharedBlobCheckpointId } from "./checkpoint-layout.ts";
import { LocalDirectoryBlobStore } from "./local-directory-blob-store.ts";

/** Where a restore's state blobs came from: counts and bytes. */
export interface StateBlobReads {
  readonly local: number;
  readonly localBytes: number;
  readonly remote: number;
  readonly remoteBytes: number;
}

export const NO_STATE_BLOB_READS: StateBlobReads = { local: 0, localBytes: 0, remote: 0, remoteBytes: 0 };

export function addStateBlobReads(a: StateBlobReads, b: StateBlobReads): StateBlobReads {
  return {
    local: a.local + b.local,
    localBytes: a.localBytes + b.localBytes,
    remote: a.remote + b.remote,
    remoteBytes: a.remoteBytes + b.remoteBytes,
  };
}

export interface LocalBlobCacheOptions {
  /** The run's checkpoint storage. */
  readonly remote: BlobStore;
  /** This TaskManager's directory of local blob copies for the job. */
  readonly directory: string;
  /** A state blob was read: from the local copy or from the remote store (bytes of the file). */
  readonly onRead?: (source: "local" | "remote", bytes: number) => void;
  /** Why a local copy was not used or not kept (the read or write itself went on remotely). */
  readonly log?: (problem: string) => void;
}

export class LocalBlobCache implements BlobStore {
  readonly #remote: BlobStore;
  readonly #local: LocalDirectoryBlobStore;
  readonly #onRead: (source: "local" | "remote", bytes: number) => void;
  readonly #log: (problem: string) => void;
  readonly description: string;

  constructor(options: LocalBlobCacheOptions) {
    this.#remote = options.remote;
    this.#local = new LocalDirectoryBlobStore({ root: options.directory });
    this.#onRead = options.onRead ?? (() => {});
    this.#log = options.log ?? (() => {});
    this.description = `${options.remote.description} (local copies of state blobs in ${this.#local.root})`;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.#remote.put(key, bytes);
    if (key.startsWith(SHARED_PREFIX)) await this.#keep(key, bytes);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    if (!key.startsWith(SHARED_PREFIX)) return this.#remote.get(key);
    const local = await this.#readLocal(key);
    if (local !== undefined) {
      this.#onRead("local", local.byteLength);
      return local;
    }
    const bytes = await this.#remote.get(key);
    if (bytes === undefined) return undefined;
    this.#onRead("remote", bytes.byteLength);
    // Read-through: the next restore on this TaskManager finds it here.
    if (isCheckpointFile(bytes, key)) await this.#keep(key, bytes);
    return bytes;
  }

  /** The remote store decides: a blob retention deleted there must not look present. */
  exists(key: string): Promise<boolean> {
    return this.#remote.exists(key);
  }

  list(prefix?: string): Promise<string[]> {
    return this.#remote.list(prefix);
  }

  async delete(key: string): Promise<void> {
    await this.#remote.delete(key);
    await this.#local.delete(key).catch(() => {});
  }

  async deletePrefix(prefix: string): Promise<number> {
    const removed = await this.#remote.deletePrefix(prefix);
    await this.#local.deletePrefix(prefix).catch(() => {});
    return removed;
  }

  close(): Promise<void> {
    return this.#remote.close();
  }

  /** The verified local copy of `key`, or undefined (logged) when it is missing or damaged. */
  async #readLocal(key: string): Promise<Uint8Array | undefined> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.#local.get(key);
    } catch (error) {
      this.#log(`local copy of state blob ${key} unreadable (${String(error)}): reading it remotely`);
      return undefined;
    }
    if (bytes === undefined) {
      this.#log(`no local copy of state blob ${key}: reading it remotely`);
      return undefined;
    }
    try {
      decodeCheckpointFile(bytes, key);
      return bytes;
    } catch (error) {
      this.#log(
        `local copy of state blob ${key} is damaged (${(error as Error).message}): reading it remotely`,
      );
      await this.#local.delete(key).catch(() => {});
      return undefined;
    }
  }

  async #keep(key: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.#local.put(key, bytes);
    } catch (error) {
      this.#log(`could not keep a local copy of state blob ${key}: ${String(error)}`);
    }
  }
}

function isCheckpointFile(bytes: Uint8Array, key: string): boolean {
  try {
    decodeCheckpointFile(bytes, key);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes the local blob copies in `directory` that no retained snapshot copy references (`keep`)
 * and that belong to checkpoint `completed` or older; returns the deleted keys. Synchronous: it
 * runs on the TaskManager's main thread while it settles the snapshot copies.
 */
export function pruneLocalBlobs(directory: string, keep: ReadonlySet<string>, completed: number): string[] {
  let files: string[];
  try {
    files = readdirSync(join(directory, SHARED_PREFIX), { recursive: true, encoding: "utf8" });
  } catch {
    return [];
  }
  const deleted: string[] = [];
  for (const file of files) {
    const key = `${SHARED_PREFIX}${file.split(sep).join("/")}`;
    // Directories and files being written (reserved temp names) are not keys.
    if (!isValidBlobKey(key) || keep.has(key)) continue;
    const checkpointId = sharedBlobCheckpointId(key);
    if (checkpointId !== undefined && checkpointId > completed) continue;
    try {
      rmSync(join(directory, ...key.split("/")));
      deleted.push(key);
    } catch {
      // A directory (EISDIR/EPERM) or already gone.
    }
  }
  return deleted;
}
