/**
 * Spec of the interval join (Flink's IntervalJoin): the contract between the planner's translation
 * and `interval-join-function.ts`.
 *
 * Invariant: the time condition is `lowerMs <= left.time - right.time <= upperMs`, both bounds
 * inclusive (the planner turns `<` into `<=` with one millisecond less, as Flink does); when
 * `lowerMs > upperMs` nothing matches, and outer joins pad every row.
 *
 * Worked example: `l.ts BETWEEN r.ts - INTERVAL '1' HOUR AND r.ts + INTERVAL '10' MINUTE` gives
 * `lowerMs = -3_600_000`, `upperMs = 600_000`: a left row at 10:00 meets right rows from 09:50 to
 * 11:00, and is freed once the watermark passes 11:00 (left time − lowerMs).
 * @module
 */

import type { JoinPredicate, StatefulOptions } from "../operator-specs.ts";
import type { WindowTimeKind } from "../window/window-specs.ts";

export interface IntervalJoinSpec extends StatefulOptions {
  readonly joinType: "INNER" | "LEFT" | "RIGHT" | "FULL";
  /** Equi-key fields (the streams are keyed by them); NULL keys never match. */
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  readonly leftTimeIndex: number;
  readonly rightTimeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly lowerMs: number;
  readonly upperMs: number;
  /** The rest of the ON condition (over left then right fields), or null. */
  readonly nonEquiCondition: JoinPredicate | null;
  readonly leftArity: number;
  readonly rightArity: number;
}
