/**
 * State handles over state tables (a heap `Map` or the LMDB backend's cache). Each handle reads `backend.currentKeyId` at call time, so one
 * handle serves every key. Map and broadcast state store `[key, value]` entries under the map key's
 * canonical id, which makes composite map keys (tuples, objects) work like primitive ones.
 * @module
 */

import type { KeyValue, StateDeclaration } from "@weir/api";
import { canonicalKeyId } from "../keys/key-hash.ts";
import { misuse } from "../user-code-error.ts";
import type { KeyContext, KeyId, StateTable } from "./state-backend.ts";

/** Broadcast state is per subtask, not per key. */
export const BROADCAST_PARTITION = "\u0000broadcast";

type Entries = Map<KeyId, [KeyValue, unknown]>;

const mapId = canonicalKeyId;

function mapHandle(
  table: StateTable,
  partition: () => KeyId,
  checkWrite: () => void,
): {
  get(key: KeyValue): unknown;
  put(key: KeyValue, value: unknown): void;
  remove(key: KeyValue): void;
  contains(key: KeyValue): boolean;
  entries(): IterableIterator<[KeyValue, unknown]>;
  keys(): IterableIterator<KeyValue>;
  values(): IterableIterator<unknown>;
  isEmpty(): boolean;
  clear(): void;
} {
  const read = (): Entries | undefined => table.get(partition()) as Entries | undefined;
  return {
    get: (key) => read()?.get(mapId(key))?.[1],
    put(key, value) {
      checkWrite();
      const id = partition();
      let entries = table.get(id) as Entries | undefined;
      if (entries === undefined) {
        entries = new Map();
        table.set(id, entries);
      }
      entries.set(mapId(key), [key, value]);
    },
    remove(key) {
      checkWrite();
      const id = partition();
      const entries = table.get(id) as Entries | undefined;
      if (entries === undefined) return;
      entries.delete(mapId(key));
      if (entries.size === 0) table.delete(id);
    },
    contains: (key) => read()?.has(mapId(key)) ?? false,
    *entries() {
      const entries = read();
      if (entries !== undefined) for (const [key, value] of entries.values()) yield [key, value];
    },
    *keys() {
      const entries = read();
      if (entries !== undefined) for (const [key] of entries.values()) yield key;
    },
    *values() {
      const entries = read();
      if (entries !== undefined) for (const [, value] of entries.values()) yield value;
    },
    isEmpty: () => (read()?.size ?? 0) === 0,
    clear() {
      checkWrite();
      table.delete(partition());
    },
  };
}

export function createStateHandle(
  declaration: StateDeclaration,
  table: StateTable,
  backend: KeyContext,
  operatorName: string,
): unknown {
  const id = (): KeyId => backend.currentKeyId;
  const noWriteCheck = () => {};
  switch (declaration.kind) {
    case "value":
      return {
        value: () => table.get(backend.currentKeyId),
        update(value: unknown) {
          if (value === undefined) table.delete(backend.currentKeyId);
          else table.set(backend.currentKeyId, value);
        },
        clear: () => {
          table.delete(backend.currentKeyId);
        },
      };
    case "list":
      return {
        get: () => (table.get(backend.currentKeyId) as unknown[] | undefined) ?? [],
        add(value: unknown) {
          const list = table.get(backend.currentKeyId) as unknown[] | undefined;
          if (list === undefined) table.set(backend.currentKeyId, [value]);
          else list.push(value);
        },
        addAll(values: readonly unknown[]) {
          if (values.length === 0) return;
          const list = table.get(backend.currentKeyId) as unknown[] | undefined;
          if (list === undefined) table.set(backend.currentKeyId, [...values]);
          else for (const v of values) list.push(v);
        },
        update(values: readonly unknown[]) {
          if (values.length === 0) table.delete(backend.currentKeyId);
          else table.set(backend.currentKeyId, [...values]);
        },
        clear: () => {
          table.delete(backend.currentKeyId);
        },
      };
    case "map":
      return mapHandle(table, id, noWriteCheck);
    case "reducing": {
      const reduce = declaration.reduce;
      return {
        get: () => table.get(backend.currentKeyId),
        add(value: unknown) {
          const key = backend.currentKeyId;
          const current = table.get(key);
          table.set(key, current === undefined ? value : reduce(current, value));
        },
        clear: () => {
          table.delete(backend.currentKeyId);
        },
      };
    }
    case "aggregating": {
      const aggregate = declaration.aggregate;
      return {
        get() {
          const accumulator = table.get(backend.currentKeyId);
          return accumulator === undefined ? undefined : aggregate.getResult(accumulator);
        },
        add(value: unknown) {
          const key = backend.currentKeyId;
          const accumulator = table.get(key) ?? aggregate.createAccumulator();
          table.set(key, aggregate.add(value, accumulator));
        },
        clear: () => {
          table.delete(backend.currentKeyId);
        },
      };
    }
    case "broadcast":
      return mapHandle(
        table,
        () => BROADCAST_PARTITION,
        () => {
          if (!backend.broadcastWritable) {
            throw misuse(
              operatorName,
              `broadcast state "${declaration.name}" is read-only outside processRecordFromBroadcastInput`,
            );
          }
        },
      );
  }
}
