/**
 * A keyed stateful job over an unbounded generator with processing-time timers: sensor readings
 * arrive continuously; per sensor, the job sums readings in keyed state and, on a processing-time
 * timer at the end of each interval, emits the interval's count and average, then clears the state.
 *
 * Run it (Ctrl-C stops it): `npx weir run examples/src/sensor-averages.job.ts --parallelism 2`
 */

import { defineJob, type OneInputStreamProcessFunction, Sinks, Sources, StateDeclarations } from "@weir/api";

export interface SensorParams {
  /** Number of distinct sensors (default 4). */
  readonly sensors?: number;
  /** Readings per second across all sensors (default 1000). */
  readonly recordsPerSecond?: number;
  /** Length of a reporting interval in milliseconds (default 1000). */
  readonly intervalMs?: number;
}

export interface Reading {
  readonly sensor: string;
  readonly value: number;
}

export interface IntervalReport {
  readonly sensor: string;
  /** Processing time (ms since the epoch) at which the interval closed. */
  readonly intervalEnd: number;
  readonly count: number;
  readonly average: number;
}

/** A deterministic pseudo-random reading in [0, 100) for a reading index. */
export function readingValue(index: number): number {
  const x = Math.sin(index * 12.9898) * 43758.5453;
  return Math.round((x - Math.floor(x)) * 10_000) / 100;
}

const SUM = StateDeclarations.value<number>("sum");
const COUNT = StateDeclarations.value<number>("count");
const TIMER = StateDeclarations.value<number>("timer");

function intervalAverages(
  intervalMs: number,
): OneInputStreamProcessFunction<Reading, IntervalReport, string> {
  return {
    usesStates: () => [SUM, COUNT, TIMER],
    processRecord(reading, _output, ctx) {
      const state = ctx.stateManager;
      state.getState(SUM).update((state.getState(SUM).value() ?? 0) + reading.value);
      state.getState(COUNT).update((state.getState(COUNT).value() ?? 0) + 1);
      if (state.getState(TIMER).value() === undefined) {
        const now = ctx.processingTimeManager.currentTime();
        const end = (Math.floor(now / intervalMs) + 1) * intervalMs;
        ctx.processingTimeManager.registerTimer(end);
        state.getState(TIMER).update(end);
      }
    },
    onProcessingTimer(timestamp, output, ctx) {
      const state = ctx.stateManager;
      const count = state.getState(COUNT).value() ?? 0;
      const sum = state.getState(SUM).value() ?? 0;
      output.collect({
        sensor: state.getCurrentKey(),
        intervalEnd: timestamp,
        count,
        average: count === 0 ? 0 : Math.round((sum / count) * 100) / 100,
      });
      state.getState(SUM).clear();
      state.getState(COUNT).clear();
      state.getState(TIMER).clear();
    },
  };
}

export default defineJob((env, params: SensorParams | undefined) => {
  const sensors = params?.sensors ?? 4;
  const intervalMs = params?.intervalMs ?? 1000;
  env
    .fromSource(
      Sources.generator<Reading>((i) => ({ sensor: `sensor-${i % sensors}`, value: readingValue(i) }), {
        recordsPerSecond: params?.recordsPerSecond ?? 1000,
      }),
      "Sensor readings",
    )
    .keyBy((reading) => reading.sensor)
    .process(intervalAverages(intervalMs))
    .withName("Interval averages")
    .toSink(Sinks.print());
});
