/**
 * Test job: a fast bounded generator at parallelism 2 feeding one slow sink through `global()`,
 * so records cross threads. Both sides count in shared memory (a SharedArrayBuffer passed as a
 * job parameter is shared by every thread): the sink records the largest gap between records
 * produced and records written, which backpressure must keep bounded.
 */

import { defineJob, type Sink, Sources } from "@weir/api";

export interface SlowSinkParams {
  readonly count: number;
  readonly writeDelayMs: number;
  /** Int32 slots: [0] produced, [1] written, [2] max gap seen by the sink, [3] writes. */
  readonly counters: SharedArrayBuffer;
}

export const PRODUCED = 0;
export const WRITTEN = 1;
export const MAX_GAP = 2;
export const WRITES = 3;

function slowSink(counters: Int32Array, delayMs: number): Sink<number> {
  return {
    createWriter: () => ({
      async write(records) {
        const written = Atomics.add(counters, WRITTEN, records.length) + records.length;
        const gap = Atomics.load(counters, PRODUCED) - written;
        if (gap > Atomics.load(counters, MAX_GAP)) Atomics.store(counters, MAX_GAP, gap);
        Atomics.add(counters, WRITES, 1);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      },
      flush() {},
      close() {},
    }),
  };
}

export default defineJob((env, params: SlowSinkParams) => {
  const counters = new Int32Array(params.counters);
  env
    .fromSource(
      Sources.generator(
        (i) => {
          Atomics.add(counters, PRODUCED, 1);
          return i;
        },
        { count: params.count },
      ),
      "Fast source",
    )
    .withParallelism(2)
    .global()
    .toSink(slowSink(counters, params.writeDelayMs))
    .withName("Slow sink");
});
