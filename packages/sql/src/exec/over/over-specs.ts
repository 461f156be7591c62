/**
 * Spec of the OVER aggregation operator (Flink's OverAggregate): the contract between the
 * planner's translation and `over-aggregate-function.ts`.
 *
 * Invariant: the frame always ends at CURRENT ROW (the only end Flink's streaming OVER supports);
 * `preceding` / `precedingMs` null means UNBOUNDED PRECEDING. Times are epoch milliseconds, as the
 * time attribute values (see `../../data/values.ts`).
 *
 * Worked example, `SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT
 * ROW)` over rows `[k, v, ts]`:
 * `{ partitionKey: [0], timeIndex: 2, timeKind: "rowtime", frame: { kind: "ROWS", preceding: 2 },
 * calls: [SUM($1)] }`; output rows are `[k, v, ts, sum]`.
 * @module
 */

import type { AggregateCallSpec, StatefulOptions } from "../operator-specs.ts";
import type { WindowTimeKind } from "../window/window-specs.ts";

/** `ROWS n PRECEDING` counts rows; `RANGE INTERVAL … PRECEDING` spans time back from the row's own. */
export type OverFrame =
  | { readonly kind: "ROWS"; readonly preceding: number | null }
  | { readonly kind: "RANGE"; readonly precedingMs: number | null };

/**
 * OVER aggregation over an insert-only input keyed by `partitionKey`. Output row: the input row
 * followed by one field per call, one output row per input row (insert-only). Event time: rows wait
 * until the watermark passes their timestamp and come out in timestamp order; rows not later than
 * the watermark when they arrive are dropped (late). Processing time: rows come out on arrival.
 */
export interface OverAggregateSpec extends StatefulOptions {
  readonly partitionKey: readonly number[];
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly frame: OverFrame;
  readonly calls: readonly AggregateCallSpec[];
}

/** `ROWS BETWEEN 2 PRECEDING AND CURRENT ROW`, as Flink's EXPLAIN prints the frame. */
export function formatOverFrame(frame: OverFrame): string {
  if (frame.kind === "ROWS") {
    const start = frame.preceding === null ? "UNBOUNDED" : String(frame.preceding);
    return `ROWS BETWEEN ${start} PRECEDING AND CURRENT ROW`;
  }
  const start = frame.precedingMs === null ? "UNBOUNDED" : String(frame.precedingMs);
  return `RANG BETWEEN ${start} PRECEDING AND CURRENT ROW`;
}

/** UNBOUNDED PRECEDING: rows never leave the frame, so aggregates need no retraction. */
export function isUnboundedFrame(frame: OverFrame): boolean {
  return frame.kind === "ROWS" ? frame.preceding === null : frame.precedingMs === null;
}
