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

/**
 * Time-to-live of keyed state, as Flink's `StateTtlConfig`. Pass it as `{ ttl }` in the options of
 * a keyed state factory ({@link StateDeclarations}: value, list, map, reducing, aggregating).
 *
 * Contract:
 * - TTL is measured in processing time: the operator's clock (wall-clock time in a job, the manual
 *   clock in the test harness). Event time plays no part.
 * - Every stored value carries the time it was last updated: the whole value for value, reducing
 *   and aggregating state; each element for list state; each entry for map state.
 * - A value is expired once `now >= lastUpdate + ttlMs`.
 * - Expired values are removed lazily: by the read that finds them (for list state, any `get()`;
 *   for map state, a read of the entry or an iteration), or by a write that replaces them. They
 *   are never part of a snapshot (expired values are dropped when the snapshot is taken). A restore
 *   keeps the timestamps, so the remaining time to live carries over; a TTL cannot be added to
 *   state that was snapshotted without one (the restore fails naming the state).
 * - Writes (`update`, `add`, `addAll`, `put`) set the timestamp of what they write to `now`. A
 *   write to a value that already expired starts from nothing: an expired reducing or aggregating
 *   value is not folded into, it is replaced.
 * - Only keyed state can have a TTL; declaring a TTL state on a non-keyed stream (or on broadcast
 *   state) fails when the job graph is built.
 *
 * A worked sequence, `ttlMs: 100`, processing time in ms:
 * ```text
 *  t=0    update(1)      stored 1, last update 0
 *  t=50   value() -> 1   OnCreateAndWrite: the read does not refresh (expires at 100)
 *                        OnReadAndWrite: the read refreshes (expires at 150)
 *  t=99   value() -> 1
 *  t=100  value()        OnCreateAndWrite: expired -> undefined (NeverReturnExpired), and removed
 *                        OnReadAndWrite: -> 1, refreshed at 50 and 99, expires at 199
 * ```
 * With `ReturnExpiredIfNotCleanedUp`, the read at t=100 (OnCreateAndWrite) returns 1 once, removing
 * it; the next read returns `undefined`.
 * @public
 */
export interface StateTtlConfig {
  /** Time to live in milliseconds of processing time; a positive finite number. */
  readonly ttlMs: number;
  /**
   * What refreshes the timestamp: `"OnCreateAndWrite"` (default) only writes;
   * `"OnReadAndWrite"` reads of unexpired values too (for list and map state: the elements or
   * entries the read returns).
   */
  readonly updateType?: "OnCreateAndWrite" | "OnReadAndWrite";
  /**
   * Whether expired values may be read: `"NeverReturnExpired"` (default) reads them as absent;
   * `"ReturnExpiredIfNotCleanedUp"` returns an expired value that was not removed yet, and removes
   * it with that read (so the next read does not see it). Writes and snapshots never keep expired
   * values, whatever the visibility.
   */
  readonly stateVisibility?: "NeverReturnExpired" | "ReturnExpiredIfNotCleanedUp";
}

/** Options of the keyed state factories of {@link StateDeclarations}. @public */
export interface StateOptions {
  /** Time-to-live of the state's values; see {@link StateTtlConfig}. No TTL when absent. */
  readonly ttl?: StateTtlConfig | undefined;
}

/** Options of {@link StateDeclarations.list}. @public */
export interface ListStateOptions extends StateOptions {
  /** How the list moves on rescale on non-keyed streams (default REDISTRIBUTABLE). */
  readonly redistribution?: RedistributionMode | undefined;
}

/** Fields every state declaration has. @public */
interface StateDeclarationBase {
  /** Unique within the process function that declares it; part of the snapshot format. */
  readonly name: string;
  /** Only meaningful for non-keyed state; see {@link RedistributionMode}. */
  readonly redistribution: RedistributionMode;
  /**
   * Time-to-live (keyed state only); absent when the state never expires. The factories store it
   * with its defaults filled in. See {@link StateTtlConfig}.
   */
  readonly ttl?: StateTtlConfig;
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

const TTL_KEYS = new Set(["ttlMs", "updateType", "stateVisibility"]);
const UPDATE_TYPES = new Set(["OnCreateAndWrite", "OnReadAndWrite"]);
const VISIBILITIES = new Set(["NeverReturnExpired", "ReturnExpiredIfNotCleanedUp"]);

/** Validates the options of a state factory; returns the ttl with defaults filled in (frozen). */
function checkOptions(
  name: string,
  options: StateOptions | undefined,
  allowed: readonly string[] = ["ttl"],
): { ttl?: Required<StateTtlConfig> } {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`state "${name}": options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(
        `state "${name}": unknown option "${key}" (known: ${allowed.map((k) => `"${k}"`).join(", ")})`,
      );
    }
  }
  const ttl = options.ttl;
  if (ttl === undefined) return {};
  if (ttl === null || typeof ttl !== "object" || Array.isArray(ttl)) {
    throw new TypeError(`state "${name}": ttl must be an object like { ttlMs: 60000 }, got ${String(ttl)}`);
  }
  for (const key of Object.keys(ttl)) {
    if (!TTL_KEYS.has(key)) {
      throw new TypeError(
        `state "${name}": unknown ttl option "${key}" (known: "ttlMs", "updateType", "stateVisibility")`,
      );
    }
  }
  const { ttlMs, updateType = "OnCreateAndWrite", stateVisibility = "NeverReturnExpired" } = ttl;
  if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(
      `state "${name}": ttl.ttlMs must be a positive finite number of milliseconds, got ${String(ttlMs)}`,
    );
  }
  if (!UPDATE_TYPES.has(updateType)) {
    throw new RangeError(
      `state "${name}": ttl.updateType must be "OnCreateAndWrite" or "OnReadAndWrite", got ${JSON.stringify(updateType)}`,
    );
  }
  if (!VISIBILITIES.has(stateVisibility)) {
    throw new RangeError(
      `state "${name}": ttl.stateVisibility must be "NeverReturnExpired" or "ReturnExpiredIfNotCleanedUp", got ${JSON.stringify(stateVisibility)}`,
    );
  }
  return { ttl: Object.freeze({ ttlMs, updateType, stateVisibility }) };
}

const REDISTRIBUTION_MODES = new Set<unknown>(Object.values(RedistributionMode));

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
  /** A single value; on non-keyed streams it cannot be redistributed. `options.ttl`: see {@link StateTtlConfig}. */
  value<T>(name: string, options?: StateOptions): ValueStateDeclaration<T> {
    checkName(name);
    return Object.freeze({
      kind: "value",
      name,
      redistribution: RedistributionMode.NONE,
      ...checkOptions(name, options),
    });
  },
  /**
   * A list; on non-keyed streams the redistribution mode says how it moves on rescale (default
   * REDISTRIBUTABLE). The second argument is either that mode or an options object
   * `{ redistribution?, ttl? }`; with a TTL, each element expires on its own ({@link StateTtlConfig}).
   */
  list<T>(
    name: string,
    redistributionOrOptions: RedistributionMode | ListStateOptions = RedistributionMode.REDISTRIBUTABLE,
  ): ListStateDeclaration<T> {
    checkName(name);
    const options: ListStateOptions =
      typeof redistributionOrOptions === "string"
        ? { redistribution: redistributionOrOptions }
        : redistributionOrOptions;
    const checked = checkOptions(name, options, ["redistribution", "ttl"]);
    const redistribution = options.redistribution ?? RedistributionMode.REDISTRIBUTABLE;
    if (!REDISTRIBUTION_MODES.has(redistribution)) {
      throw new RangeError(
        `state "${name}": redistribution must be one of ${[...REDISTRIBUTION_MODES].join(", ")}, got ${JSON.stringify(redistribution)}`,
      );
    }
    return Object.freeze({ kind: "list", name, redistribution, ...checked });
  },
  /** A map from keys to values. With a TTL, each entry expires on its own ({@link StateTtlConfig}). */
  map<K extends KeyValue, V>(name: string, options?: StateOptions): MapStateDeclaration<K, V> {
    checkName(name);
    return Object.freeze({
      kind: "map",
      name,
      redistribution: RedistributionMode.NONE,
      ...checkOptions(name, options),
    });
  },
  /** A value folded with `reduce` on every `add`. `options.ttl`: see {@link StateTtlConfig}. */
  reducing<T>(
    name: string,
    reduce: (accumulated: T, value: T) => T,
    options?: StateOptions,
  ): ReducingStateDeclaration<T> {
    checkName(name);
    return Object.freeze({
      kind: "reducing",
      name,
      redistribution: RedistributionMode.NONE,
      reduce,
      ...checkOptions(name, options),
    });
  },
  /** An incremental aggregation. `options.ttl` (the accumulator expires): see {@link StateTtlConfig}. */
  aggregating<IN, ACC, OUT>(
    name: string,
    aggregate: AggregateFunction<IN, ACC, OUT>,
    options?: StateOptions,
  ): AggregatingStateDeclaration<IN, ACC, OUT> {
    checkName(name);
    return Object.freeze({
      kind: "aggregating",
      name,
      redistribution: RedistributionMode.NONE,
      aggregate,
      ...checkOptions(name, options),
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
