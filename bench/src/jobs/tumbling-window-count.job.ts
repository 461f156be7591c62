/**
 * generator -> event-time watermarks -> keyBy -> tumbling event-time window count per key (window
 * extension, incremental aggregate) -> discard. One event per millisecond of event time, up to
 * `DISORDER_MS` out of order; with the defaults (1 000 keys, 10 s windows) each window holds ten
 * events per key, so the job emits one result per ten events. With parallelism p, (p-1)/p of the
 * events cross to another worker thread at the keyBy.
 *
 * Verifying variant (`verify: true`): the window counts go to a collect sink.
 * @module
 */

import {
  type AggregateFunction,
  defineJob,
  EventTimeExtension,
  Sinks,
  Sources,
  WindowFunctions,
  WindowStrategy,
  Windows,
} from "@weir/api";
import { type BenchJobParams, eventsOf } from "./params.ts";

export interface TumblingWindowCountParams extends BenchJobParams {
  /** Distinct keys (default 1 000). */
  readonly keys?: number;
  /** Window size in milliseconds of event time, one event per millisecond (default 10 000). */
  readonly windowMs?: number;
}

export interface Event {
  readonly key: number;
  /** Event time: the index, up to DISORDER_MS behind. */
  readonly at: number;
}

export interface WindowCount {
  readonly key: number;
  readonly start: number;
  readonly count: number;
}

export const DEFAULT_KEYS = 1_000;
export const DEFAULT_WINDOW_MS = 10_000;
/** Events are at most this far behind the largest timestamp before them. */
export const DISORDER_MS = 50;

/** The event of an index: keys round-robin, timestamps the index with a bounded, uneven delay. */
export function eventAt(index: number, keys: number): Event {
  return { key: index % keys, at: index - ((index * 7) % DISORDER_MS) };
}

const COUNT: AggregateFunction<Event, number, number> = {
  createAccumulator: () => 0,
  add: (_event, count) => count + 1,
  getResult: (count) => count,
  merge: (a, b) => a + b,
};

/** The window counts, in the verifying variant. */
export const WINDOW_COUNTS = Sinks.collect<WindowCount>("bench-window-counts");

export default defineJob((env, params: TumblingWindowCountParams) => {
  const events = eventsOf(params);
  const keys = params.keys ?? DEFAULT_KEYS;
  const windowMs = params.windowMs ?? DEFAULT_WINDOW_MS;
  if (!Number.isInteger(keys) || keys < 1)
    throw new TypeError(`params.keys must be a positive integer, got ${keys}`);
  const counts = env
    .fromSource(
      Sources.generator((index) => eventAt(index, keys), { count: events }),
      "Generator",
    )
    .process(
      EventTimeExtension.newWatermarkGeneratorBuilder((event: Event) => event.at)
        .withMaxOutOfOrderTime(DISORDER_MS)
        .periodicWatermark(200)
        .buildAsProcessFunction(),
    )
    .withName("Watermarks")
    .keyBy((event) => event.key)
    .process(
      Windows.window(
        WindowStrategy.tumbling(windowMs),
        WindowFunctions.aggregate(COUNT, {
          process(key: number, window, [count], out) {
            out.collect({ key, start: window.start, count });
          },
        }),
      ),
    )
    .withName("Tumbling window count");
  counts
    .toSink(params.verify === true ? WINDOW_COUNTS : Sinks.discard())
    .withName(params.verify === true ? "Collect" : "Discard");
});
