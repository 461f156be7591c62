/**
 * State declarations and state handles. State is declared before use (FLIP-433): a process function
 * lists its declarations in `usesStates()`, the runtime validates them when the job graph is built
 * and hands out handles through `StateManager.getState`. Nothing is created lazily at run time, so
 * the runtime knows every piece of state a job owns before the first record arrives.
 * @module
 */

import type { KeyValue } from "./key.ts";

/**
 * What happens to non-keyed (per-subtask) state when a job is restored at another parallelism.
 * Keyed state always moves with its key groups and ignores this.
 *
 * - `NONE`: the state cannot be redistributed; restoring at another parallelism fails with an
 *   error naming the state.
 * - `REDISTRIBUTABLE`: list entries of all old subtasks are pooled and split evenly across the new
 *   subtasks (Flink's operator list state).
 * - `IDENTICAL`: every subtask holds the same value (e.g. broadcast state); each new subtask gets
 *   one copy.
 * @public
 */
export const RedistributionMode = {
  NONE: "NONE",
  REDISTRIBUTABLE: "REDISTRIBUTABLE",
  IDENTICAL: "IDENTICAL",
} as const;

/** @public */
export type RedistributionMode = (typeof RedistributionMode)[keyof typeof RedistributionMode];

/** Fields every state declaration has. @public */
interface StateDeclarationBase {
  /** Unique within the process function that declares it; part of the snapshot format. */
  readonly name: string;
  /** Only meaningful for non-keyed state; see {@link RedistributionMode}. */
  readonly redistribution: RedistributionMode;
}

/** Declares a single value per key (or per subtask on non-keyed streams). @public */
export interface ValueStateDeclaration<T> extends StateDeclarationBase {
  readonly kind: "value";
  /** Phantom field carrying the value type; never set at run time. */
  readonly __type?: T;
}

/** Declares an append-mostly list per key (or per subtask). @public */
export interface ListStateDeclaration<T> extends StateDeclarationBase {
  readonly kind: "list";
  /** Phantom field carrying the element type; never set at run time. */
  readonly __type?: T;
}

/** Declares a map per key (or per subtask). Map keys follow the same rules as stream keys. @public */
export interface MapStateDeclaration<K extends KeyValue, V> extends StateDeclarationBase {
  readonly kind: "map";
  /** Phantom field carrying the key and value types; never set at run time. */
  readonly __type?: [K, V];
}

/** Declares a value that folds every added element with `reduce`. @public */
export interface ReducingStateDeclaration<T> extends StateDeclarationBase {
  readonly kind: "reducing";
  /** Combines the stored value with a new one; must be deterministic. */
  readonly reduce: (accumulated: T, value: T) => T;
}

/**
 * An incremental aggregation: elements of type `IN` fold into an accumulator `ACC`, read as `OUT`.
 * Accumulators are stored in state, so they must be plain data (no closures, no class instances
 * whose methods are needed after a restore).
 * @public
 */
export interface AggregateFunction<IN, ACC, OUT> {
  /** A fresh accumulator for a key that has none. */
  createAccumulator(): ACC;
  /** Folds one element into the accumulator and returns it (it may be the same object, mutated). */
  add(value: IN, accumulator: ACC): ACC;
  /** Reads the result; must not change the accumulator. */
  getResult(accumulator: ACC): OUT;
  /** Merges two accumulators (needed by merging windows and local-global aggregation). */
  merge?(a: ACC, b: ACC): ACC;
}

/** Declares an aggregating state driven by an {@link AggregateFunction}. @public */
export interface AggregatingStateDeclaration<IN, ACC, OUT> extends StateDeclarationBase {
  readonly kind: "aggregating";
  readonly aggregate: AggregateFunction<IN, ACC, OUT>;
}

/**
 * Declares broadcast state: a map that every parallel instance holds identically. Writable only while
 * processing the broadcast input of a two-input broadcast function; read-only elsewhere.
 * @public
 */
export interface BroadcastStateDeclaration<K extends KeyValue, V> extends StateDeclarationBase {
  readonly kind: "broadcast";
  readonly redistribution: "IDENTICAL";
  /** Phantom field carrying the key and value types; never set at run time. */
  readonly __type?: [K, V];
}

/** Any state declaration. @public */
export type StateDeclaration =
  | ValueStateDeclaration<unknown>
  | ListStateDeclaration<unknown>
  // biome-ignore lint/suspicious/noExplicitAny: a union over every key and value type
  | MapStateDeclaration<any, unknown>
  // biome-ignore lint/suspicious/noExplicitAny: a union over every element type
  | ReducingStateDeclaration<any>
  // biome-ignore lint/suspicious/noExplicitAny: a union over every aggregation
  | AggregatingStateDeclaration<any, any, any>
  // biome-ignore lint/suspicious/noExplicitAny: a union over every key and value type
  | BroadcastStateDeclaration<any, unknown>;

function checkName(name: string): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`state declaration needs a non-empty name, got ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * Factories for state declarations.
 *
 * @example
 * ```ts
 * const COUNT = StateDeclarations.value<number>("count");
 * const fn: OneInputStreamProcessFunction<string, [string, number]> = {
 *   usesStates: () => [COUNT],
 *   processRecord(word, out, ctx) {
 *     const count = ctx.stateManager.getState(COUNT);
 *     const next = (count.value() ?? 0) + 1;
 *     count.update(next);
 *     out.collect([word, next]);
 *   },
 * };
 * ```
 * @public
 */
export const StateDeclarations = {
  /** A single value; on non-keyed streams it cannot be redistributed. */
  value<T>(name: string): ValueStateDeclaration<T> {
    return Object.freeze({ kind: "value", name: checkName(name), redistribution: RedistributionMode.NONE });
  },
  /** A list; on non-keyed streams `redistribution` says how it moves on rescale (default REDISTRIBUTABLE). */
  list<T>(
    name: string,
    redistribution: RedistributionMode = RedistributionMode.REDISTRIBUTABLE,
  ): ListStateDeclaration<T> {
    return Object.freeze({ kind: "list", name: checkName(name), redistribution });
  },
  /** A map from keys to values. */
  map<K extends KeyValue, V>(name: string): MapStateDeclaration<K, V> {
    return Object.freeze({ kind: "map", name: checkName(name), redistribution: RedistributionMode.NONE });
  },
  /** A value folded with `reduce` on every `add`. */
  reducing<T>(name: string, reduce: (accumulated: T, value: T) => T): ReducingStateDeclaration<T> {
    return Object.freeze({
      kind: "reducing",
      name: checkName(name),
      redistribution: RedistributionMode.NONE,
      reduce,
    });
  },
  /** An incremental aggregation. */
  aggregating<IN, ACC, OUT>(
    name: string,
    aggregate: AggregateFunction<IN, ACC, OUT>,
  ): AggregatingStateDeclaration<IN, ACC, OUT> {
    return Object.freeze({
      kind: "aggregating",
      name: checkName(name),
      redistribution: RedistributionMode.NONE,
      aggregate,
    });
  },
  /** A broadcast map, identical on every parallel instance. */
  broadcast<K extends KeyValue, V>(name: string): BroadcastStateDeclaration<K, V> {
    return Object.freeze({
      kind: "broadcast",
      name: checkName(name),
      redistribution: RedistributionMode.IDENTICAL,
    });
  },
} as const;

/**
 * A single value. Reads return `undefined` when nothing was stored for the current key.
 * @public
 */
export interface ValueState<T> {
  /** The stored value, or `undefined` when none is stored. */
  value(): T | undefined;
  /** Stores `value`; storing `undefined` is the same as `clear()`. */
  update(value: T): void;
  /** Removes the value. */
  clear(): void;
}

/** A list of values. `get()` returns a read-only view; mutate only through the handle. @public */
export interface ListState<T> {
  /** The elements in insertion order; empty when nothing is stored. */
  get(): readonly T[];
  /** Appends one element. */
  add(value: T): void;
  /** Appends elements in order. */
  addAll(values: readonly T[]): void;
  /** Replaces the whole list. */
  update(values: readonly T[]): void;
  /** Removes every element. */
  clear(): void;
}

/** A map scoped to the current key (or subtask). Iteration order is insertion order. @public */
export interface MapState<K extends KeyValue, V> {
  /** The value under `key`, or `undefined`. */
  get(key: K): V | undefined;
  /** Stores `value` under `key`, replacing any previous value. */
  put(key: K, value: V): void;
  /** Removes `key` and its value. */
  remove(key: K): void;
  /** Whether `key` has a value. */
  contains(key: K): boolean;
  /** Entries in insertion order; do not mutate the map while iterating. */
  entries(): IterableIterator<[K, V]>;
  /** Keys in insertion order. */
  keys(): IterableIterator<K>;
  /** Values in insertion order. */
  values(): IterableIterator<V>;
  /** Whether the map has no entries. */
  isEmpty(): boolean;
  /** Removes every entry. */
  clear(): void;
}

/** A value folded by the declaration's reduce function. @public */
export interface ReducingState<T> {
  /** The reduced value, or `undefined` when nothing was added. */
  get(): T | undefined;
  /** Folds `value` into the stored value with the declaration's reduce function. */
  add(value: T): void;
  /** Removes the value. */
  clear(): void;
}

/** An aggregation; `get()` is `undefined` until something was added. @public */
export interface AggregatingState<IN, OUT> {
  /** The aggregate's result, or `undefined` when nothing was added. */
  get(): OUT | undefined;
  /** Adds `value` to the accumulator. */
  add(value: IN): void;
  /** Removes the accumulator. */
  clear(): void;
}

/** Broadcast state; mutating methods throw outside the broadcast side of a two-input function. @public */
export interface BroadcastState<K extends KeyValue, V> {
  /** The value under `key`, or `undefined`. */
  get(key: K): V | undefined;
  /** Stores `value` under `key` (broadcast side only). */
  put(key: K, value: V): void;
  /** Removes `key` (broadcast side only). */
  remove(key: K): void;
  /** Whether `key` has a value. */
  contains(key: K): boolean;
  /** Entries in insertion order. */
  entries(): IterableIterator<[K, V]>;
  /** Removes every entry (broadcast side only). */
  clear(): void;
}

/** Maps a declaration type to the handle type `StateManager.getState` returns. @public */
export type StateHandleFor<D> =
  D extends ValueStateDeclaration<infer T>
    ? ValueState<T>
    : D extends ListStateDeclaration<infer T>
      ? ListState<T>
      : D extends MapStateDeclaration<infer K, infer V>
        ? MapState<K, V>
        : D extends ReducingStateDeclaration<infer T>
          ? ReducingState<T>
          : D extends AggregatingStateDeclaration<infer IN, infer _ACC, infer OUT>
            ? AggregatingState<IN, OUT>
            : D extends BroadcastStateDeclaration<infer K, infer V>
              ? BroadcastState<K, V>
              : never;

/**
 * Gives access to declared state, scoped to the record or timer being processed.
 *
 * Contract: `getState` throws when the declaration was not listed in the function's `usesStates()`
 * (the error names the state and the operator). On keyed streams the handle reads and writes the
 * state of `getCurrentKey()`; handles may be cached by the function but always act on the key of the
 * call in progress.
 * @public
 */
export interface StateManager<K extends KeyValue = KeyValue> {
  /** The key of the record or timer being processed; throws on non-keyed streams. */
  getCurrentKey(): K;
  /** The handle for a declared state. */
  getState<D extends StateDeclaration>(declaration: D): StateHandleFor<D>;
}
