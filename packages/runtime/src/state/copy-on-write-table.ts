/**
 * A heap state table that can share its values with snapshots being written, so the heap
 * backend's synchronous snapshot part is a shallow copy of the entries, not a deep copy of the
 * state: while a snapshot shares the table, the first read of a key through a handle replaces the
 * value by a private deep copy before handing it out, and writes store new values anyway.
 *
 * Invariant: while shared, a value object the snapshot holds is never handed to a state handle
 * (handles mutate values in place: list pushes, map entries, TTL timestamps, accumulators), so the
 * snapshot sees every value exactly as it was at the barrier.
 *
 * ```text
 * share()            snapshot holds [id, v1] …        (synchronous, O(entries) pointer copies)
 * get(id)            v1 is shared → store clone(v1)=v1', return v1'
 * get(id)            v1' is private → return v1'
 * set(id, v2)        v2 is private
 * release()          when the last sharing snapshot was written
 * ```
 * @module
 */

import type { KeyId } from "./state-backend.ts";

export class CopyOnWriteTable extends Map<KeyId, unknown> {
  /** Ids whose value is private again, while some snapshot shares the table; undefined otherwise. */
  #private: Set<KeyId> | undefined;
  /** Snapshots still sharing the table. */
  #sharing = 0;

  override get(id: KeyId): unknown {
    const value = super.get(id);
    const privateIds = this.#private;
    if (privateIds === undefined || value === null || typeof value !== "object" || privateIds.has(id))
      return value;
    const copy = structuredClone(value);
    super.set(id, copy);
    privateIds.add(id);
    return copy;
  }

  override set(id: KeyId, value: unknown): this {
    this.#private?.add(id);
    return super.set(id, value);
  }

  /** The entries as they are now; their values stay untouched until `release`. */
  share(): [KeyId, unknown][] {
    // A new snapshot shares every current value again, copies made for an older one included.
    this.#private = new Set();
    this.#sharing++;
    return [...super.entries()];
  }

  /** A snapshot that shared the table is written (or abandoned). */
  release(): void {
    if (this.#sharing === 0) return;
    this.#sharing--;
    if (this.#sharing === 0) this.#private = undefined;
  }
}
