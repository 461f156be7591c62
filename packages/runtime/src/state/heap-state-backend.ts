/**
 * The heap state backend (default; Flink's HashMapStateBackend): one JS `Map` per declared state,
 * from key id to value. On keyed streams the current key is set by the operator before each record
 * or timer; on non-keyed streams there is one implicit partition (the subtask).
 *
 * Snapshots, two ways:
 * - asynchronous (the runtime's tasks): the synchronous part only takes a shallow copy of each
 *   keyed table's entries and makes the tables copy-on-write (`copy-on-write-table.ts`); the
 *   asynchronous part deep-copies the captured values in slices while the task goes on;
 * - synchronous (`asyncSnapshots` off, e.g. operator test harnesses): a deep copy at once.
 * The copy is encoded and stored by the coordinator. The backend can restore keyed state an LMDB
 * backend wrote to blob storage (switching backends between runs).
 * @module
 */

import type { KeyValue, StateDeclaration } from "@weir/api";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import { CopyOnWriteTable } from "./copy-on-write-table.ts";
import { readKeyedStateHandles } from "./lmdb/state-changelog-reader.ts";
import type {
  BackendSnapshot,
  KeyId,
  RestorableState,
  SnapshotCapture,
  StateTable,
} from "./state-backend.ts";
import { capturedSnapshot, StateBackendBase, snapshotValue } from "./state-backend-base.ts";
import { unexpiredCopy } from "./ttl-state-handles.ts";

export type { KeyId } from "./state-backend.ts";
export { BROADCAST_PARTITION } from "./state-handles.ts";

export interface HeapStateBackendOptions {
  /** Checkpoint storage, needed only to restore state an LMDB backend wrote. */
  readonly blobs?: BlobStore;
  /** Copy-on-write snapshots whose deep copy runs asynchronously (default false: all at once). */
  readonly asyncSnapshots?: boolean;
}

/** Captured entries deep-copied before yielding to the event loop. */
const SLICE = 2048;

export class HeapStateBackend extends StateBackendBase {
  readonly kind = "heap";
  readonly #keyedTables = new Map<string, CopyOnWriteTable>();
  readonly #options: HeapStateBackendOptions;

  constructor(
    operatorName: string,
    keyed: boolean,
    declarations: readonly StateDeclaration[],
    now: () => number = Date.now,
    options: HeapStateBackendOptions = {},
  ) {
    super(operatorName, keyed, declarations, now);
    this.#options = options;
    this.createTables();
  }

  protected keyedTable(declaration: StateDeclaration): StateTable {
    const table = new CopyOnWriteTable();
    this.#keyedTables.set(declaration.name, table);
    return table;
  }

  keysWithState(): KeyValue[] {
    const ids = new Set<KeyId>();
    for (const table of this.#keyedTables.values()) for (const id of table.keys()) ids.add(id);
    return [...ids].map((id) => this.keyOf(id));
  }

  /**
   * A deep copy of every table as [key, value] pairs per state name, so later updates (including
   * in-place mutation of accumulators) cannot change a snapshot already taken. Expired values of
   * states with a TTL are left out (they keep their timestamps, so TTL continues after a restore).
   */
  snapshot(_checkpointId = 0): SnapshotCapture {
    if (this.#options.asyncSnapshots !== true || this.#keyedTables.size === 0)
      return capturedSnapshot(this.snapshotNow());
    const operator = this.snapshotOperatorState();
    const now = this.now();
    const captured = [...this.#keyedTables].map(([name, table]) => ({
      name,
      table,
      declaration: this.declarations.get(name)!,
      // Keys resolved now: composite keys seen later must not matter.
      entries: table.share().map(([id, value]) => [this.keyOf(id), value] as [unknown, unknown]),
    }));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const { table } of captured) table.release();
    };
    const materialize = async (): Promise<BackendSnapshot> => {
      try {
        const keyed: Record<string, [unknown, unknown][]> = {};
        const ttlStates: string[] = [];
        let n = 0;
        for (const { name, declaration, entries } of captured) {
          const ttl = declaration.ttl;
          if (ttl !== undefined) ttlStates.push(name);
          const copies: [unknown, unknown][] = [];
          for (const [key, value] of entries) {
            const kept =
              ttl === undefined ? snapshotValue(value) : unexpiredCopy(declaration.kind, value, ttl, now);
            if (kept !== undefined || ttl === undefined) copies.push(structuredClone([key, kept]));
            if (++n % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
          }
          keyed[name] = copies;
        }
        return { keyed, operator, ttlStates };
      } finally {
        release();
      }
    };
    return { materialize, discard: release };
  }

  /** The snapshot as plain data, taken synchronously. */
  snapshotNow(): {
    keyed: Record<string, [unknown, unknown][]>;
    operator: Record<string, { redistribution: string; value: unknown }>;
    ttlStates: string[];
  } {
    const ttlStates: string[] = [];
    const keyed: Record<string, [unknown, unknown][]> = {};
    let now: number | undefined;
    for (const [name, table] of this.#keyedTables) {
      const declaration = this.declarations.get(name)!;
      const entries: [unknown, unknown][] = [];
      const ttl = declaration.ttl;
      if (ttl !== undefined) {
        now ??= this.now();
        ttlStates.push(name);
      }
      for (const [id, value] of table) {
        const key = this.keyOf(id);
        if (ttl === undefined) entries.push([key, snapshotValue(value)]);
        else {
          const unexpired = unexpiredCopy(declaration.kind, value, ttl, now!);
          if (unexpired !== undefined) entries.push([key, unexpired]);
        }
      }
      keyed[name] = entries;
    }
    return { keyed: structuredClone(keyed), operator: this.snapshotOperatorState(), ttlStates };
  }

  override restore(snapshot: RestorableState, acceptKey: (key: KeyValue) => boolean): void | Promise<void> {
    super.restore(snapshot, acceptKey);
    const handles = snapshot.keyedHandles;
    if (handles === undefined || handles.length === 0) return;
    for (const name of snapshot.ttlStates ?? [])
      if (this.#keyedTables.has(name)) this.checkTtlStored(name, true);
    return readKeyedStateHandles(this.#options.blobs, handles, this.operatorName, (entry) => {
      // A deletion of a key this subtask does not own deletes nothing.
      if (entry.value === undefined) this.#keyedTables.get(entry.state)?.delete(entry.id);
      else if (acceptKey(entry.key)) this.restoreKeyedEntry(entry.state, entry.key, entry.value);
    }).then(() => this.resetCurrentKey());
  }
}
