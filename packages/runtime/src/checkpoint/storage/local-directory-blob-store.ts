/**
 * A {@link BlobStore} in a local directory, the default checkpoint storage.
 *
 * Invariant: an object file only ever appears under its final name complete and fsynced. `put`
 * writes a temp file in the same directory (a rename across file systems would not be atomic),
 * fsyncs it, renames it over the key and fsyncs the directory, so after a crash the key holds the
 * old or the new bytes and a finished `put` is not lost.
 * @module
 */

import { randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rmdir,
  stat,
  unlink,
} from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import {
  compareBlobKeys,
  InvalidBlobKeyError,
  isValidBlobKey,
  RESERVED_SEGMENT_PREFIX,
  validateBlobKey,
  validateBlobPrefix,
} from "./blob-key.ts";
import type { BlobStore } from "./blob-store.ts";

/** Where checkpoints go when no directory is configured, relative to the working directory. */
export const DEFAULT_CHECKPOINT_DIRECTORY = ".weir/checkpoints";

export interface LocalDirectoryBlobStoreOptions {
  /** The store root; created on the first `put`. Default {@link DEFAULT_CHECKPOINT_DIRECTORY}. */
  readonly root?: string;
}

/** Error codes meaning "nothing there": the path or one of its parents is absent or not a directory. */
const ABSENT = new Set(["ENOENT", "ENOTDIR"]);
/** A `put` retries when a concurrent `deletePrefix` removes the (empty) directory under it. */
const PUT_ATTEMPTS = 3;

export class LocalDirectoryBlobStore implements BlobStore {
  /** Absolute, resolved once: a later `process.chdir` must not move the store. */
  readonly root: string;
  readonly description: string;

  constructor(options: LocalDirectoryBlobStoreOptions = {}) {
    this.root = resolve(options.root ?? DEFAULT_CHECKPOINT_DIRECTORY);
    this.description = `local directory ${this.root}`;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.#path(key);
    const directory = dirname(path);
    for (let attempt = 1; ; attempt++) {
      const created = await this.#makeDirectory(key, directory);
      const temp = join(directory, `${RESERVED_SEGMENT_PREFIX}${randomUUID()}`);
      let handle: FileHandle;
      try {
        handle = await open(temp, "wx");
      } catch (error) {
        if (code(error) === "ENOENT" && attempt < PUT_ATTEMPTS) continue;
        throw error;
      }
      try {
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, path);
      } catch (error) {
        await unlink(temp).catch(() => {});
        if (code(error) === "EISDIR" || code(error) === "ENOTEMPTY" || code(error) === "EEXIST") {
          throw new Error(
            `cannot put ${JSON.stringify(key)} in ${this.description}: it is a directory of other keys`,
            { cause: error },
          );
        }
        throw error;
      }
      // The rename is only durable once the directory entry is; new parents need their entries too.
      await syncDirectory(directory);
      if (created !== undefined) {
        const top = dirname(created);
        for (let d = directory; d !== top && d !== dirname(d); ) {
          d = dirname(d);
          await syncDirectory(d);
        }
      }
      return;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const buffer = await readFile(this.#path(key));
      // A plain view: Buffer's `slice` shares memory where Uint8Array's copies, a trap for callers.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (ABSENT.has(code(error)) || code(error) === "EISDIR") return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.#path(key))).isFile();
    } catch (error) {
      if (ABSENT.has(code(error))) return false;
      throw error;
    }
  }

  async list(prefix = ""): Promise<string[]> {
    return (await this.#scan(prefix)).keys;
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    try {
      await unlink(path);
    } catch (error) {
      if (ABSENT.has(code(error))) return;
      // unlink on a directory fails with EISDIR (Linux) or EPERM (macOS); a directory is no object.
      if ((code(error) === "EISDIR" || code(error) === "EPERM") && (await isDirectory(path))) return;
      throw error;
    }
    await this.#pruneEmptyDirectories(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<number> {
    if (prefix === "") throw new InvalidBlobKeyError(prefix, "deletePrefix needs a non-empty prefix");
    const { keys, temps } = await this.#scan(prefix);
    const directories = new Set<string>();
    // Temp files under the prefix are leftovers of puts that crashed before their rename; without
    // removing them the emptied directories could never be pruned.
    for (const path of [...keys.map((key) => this.#path(key)), ...temps]) {
      await unlink(path).catch((error: unknown) => {
        if (!ABSENT.has(code(error))) throw error;
      });
      directories.add(dirname(path));
    }
    // Deepest first, so a parent is tried only after its emptied children are gone.
    for (const directory of [...directories].sort((a, b) => b.length - a.length)) {
      await this.#pruneEmptyDirectories(directory);
    }
    return keys.length;
  }

  async close(): Promise<void> {
    // Every operation opens and closes its own files; nothing outlives a call.
  }

  #path(key: string): string {
    return join(this.root, ...validateBlobKey(key));
  }

  /** Creates the key's directory; returns the first directory it had to create, if any. */
  async #makeDirectory(key: string, directory: string): Promise<string | undefined> {
    try {
      return await mkdir(directory, { recursive: true });
    } catch (error) {
      if (code(error) === "ENOTDIR" || code(error) === "EEXIST") {
        throw new Error(
          `cannot put ${JSON.stringify(key)} in ${this.description}: a parent of it is an object, and a ` +
            "local directory cannot hold a key that is also a directory of other keys",
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * The valid keys starting with `prefix`, sorted, and the temp files in directories lying wholly
   * under it (whose key plus `/` starts with the prefix).
   */
  async #scan(prefix: string): Promise<{ keys: string[]; temps: string[] }> {
    const segments = validateBlobPrefix(prefix);
    const found: string[] = [];
    const temps: { directoryKey: string; path: string }[] = [];
    const directory = join(this.root, ...segments.slice(0, -1));
    await this.#walk(directory, segments.slice(0, -1).join("/"), segments.at(-1)!, found, temps);
    return {
      keys: found.filter((key) => key.startsWith(prefix) && isValidBlobKey(key)).sort(compareBlobKeys),
      temps: temps
        .filter((t) => t.directoryKey !== "" && `${t.directoryKey}/`.startsWith(prefix))
        .map((t) => t.path),
    };
  }

  async #walk(
    directory: string,
    directoryKey: string,
    partial: string,
    into: string[],
    temps: { directoryKey: string; path: string }[],
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (ABSENT.has(code(error))) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(RESERVED_SEGMENT_PREFIX)) {
        if (entry.isFile()) temps.push({ directoryKey, path: join(directory, entry.name) });
        continue;
      }
      if (!entry.name.startsWith(partial)) continue;
      const key = directoryKey === "" ? entry.name : `${directoryKey}/${entry.name}`;
      // Symlinks and other special files are not objects; following links could leave the root.
      if (entry.isDirectory()) await this.#walk(join(directory, entry.name), key, "", into, temps);
      else if (entry.isFile()) into.push(key);
    }
  }

  /** Removes `directory` and its parents while they are empty, never the root itself. */
  async #pruneEmptyDirectories(directory: string): Promise<void> {
    for (let d = directory; d.startsWith(this.root + sep); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch (error) {
        // Already gone (a concurrent prune): its parent may still be empty. Otherwise it holds
        // something, and so do all its parents.
        if (code(error) !== "ENOENT") return;
      }
    }
  }
}

async function syncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for fsync, and NTFS journals the rename itself.
  if (process.platform === "win32") return;
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? "";
}
