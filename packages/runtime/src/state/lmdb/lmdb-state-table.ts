/**
 * One keyed state of the LMDB backend, as the shared state handles see it: a write-back cache of
 * decoded values over the database. A value is read (and decoded) at most once per batch; the
 * batch's changes are written in one synchronous transaction at the end of the batch.
 *
 * Invariant: after `flush`, the database holds exactly what the heap backend would hold in its
 * `Map`. Handles mutate values in place (a list push, a map entry, a TTL timestamp), so for states
 * whose handles do that, a value handed out by `get` counts as changed; value, reducing and
 * aggregating states without TTL are only written on `set`/`delete`.
 * @module
 */

import type { KeyValue } from "@weir/api";
import type { KeyId, StateTable } from "../state-backend.ts";
import { decodeStateValue, encodeStateKey, encodeStateValue } from "./state-key-codec.ts";

interface CachedEntry {
  value: unknown;
  readonly key: KeyValue;
  readonly group: number;
  dirty: boolean;
}

/** What the table needs from its backend. */
export interface LmdbTableHost {
  readonly currentKey: KeyValue;
  /** The current key's key group (computed once per key). */
  currentGroup(): number;
  readBytes(key: Buffer): Uint8Array | undefined;
  /** The table has entries to flush. */
  markDirty(table: LmdbStateTable): void;
}

export class LmdbStateTable implements StateTable {
  readonly stateIndex: number;
  readonly #host: LmdbTableHost;
  readonly #mutableOnRead: boolean;
  readonly #cache = new Map<KeyId, CachedEntry>();

  constructor(host: LmdbTableHost, stateIndex: number, mutableOnRead: boolean) {
    this.#host = host;
    this.stateIndex = stateIndex;
    this.#mutableOnRead = mutableOnRead;
  }

  /** Handles always pass the backend's current key id, so the current key is the id's key. */
  #load(id: KeyId): CachedEntry {
    let entry = this.#cache.get(id);
    if (entry === undefined) {
      const host = this.#host;
      const group = host.currentGroup();
      const bytes = host.readBytes(encodeStateKey(group, this.stateIndex, id));
      const value = bytes === undefined ? undefined : decodeStateValue(bytes, id).value;
      entry = { value, key: host.currentKey, group, dirty: false };
      this.#cache.set(id, entry);
    }
    return entry;
  }

  get(id: KeyId): unknown {
    const entry = this.#load(id);
    if (this.#mutableOnRead && entry.value !== undefined && !entry.dirty) this.#touch(entry);
    return entry.value;
  }

  set(id: KeyId, value: unknown): this {
    const entry = this.#load(id);
    entry.value = value;
    if (!entry.dirty) this.#touch(entry);
    return this;
  }

  delete(id: KeyId): boolean {
    const entry = this.#load(id);
    const had = entry.value !== undefined;
    entry.value = undefined;
    if (!entry.dirty) this.#touch(entry);
    return had;
  }

  #touch(entry: CachedEntry): void {
    this.#host.markDirty(this);
    entry.dirty = true;
  }

  /**
   * Hands every changed entry to `write` (value undefined: delete) and empties the cache, so the
   * next batch reads what the database holds.
   */
  flush(write: (key: Buffer, value: Uint8Array | undefined) => void): void {
    for (const [id, entry] of this.#cache) {
      if (!entry.dirty) continue;
      const key = encodeStateKey(entry.group, this.stateIndex, id);
      write(key, entry.value === undefined ? undefined : encodeStateValue(entry.value, id, entry.key));
    }
    this.#cache.clear();
  }

  /** Drops cached reads without writing (nothing is dirty). */
  clearCache(): void {
    this.#cache.clear();
  }

  get cachedEntries(): number {
    return this.#cache.size;
  }
}
