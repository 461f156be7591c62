/**
 * State handles for keyed state with a time-to-live (Flink's StateTtlConfig). Chosen once, when the
 * handle is created, so states without TTL keep the plain handles of `state-handles.ts` and pay
 * nothing. Stored shapes (also the snapshot shapes of TTL states):
 *
 * - value, reducing, aggregating: `{ value, ts }` per key;
 * - list: an array of `{ value, ts }`, one per element;
 * - map: entries `[mapKey, value, ts]` under the map key's canonical id.
 *
 * `ts` is the processing time of the last update (or read, with `OnReadAndWrite`); a value is
 * expired once `now >= ts + ttlMs`. Expired values are removed when accessed and filtered out of
 * snapshots by the backend; the wrapping never reaches user code.
 * @module
 */

import type { KeyValue, StateDeclaration } from "@weir/api";

type StateTtlConfig = NonNullable<StateDeclaration["ttl"]>;

import { canonicalKeyId } from "../keys/key-hash.ts";
import type { KeyContext, KeyId, StateTable } from "./state-backend.ts";

/** One stored value with its last-update time. */
export interface TtlValue {
  value: unknown;
  ts: number;
}

/** One map entry with its last-update time. */
export type TtlEntry = [KeyValue, unknown, number];

type TtlEntries = Map<KeyId, TtlEntry>;

/** Why `declaration` cannot have a TTL in this operator, or undefined when it can (or has none). */
export function ttlMisuse(
  operatorName: string,
  declaration: StateDeclaration,
  keyed: boolean,
): string | undefined {
  if (declaration.ttl === undefined) return undefined;
  if (declaration.kind === "broadcast") {
    return `"${operatorName}": broadcast state "${declaration.name}" cannot have a TTL; TTL is only supported for keyed state`;
  }
  if (!keyed) {
    return `"${operatorName}": state "${declaration.name}" has a TTL, but the stream is not keyed; TTL is only supported for keyed state (use keyBy)`;
  }
  return undefined;
}

/** Whether `value` is stored in the TTL shape of `kind` (checked on restore). */
export function hasTtlShape(kind: StateDeclaration["kind"], value: unknown): boolean {
  const isTtlValue = (v: unknown) =>
    v !== null && typeof v === "object" && "value" in v && typeof (v as TtlValue).ts === "number";
  switch (kind) {
    case "list":
      return Array.isArray(value) && value.every(isTtlValue);
    case "map":
      return (
        Array.isArray(value) &&
        value.every((e) => Array.isArray(e) && Array.isArray(e[1]) && typeof e[1][2] === "number")
      );
    default:
      return isTtlValue(value);
  }
}

/** The stored value without its expired parts, or undefined when nothing is left (for snapshots). */
export function unexpiredCopy(
  kind: StateDeclaration["kind"],
  stored: unknown,
  ttl: StateTtlConfig,
  now: number,
): unknown {
  const live = (ts: number) => now < ts + ttl.ttlMs;
  switch (kind) {
    case "list": {
      const kept = (stored as TtlValue[]).filter((e) => live(e.ts));
      return kept.length === 0 ? undefined : kept;
    }
    case "map": {
      const kept = [...(stored as TtlEntries).entries()].filter(([, e]) => live(e[2]));
      return kept.length === 0 ? undefined : kept;
    }
    default:
      return live((stored as TtlValue).ts) ? stored : undefined;
  }
}

export function createTtlStateHandle(
  declaration: StateDeclaration,
  table: StateTable,
  backend: KeyContext,
  now: () => number,
): unknown {
  const ttl = declaration.ttl!;
  const ttlMs = ttl.ttlMs;
  const refreshOnRead = ttl.updateType === "OnReadAndWrite";
  const returnExpired = ttl.stateVisibility === "ReturnExpiredIfNotCleanedUp";

  /** The current key's single value for a read: expired ones are removed (returned if visible). */
  const readSingle = (): TtlValue | undefined => {
    const key = backend.currentKeyId;
    const stored = table.get(key) as TtlValue | undefined;
    if (stored === undefined) return undefined;
    const t = now();
    if (t >= stored.ts + ttlMs) {
      table.delete(key);
      return returnExpired ? stored : undefined;
    }
    if (refreshOnRead) stored.ts = t;
    return stored;
  };
  /** The current key's single value for a write: expired ones are removed and never written into. */
  const liveForWrite = (key: KeyId, t: number): TtlValue | undefined => {
    const stored = table.get(key) as TtlValue | undefined;
    if (stored !== undefined && t >= stored.ts + ttlMs) {
      table.delete(key);
      return undefined;
    }
    return stored;
  };
  const clear = () => {
    table.delete(backend.currentKeyId);
  };

  switch (declaration.kind) {
    case "value":
      return {
        value: () => readSingle()?.value,
        update(value: unknown) {
          const key = backend.currentKeyId;
          if (value === undefined) {
            table.delete(key);
            return;
          }
          const t = now();
          const stored = table.get(key) as TtlValue | undefined;
          if (stored === undefined) table.set(key, { value, ts: t });
          else {
            stored.value = value;
            stored.ts = t;
          }
        },
        clear,
      };
    case "reducing": {
      const reduce = declaration.reduce;
      return {
        get: () => readSingle()?.value,
        add(value: unknown) {
          const key = backend.currentKeyId;
          const t = now();
          const stored = liveForWrite(key, t);
          if (stored === undefined) table.set(key, { value, ts: t });
          else {
            stored.value = reduce(stored.value, value);
            stored.ts = t;
          }
        },
        clear,
      };
    }
    case "aggregating": {
      const aggregate = declaration.aggregate;
      return {
        get() {
          const stored = readSingle();
          return stored === undefined ? undefined : aggregate.getResult(stored.value);
        },
        add(value: unknown) {
          const key = backend.currentKeyId;
          const t = now();
          const stored = liveForWrite(key, t);
          if (stored === undefined) {
            table.set(key, { value: aggregate.add(value, aggregate.createAccumulator()), ts: t });
          } else {
            stored.value = aggregate.add(value, stored.value);
            stored.ts = t;
          }
        },
        clear,
      };
    }
    case "list":
      return {
        get(): unknown[] {
          const key = backend.currentKeyId;
          const list = table.get(key) as TtlValue[] | undefined;
          if (list === undefined) return [];
          const t = now();
          const out: unknown[] = [];
          // Compacts the stored list in place, dropping expired elements.
          let kept = 0;
          for (const element of list) {
            if (t >= element.ts + ttlMs) {
              if (returnExpired) out.push(element.value);
              continue;
            }
            if (refreshOnRead) element.ts = t;
            out.push(element.value);
            list[kept++] = element;
          }
          list.length = kept;
          if (kept === 0) table.delete(key);
          return out;
        },
        add(value: unknown) {
          const key = backend.currentKeyId;
          const element: TtlValue = { value, ts: now() };
          const list = table.get(key) as TtlValue[] | undefined;
          if (list === undefined) table.set(key, [element]);
          else list.push(element);
        },
        addAll(values: readonly unknown[]) {
          if (values.length === 0) return;
          const key = backend.currentKeyId;
          const t = now();
          const list = table.get(key) as TtlValue[] | undefined;
          const added = values.map((value) => ({ value, ts: t }));
          if (list === undefined) table.set(key, added);
          else for (const element of added) list.push(element);
        },
        update(values: readonly unknown[]) {
          const key = backend.currentKeyId;
          if (values.length === 0) table.delete(key);
          else {
            const t = now();
            table.set(
              key,
              values.map((value) => ({ value, ts: t })),
            );
          }
        },
        clear,
      };
    case "map":
      return ttlMapHandle(table, backend, now, ttlMs, refreshOnRead, returnExpired);
    case "broadcast":
      throw new Error(`broadcast state "${declaration.name}" cannot have a TTL`);
  }
}

function ttlMapHandle(
  table: StateTable,
  backend: KeyContext,
  now: () => number,
  ttlMs: number,
  refreshOnRead: boolean,
  returnExpired: boolean,
) {
  /** The entry under `key` for a read: an expired one is removed (and returned if visible). */
  const lookup = (key: KeyValue): TtlEntry | undefined => {
    const partition = backend.currentKeyId;
    const entries = table.get(partition) as TtlEntries | undefined;
    if (entries === undefined) return undefined;
    const id = canonicalKeyId(key);
    const entry = entries.get(id);
    if (entry === undefined) return undefined;
    const t = now();
    if (t >= entry[2] + ttlMs) {
      entries.delete(id);
      if (entries.size === 0) table.delete(partition);
      return returnExpired ? entry : undefined;
    }
    if (refreshOnRead) entry[2] = t;
    return entry;
  };
  /** The visible entries, removing expired ones as they are passed. */
  function* visible(): Generator<TtlEntry> {
    const partition = backend.currentKeyId;
    const entries = table.get(partition) as TtlEntries | undefined;
    if (entries === undefined) return;
    const t = now();
    try {
      for (const [id, entry] of entries) {
        if (t >= entry[2] + ttlMs) {
          // Deleting the current entry while iterating a Map is safe.
          entries.delete(id);
          if (returnExpired) yield entry;
          continue;
        }
        if (refreshOnRead) entry[2] = t;
        yield entry;
      }
    } finally {
      if (entries.size === 0 && table.get(partition) === entries) table.delete(partition);
    }
  }
  return {
    get: (key: KeyValue) => lookup(key)?.[1],
    contains: (key: KeyValue) => lookup(key) !== undefined,
    put(key: KeyValue, value: unknown) {
      const partition = backend.currentKeyId;
      let entries = table.get(partition) as TtlEntries | undefined;
      if (entries === undefined) {
        entries = new Map();
        table.set(partition, entries);
      }
      entries.set(canonicalKeyId(key), [key, value, now()]);
    },
    remove(key: KeyValue) {
      const partition = backend.currentKeyId;
      const entries = table.get(partition) as TtlEntries | undefined;
      if (entries === undefined) return;
      entries.delete(canonicalKeyId(key));
      if (entries.size === 0) table.delete(partition);
    },
    *entries(): IterableIterator<[KeyValue, unknown]> {
      for (const entry of visible()) yield [entry[0], entry[1]];
    },
    *keys(): IterableIterator<KeyValue> {
      for (const entry of visible()) yield entry[0];
    },
    *values(): IterableIterator<unknown> {
      for (const entry of visible()) yield entry[1];
    },
    isEmpty(): boolean {
      const partition = backend.currentKeyId;
      const entries = table.get(partition) as TtlEntries | undefined;
      if (entries === undefined) return true;
      const t = now();
      let expiredSeen = false;
      for (const [id, entry] of entries) {
        if (t >= entry[2] + ttlMs) {
          entries.delete(id);
          expiredSeen = true;
        }
      }
      if (entries.size > 0) return false;
      table.delete(partition);
      // An expired entry not cleaned up before this call is still visible to it.
      return !(returnExpired && expiredSeen);
    },
    clear() {
      table.delete(backend.currentKeyId);
    },
  };
}
