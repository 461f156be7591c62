/**
 * Test job for watermark metrics: a paced generator whose record i happened at `i * stepMs` of
 * event time, a watermark generator that trails the largest timestamp by `lagMs`, and a keyed
 * per-key count. While it runs, every vertex's event-time watermark advances with the input.
 */

import { defineJob, EventTimeExtension, Sinks, Sources, StateDeclarations } from "@weir/api";

export interface ProgressParams {
  readonly count: number;
  readonly recordsPerSecond: number;
  /** Event time between consecutive records. */
  readonly stepMs: number;
  /** How far the watermark trails the largest timestamp seen. */
  readonly lagMs: number;
}

interface Tick {
  readonly key: number;
  readonly at: number;
}

export const COUNTS = Sinks.collect<{ key: number; count: number }>("progress-counts");

const COUNT = StateDeclarations.value<number>("count");

export default defineJob((env, params: ProgressParams) => {
  env
    .fromSource(
      Sources.generator((i): Tick => ({ key: i % 4, at: i * params.stepMs }), {
        count: params.count,
        recordsPerSecond: params.recordsPerSecond,
      }),
      "Ticks",
    )
    .process(
      EventTimeExtension.newWatermarkGeneratorBuilder((t: Tick) => t.at)
        .withMaxOutOfOrderTime(params.lagMs)
        .perEventWatermark()
        .buildAsProcessFunction(),
    )
    .withName("Timestamps and watermarks")
    .keyBy((t) => t.key)
    .process<{ key: number; count: number }>({
      usesStates: () => [COUNT],
      processRecord(_tick, _out, ctx) {
        const count = ctx.stateManager.getState(COUNT);
        count.update((count.value() ?? 0) + 1);
      },
      endInput(ctx) {
        ctx.applyToAllPartitions((out, partition) => {
          const state = partition.stateManager;
          out.collect({ key: state.getCurrentKey(), count: state.getState(COUNT).value() ?? 0 });
        });
      },
    })
    .withName("Counter")
    .toSink(COUNTS);
});
