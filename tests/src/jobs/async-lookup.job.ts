/**
 * Test job: numbers 0..count-1 -> processAsync with a simulated lookup whose latency varies by
 * record (so requests complete out of order) -> collect sink. Each output says which subtask
 * produced it and how many of that subtask's calls were outstanding when it started, so a test
 * can check the order per subtask and the capacity bound. Switches turn on a keyed input, a record
 * that always fails, and a record that never answers (for the timeout fallback).
 */

import { type AsyncProcessFunction, defineJob, Sinks } from "@weir/api";

export interface AsyncLookupParams {
  readonly count: number;
  readonly ordered: boolean;
  readonly capacity: number;
  /** keyBy(value % 7) before the async step. */
  readonly keyed?: boolean;
  /** The lookup of this value always rejects. */
  readonly failOn?: number;
  /** The lookup of this value never settles; with `timeoutMs` the fallback answers it. */
  readonly hangOn?: number;
  readonly timeoutMs?: number;
  /** Send the results through `global()` to a sink at parallelism 1 (a network edge after the async step). */
  readonly thenGlobal?: boolean;
  /** Passed to processAsync as is (to test validation). */
  readonly rawOptions?: unknown;
}

export interface Looked {
  readonly value: number;
  /** value * value, or -1 from the timeout fallback. */
  readonly squared: number;
  readonly subtask: number;
  /** Calls of this subtask outstanding when this one started (itself included). */
  readonly outstanding: number;
  readonly attempt: number;
}

export const RESULTS = Sinks.collect<Looked>("async-lookup-results");

/** 0..4 ms, varying with the value, so neighbours finish in a different order. */
export function latencyOf(value: number): number {
  return (value * 7919) % 5;
}

function lookup(params: AsyncLookupParams): AsyncProcessFunction<number, Looked> {
  // One function object per worker thread (each rebuilds the graph), i.e. per subtask here.
  let outstanding = 0;
  return {
    async processRecordAsync(value, ctx) {
      outstanding++;
      const seen = outstanding;
      try {
        if (value === params.failOn) throw new Error(`lookup of ${value} failed`);
        if (value === params.hangOn) await new Promise(() => {});
        await new Promise((resolve) => setTimeout(resolve, latencyOf(value)));
        return [
          {
            value,
            squared: value * value,
            subtask: ctx.taskInfo.indexOfThisSubtask,
            outstanding: seen,
            attempt: ctx.attempt,
          },
        ];
      } finally {
        outstanding--;
      }
    },
    onTimeout: (value, ctx) => [
      { value, squared: -1, subtask: ctx.taskInfo.indexOfThisSubtask, outstanding: 0, attempt: ctx.attempt },
    ],
  };
}

export default defineJob((env, params: AsyncLookupParams) => {
  const numbers = env.fromCollection(Array.from({ length: params.count }, (_, i) => i));
  const options =
    params.rawOptions !== undefined
      ? params.rawOptions
      : {
          ordered: params.ordered,
          capacity: params.capacity,
          ...(params.timeoutMs !== undefined ? { timeoutMs: params.timeoutMs } : {}),
          ...(params.failOn !== undefined ? { retry: { maxAttempts: 2, backoffMs: 1 } } : {}),
        };
  const input = params.keyed === true ? numbers.keyBy((n) => n % 7) : numbers;
  const looked = input.processAsync(lookup(params), options as never).withName("Lookup");
  if (params.thenGlobal === true) looked.global().toSink(RESULTS);
  else looked.toSink(RESULTS);
});
