/**
 * Test job for watermark alignment: a fast and a slow source (timestamps = record index, rates
 * differ tenfold), each with a watermark generator in alignment group "g" (or unaligned). A
 * two-input function records how far the fast input's event time ran ahead of the slow one's.
 */

import { defineJob, EventTimeExtension, Sinks, Sources, type WatermarkGeneratorBuilder } from "@weir/api";

export const DRIFT = Sinks.collect<number>("max-drift");

export default defineJob(
  (
    env,
    params: { align: boolean; maxDriftMs: number; fastCount: number; slowCount: number; slowRate: number },
  ) => {
    const stamp = (builder: WatermarkGeneratorBuilder<number>) =>
      (params.align ? builder.withWatermarkAlignment("g", params.maxDriftMs, 10) : builder)
        .periodicWatermark(5)
        .buildAsProcessFunction();
    const fast = env
      .fromSource(
        Sources.generator((i) => i, { count: params.fastCount, recordsPerSecond: params.slowRate * 10 }),
        "Fast",
      )
      .process(stamp(EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)))
      .global();
    const slow = env
      .fromSource(
        Sources.generator((i) => i, { count: params.slowCount, recordsPerSecond: params.slowRate }),
        "Slow",
      )
      .process(stamp(EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)))
      .global();
    let fastTime = Number.NEGATIVE_INFINITY;
    let slowTime = Number.NEGATIVE_INFINITY;
    let maxDrift = 0;
    const observe = () => {
      // Only while both are still running: at the end both jump to +Infinity.
      if (Number.isFinite(fastTime) && Number.isFinite(slowTime))
        maxDrift = Math.max(maxDrift, fastTime - slowTime);
    };
    fast
      .connectAndProcess(slow, {
        processRecordFromFirstInput() {},
        processRecordFromSecondInput() {},
        onWatermarkFromFirstInput(watermark) {
          if (EventTimeExtension.isEventTimeWatermark(watermark)) fastTime = watermark.value as number;
          observe();
        },
        onWatermarkFromSecondInput(watermark) {
          if (EventTimeExtension.isEventTimeWatermark(watermark)) slowTime = watermark.value as number;
          observe();
        },
        endSecondInput(ctx) {
          ctx.applyToAllPartitions((out) => out.collect(maxDrift));
        },
      })
      .withName("Drift meter")
      .toSink(DRIFT);
  },
);
