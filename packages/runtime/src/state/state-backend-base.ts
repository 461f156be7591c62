/**
 * What every state backend shares: the declared states, the current key, the handles (plain or
 * with TTL, chosen once per state), and non-keyed state (operator state of non-keyed streams and
 * broadcast state), which always lives on the heap as in Flink. A concrete backend only decides
 * where keyed state lives (`keyedTable`) and how it is snapshotted.
 *
 * Invariant: state handles never cache values, only the table they read, so a handle obtained once
 * always acts on the key current at the time of the call.
 * @module
 */

import type { KeyValue, StateDeclaration } from "@weir/api";
import { InvalidJobError } from "../graph/job-graph.ts";
import { canonicalKeyId } from "../keys/key-hash.ts";
import { misuse } from "../user-code-error.ts";
import type {
  BackendSnapshot,
  KeyId,
  RestorableState,
  SnapshotCapture,
  StateBackend,
  StateTable,
} from "./state-backend.ts";
import { BROADCAST_PARTITION, createStateHandle } from "./state-handles.ts";
import { createTtlStateHandle, hasTtlShape, ttlMisuse } from "./ttl-state-handles.ts";

/** The partition id used by non-keyed operators. */
export const SUBTASK_PARTITION = "\u0000subtask";

export abstract class StateBackendBase implements StateBackend {
  readonly keyed: boolean;
  abstract readonly kind: string;
  protected readonly operatorName: string;
  /** Processing time, for state TTL. */
  protected readonly now: () => number;
  protected readonly declarations = new Map<string, StateDeclaration>();
  /** Tables of non-keyed and broadcast states (always on the heap). */
  protected readonly operatorTables = new Map<string, Map<KeyId, unknown>>();
  readonly #tables = new Map<string, StateTable>();
  readonly #handles = new Map<StateDeclaration, unknown>();
  /** Original keys whose canonical id differs from the key (composite keys, escaped strings). */
  protected readonly compositeKeys = new Map<string, KeyValue>();
  currentKey: KeyValue = null;
  currentKeyId: KeyId;
  /** Broadcast state may only be written while the broadcast input is processed. */
  broadcastWritable = false;

  /**
   * `now` is the operator's processing-time clock; states with a TTL measure their age with it.
   * Throws an {@link InvalidJobError} for a TTL on non-keyed or broadcast state (the job graph
   * rejects these earlier; this covers backends built without it).
   */
  constructor(
    operatorName: string,
    keyed: boolean,
    declarations: readonly StateDeclaration[],
    now: () => number,
  ) {
    this.operatorName = operatorName;
    this.now = now;
    this.keyed = keyed;
    this.currentKeyId = keyed ? null : SUBTASK_PARTITION;
    for (const declaration of declarations) {
      const ttlError = ttlMisuse(operatorName, declaration, keyed);
      if (ttlError !== undefined) throw new InvalidJobError(ttlError);
      this.declarations.set(declaration.name, declaration);
    }
  }

  /** Creates the tables; subclasses call it at the end of their constructor. */
  protected createTables(): void {
    for (const declaration of this.declarations.values()) {
      if (this.isKeyedState(declaration)) this.#tables.set(declaration.name, this.keyedTable(declaration));
      else {
        const table = new Map<KeyId, unknown>();
        this.operatorTables.set(declaration.name, table);
        this.#tables.set(declaration.name, table);
      }
    }
  }

  /** Whether the state is keyed state (as opposed to operator or broadcast state). */
  protected isKeyedState(declaration: StateDeclaration): boolean {
    return this.keyed && declaration.kind !== "broadcast";
  }

  /** The table of one keyed state. */
  protected abstract keyedTable(declaration: StateDeclaration): StateTable;

  /** Sets the key the next state accesses act on. Cheap for primitive keys (the common case). */
  setCurrentKey(key: KeyValue): void {
    this.currentKey = key;
    const id = canonicalKeyId(key);
    // Only composite keys and strings starting with U+0000 get an id unlike themselves.
    if (typeof id === "string" && id !== key && !this.compositeKeys.has(id)) this.compositeKeys.set(id, key);
    this.currentKeyId = id;
  }

  getCurrentKey(): KeyValue {
    if (!this.keyed) {
      throw misuse(this.operatorName, "getCurrentKey() is only available on keyed streams");
    }
    return this.currentKey;
  }

  /** The original key of a canonical id. */
  protected keyOf(id: KeyId): KeyValue {
    return (typeof id === "string" ? (this.compositeKeys.get(id) ?? id) : id) as KeyValue;
  }

  getState(declaration: StateDeclaration): unknown {
    const cached = this.#handles.get(declaration);
    if (cached !== undefined) return cached;
    const declared = this.declarations.get(declaration?.name);
    if (declared === undefined || declared.kind !== declaration.kind) {
      const names = [...this.declarations.keys()].map((n) => `"${n}"`).join(", ") || "none";
      throw misuse(
        this.operatorName,
        `state "${declaration?.name}" was not declared in usesStates() (declared: ${names})`,
      );
    }
    const table = this.#tables.get(declared.name)!;
    // Chosen once: states without TTL get the plain handles and pay nothing for TTL.
    const handle =
      declared.ttl === undefined
        ? createStateHandle(declared, table, this, this.operatorName)
        : createTtlStateHandle(declared, table, this, this.now);
    this.#handles.set(declaration, handle);
    return handle;
  }

  abstract keysWithState(): KeyValue[];

  prefetch(_keys: readonly KeyValue[]): void | Promise<void> {}

  endOfBatch(): void {}

  abstract snapshot(checkpointId: number): SnapshotCapture;

  notifyCheckpointComplete(_checkpointId: number): void {}

  async dispose(): Promise<void> {}

  /** Non-keyed and broadcast state, copied so later updates cannot change the snapshot. */
  protected snapshotOperatorState(): BackendSnapshot["operator"] {
    const operator: Record<string, { redistribution: string; value: unknown }> = {};
    for (const [name, table] of this.operatorTables) {
      const declaration = this.declarations.get(name)!;
      const id = declaration.kind === "broadcast" ? BROADCAST_PARTITION : SUBTASK_PARTITION;
      operator[name] = { redistribution: declaration.redistribution, value: snapshotValue(table.get(id)) };
    }
    return structuredClone(operator);
  }

  /**
   * Restores inline keyed entries and operator state. Keyed state in blob storage
   * (`keyedHandles`) is the subclass's part: it calls `restoreKeyedEntry` per entry.
   */
  restore(snapshot: RestorableState, acceptKey: (key: KeyValue) => boolean): void | Promise<void> {
    // Copy: two operators restored from one snapshot must not share values.
    const copy = structuredClone({ keyed: snapshot.keyed, operator: snapshot.operator });
    for (const [name, entries] of Object.entries(copy.keyed)) {
      this.#keyedTableFor(name);
      if (snapshot.ttlStates !== undefined && entries.length > 0)
        this.checkTtlStored(name, snapshot.ttlStates.includes(name));
      for (const [key, value] of entries) {
        if (acceptKey(key as KeyValue)) this.restoreKeyedEntry(name, key as KeyValue, value);
      }
    }
    for (const [name, { value }] of Object.entries(copy.operator)) {
      if (value === undefined) continue;
      const declaration = this.declarations.get(name);
      const table = this.operatorTables.get(name);
      if (table === undefined) throw this.#undeclared(name);
      const id = declaration?.kind === "broadcast" ? BROADCAST_PARTITION : SUBTASK_PARTITION;
      table.set(id, this.revive(name, value));
    }
    this.resetCurrentKey();
  }

  protected resetCurrentKey(): void {
    this.currentKey = null;
    this.currentKeyId = this.keyed ? null : SUBTASK_PARTITION;
  }

  /** A stored TTL flag must match the declaration: a TTL can be neither added nor removed. */
  protected checkTtlStored(name: string, storedWithTtl: boolean): void {
    if (storedWithTtl && this.declarations.get(name)!.ttl === undefined) {
      throw new Error(
        `${this.operatorName}: state "${name}" was stored with a TTL, but the job declares it without one; a TTL cannot be removed from existing state (keep the TTL, or use a new state name)`,
      );
    }
  }

  /** Stores one restored keyed value (in snapshot shape) under `key`. */
  protected restoreKeyedEntry(name: string, key: KeyValue, value: unknown): void {
    const declaration = this.declarations.get(name)!;
    if (declaration.ttl !== undefined && !hasTtlShape(declaration.kind, value)) {
      throw new Error(
        `${this.operatorName}: state "${name}" declares a TTL, but the snapshot holds it without TTL timestamps; a TTL cannot be added to existing state (restore without the TTL, or under a new state name)`,
      );
    }
    this.setCurrentKey(key);
    this.#keyedTableFor(name).set(this.currentKeyId, this.revive(name, value));
  }

  /** Inverse of `snapshotValue`: map-shaped states come back as Maps. */
  protected revive(name: string, value: unknown): unknown {
    const kind = this.declarations.get(name)?.kind;
    if ((kind === "map" || kind === "broadcast") && Array.isArray(value))
      return new Map(value as [KeyId, unknown][]);
    if (kind === "list" && Array.isArray(value)) return [...value];
    return value;
  }

  #keyedTableFor(name: string): StateTable {
    const declaration = this.declarations.get(name);
    if (declaration === undefined || !this.isKeyedState(declaration)) throw this.#undeclared(name);
    return this.#tables.get(name)!;
  }

  #undeclared(name: string): Error {
    return new Error(
      `${this.operatorName}: the snapshot has state "${name}", which this operator does not declare`,
    );
  }
}

/** Lists and maps are copied so a later mutation cannot change a taken snapshot. */
export function snapshotValue(value: unknown): unknown {
  if (Array.isArray(value)) return [...value];
  if (value instanceof Map) return [...value.entries()];
  return value;
}

/** A capture whose materialized form is already known (nothing asynchronous left to do). */
export function capturedSnapshot(snapshot: BackendSnapshot): SnapshotCapture {
  return { ready: snapshot, materialize: () => Promise.resolve(snapshot), discard: () => {} };
}
