/**
 * Built-in extensions (DESIGN.md §1.2): map, filter, flatMap and reduce written only with the
 * primitives, as ordinary process functions. The stream methods of the same names call these.
 * @module
 */

import type { OneInputStreamProcessFunction } from "../functions.ts";
import type { KeyValue } from "../key.ts";
import { StateDeclarations } from "../state.ts";

/**
 * Factories for common process functions.
 * @public
 */
export const BuiltinFuncs = {
  /** Applies `fn` to every record. */
  map<IN, OUT>(fn: (record: IN) => OUT): OneInputStreamProcessFunction<IN, OUT, never> {
    return {
      processRecord(record, output) {
        output.collect(fn(record));
      },
    };
  },
  /** Keeps the records for which `predicate` holds. */
  filter<T>(predicate: (record: T) => boolean): OneInputStreamProcessFunction<T, T, never> {
    return {
      processRecord(record, output) {
        if (predicate(record)) output.collect(record);
      },
    };
  },
  /** Emits every element of the iterable `fn` returns. */
  flatMap<IN, OUT>(fn: (record: IN) => Iterable<OUT>): OneInputStreamProcessFunction<IN, OUT, never> {
    return {
      processRecord(record, output) {
        for (const item of fn(record)) output.collect(item);
      },
    };
  },
  /**
   * Running reduction per key on a keyed stream: keeps the reduced value in value state and emits it
   * after every record.
   */
  reduce<K extends KeyValue, T>(
    fn: (accumulated: T, record: T) => T,
  ): OneInputStreamProcessFunction<T, T, K> {
    const REDUCED = StateDeclarations.value<T>("reduced");
    return {
      usesStates: () => [REDUCED],
      processRecord(record, output, ctx) {
        const state = ctx.stateManager.getState(REDUCED);
        const previous = state.value();
        const next = previous === undefined ? record : fn(previous, record);
        state.update(next);
        output.collect(next);
      },
    };
  },
} as const;
