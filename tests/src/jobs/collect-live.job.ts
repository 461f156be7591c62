/**
 * Numbers 0 … count-1 into a collect sink, at a set rate, with a failure injected once (on the
 * first attempt, at record `failAt`) between source and sink — for the `onCollected` tests.
 */

import { defineJob, Sinks, Sources } from "@weir/api";

export const NUMBERS = Sinks.collect<number>("live-numbers");

export interface CollectLiveParams {
  readonly count: number;
  readonly recordsPerSecond: number;
  /** Index whose processing throws on the first attempt; -1 for none. */
  readonly failAt: number;
}

export default defineJob((env, params: CollectLiveParams) => {
  env
    .fromSource(
      Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
      "Numbers",
    )
    .withUid("numbers")
    .process<number>({
      processRecord(record, out, ctx) {
        if (record === params.failAt && ctx.taskInfo.attemptNumber === 0)
          throw new Error(`injected failure at ${record}`);
        out.collect(record);
      },
    })
    .withUid("injector")
    .toSink(NUMBERS);
});
