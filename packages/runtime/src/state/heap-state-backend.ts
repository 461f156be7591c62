/**
 * The heap state backend: one JS `Map` per declared state, from key id to value. On keyed streams
 * the current key is set by the operator before each record or timer; on non-keyed streams there
 * is one implicit partition (the subtask).
 *
 * Invariant: state handles never cache values, only the table they read, so a handle obtained once
 * always acts on the key current at the time of the call.
 * @module
 */

import type { KeyValue, StateDeclaration } from "@weir/api";
import { InvalidJobError } from "../graph/job-graph.ts";
import { canonicalKeyId } from "../keys/key-hash.ts";
import { misuse } from "../user-code-error.ts";
import { createStateHandle, type StateTable } from "./state-handles.ts";
import { createTtlStateHandle, hasTtlShape, ttlMisuse, unexpiredCopy } from "./ttl-state-handles.ts";

/** The partition id used by non-keyed operators. */
const SUBTASK_PARTITION = "\u0000subtask";

export type KeyId = string | number | bigint | boolean | null;

export class HeapStateBackend {
  readonly keyed: boolean;
  readonly #operatorName: string;
  /** Processing time, for state TTL. */
  readonly #now: () => number;
  readonly #declarations = new Map<string, StateDeclaration>();
  readonly #tables = new Map<string, StateTable>();
  readonly #handles = new Map<StateDeclaration, unknown>();
  /** Original keys whose canonical id differs from the key (composite keys, escaped strings). */
  readonly #compositeKeys = new Map<string, KeyValue>();
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
    now: () => number = Date.now,
  ) {
    this.#operatorName = operatorName;
    this.#now = now;
    this.keyed = keyed;
    this.currentKeyId = keyed ? null : SUBTASK_PARTITION;
    for (const declaration of declarations) {
      const ttlError = ttlMisuse(operatorName, declaration, keyed);
      if (ttlError !== undefined) throw new InvalidJobError(ttlError);
      this.#declarations.set(declaration.name, declaration);
      this.#tables.set(declaration.name, new Map());
    }
  }

  /** Sets the key the next state accesses act on. Cheap for primitive keys (the common case). */
  setCurrentKey(key: KeyValue): void {
    this.currentKey = key;
    const id = canonicalKeyId(key);
    // Only composite keys and strings starting with U+0000 get an id unlike themselves.
    if (typeof id === "string" && id !== key && !this.#compositeKeys.has(id))
      this.#compositeKeys.set(id, key);
    this.currentKeyId = id;
  }

  getCurrentKey(): KeyValue {
    if (!this.keyed) {
      throw misuse(this.#operatorName, "getCurrentKey() is only available on keyed streams");
    }
    return this.currentKey;
  }

  getState(declaration: StateDeclaration): unknown {
    const cached = this.#handles.get(declaration);
    if (cached !== undefined) return cached;
    const declared = this.#declarations.get(declaration?.name);
    if (declared === undefined || declared.kind !== declaration.kind) {
      const names = [...this.#declarations.keys()].map((n) => `"${n}"`).join(", ") || "none";
      throw misuse(
        this.#operatorName,
        `state "${declaration?.name}" was not declared in usesStates() (declared: ${names})`,
      );
    }
    const table = this.#tables.get(declared.name)!;
    // Chosen once: states without TTL get the plain handles and pay nothing for TTL.
    const handle =
      declared.ttl === undefined
        ? createStateHandle(declared, table, this, this.#operatorName)
        : createTtlStateHandle(declared, table, this, this.#now);
    this.#handles.set(declaration, handle);
    return handle;
  }

  /** Every key that has state in any table, as the original key values. */
  keysWithState(): KeyValue[] {
    const ids = new Set<KeyId>();
    for (const [name, table] of this.#tables) {
      if (this.#declarations.get(name)!.kind === "broadcast") continue;
      for (const id of table.keys()) ids.add(id);
    }
    return [...ids].map(
      (id) => (typeof id === "string" ? (this.#compositeKeys.get(id) ?? id) : id) as KeyValue,
    );
  }

  /**
   * A deep copy of every table as [key, value] pairs per state name, so later updates (including
   * in-place mutation of accumulators) cannot change a snapshot already taken. Expired values of
   * states with a TTL are left out (they keep their timestamps, so TTL continues after a restore).
   */
  snapshot(): {
    keyed: Record<string, [unknown, unknown][]>;
    operator: Record<string, { redistribution: string; value: unknown }>;
    /** Keyed states whose values carry TTL timestamps. */
    ttlStates: string[];
  } {
    const ttlStates: string[] = [];
    const keyed: Record<string, [unknown, unknown][]> = {};
    const operator: Record<string, { redistribution: string; value: unknown }> = {};
    let now: number | undefined;
    for (const [name, table] of this.#tables) {
      const declaration = this.#declarations.get(name)!;
      if (this.keyed && declaration.kind !== "broadcast") {
        const entries: [unknown, unknown][] = [];
        const ttl = declaration.ttl;
        if (ttl !== undefined) {
          now ??= this.#now();
          ttlStates.push(name);
        }
        for (const [id, value] of table) {
          const key = typeof id === "string" ? (this.#compositeKeys.get(id) ?? id) : id;
          if (ttl === undefined) entries.push([key, snapshotValue(value)]);
          else {
            const unexpired = unexpiredCopy(declaration.kind, value, ttl, now!);
            if (unexpired !== undefined) entries.push([key, unexpired]);
          }
        }
        keyed[name] = entries;
      } else {
        const id = declaration.kind === "broadcast" ? BROADCAST_PARTITION : SUBTASK_PARTITION;
        operator[name] = { redistribution: declaration.redistribution, value: snapshotValue(table.get(id)) };
      }
    }
    return { ...structuredClone({ keyed, operator }), ttlStates };
  }

  /**
   * Restores tables from a snapshot. `acceptKey` filters keyed entries (rescaling keeps only the
   * key groups of this subtask).
   */
  restore(
    snapshot: {
      keyed: Record<string, [unknown, unknown][]>;
      operator: Record<string, { value: unknown }>;
      ttlStates?: readonly string[];
    },
    acceptKey: (key: KeyValue) => boolean,
  ): void {
    // Copy: two operators restored from one snapshot must not share values.
    snapshot = structuredClone(snapshot);
    for (const [name, entries] of Object.entries(snapshot.keyed)) {
      const table = this.#tableFor(name);
      const declaration = this.#declarations.get(name)!;
      if (snapshot.ttlStates !== undefined && entries.length > 0) {
        const stored = snapshot.ttlStates.includes(name);
        if (stored && declaration.ttl === undefined) {
          throw new Error(
            `${this.#operatorName}: state "${name}" was stored with a TTL, but the job declares it without one; a TTL cannot be removed from existing state (keep the TTL, or use a new state name)`,
          );
        }
      }
      for (const [key, value] of entries) {
        if (!acceptKey(key as KeyValue)) continue;
        if (declaration.ttl !== undefined && !hasTtlShape(declaration.kind, value)) {
          throw new Error(
            `${this.#operatorName}: state "${name}" declares a TTL, but the snapshot holds it without TTL timestamps; a TTL cannot be added to existing state (restore without the TTL, or under a new state name)`,
          );
        }
        this.setCurrentKey(key as KeyValue);
        table.set(this.currentKeyId, this.#revive(name, value));
      }
    }
    for (const [name, { value }] of Object.entries(snapshot.operator)) {
      if (value === undefined) continue;
      const declaration = this.#declarations.get(name);
      const id = declaration?.kind === "broadcast" ? BROADCAST_PARTITION : SUBTASK_PARTITION;
      this.#tableFor(name).set(id, this.#revive(name, value));
    }
    this.currentKey = null;
    this.currentKeyId = this.keyed ? null : SUBTASK_PARTITION;
  }

  /** Inverse of `snapshotValue`: map-shaped states come back as Maps. */
  #revive(name: string, value: unknown): unknown {
    const kind = this.#declarations.get(name)?.kind;
    if ((kind === "map" || kind === "broadcast") && Array.isArray(value))
      return new Map(value as [KeyId, unknown][]);
    if (kind === "list" && Array.isArray(value)) return [...value];
    return value;
  }

  #tableFor(name: string): StateTable {
    const table = this.#tables.get(name);
    if (table === undefined) {
      throw new Error(
        `${this.#operatorName}: the snapshot has state "${name}", which this operator does not declare`,
      );
    }
    return table;
  }
}

/** Broadcast state is per subtask, not per key. */
export const BROADCAST_PARTITION = "\u0000broadcast";

/** Lists and maps are copied so a later mutation cannot change a taken snapshot. */
function snapshotValue(value: unknown): unknown {
  if (Array.isArray(value)) return [...value];
  if (value instanceof Map) return [...value.entries()];
  return value;
}
