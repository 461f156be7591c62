/**
 * The function a join calls for every matching pair (FLIP-500's `JoinFunction`). For outer joins
 * one side is `null` when a record found no partner.
 * @module
 */

import type { Collector, RuntimeContext } from "../../contexts.ts";

/** Which unmatched records an outer join emits (with `null` for the missing side). @public */
export type JoinType = "INNER" | "LEFT" | "RIGHT" | "FULL";

/** Combines a matching pair into zero or more outputs. @public */
export interface JoinFunction<IN1, IN2, OUT> {
  processRecord(left: IN1, right: IN2, output: Collector<OUT>, ctx: RuntimeContext): void;
}

/** A join function for outer joins: either side may be `null` (but never both). @public */
export interface OuterJoinFunction<IN1, IN2, OUT> {
  processRecord(left: IN1 | null, right: IN2 | null, output: Collector<OUT>, ctx: RuntimeContext): void;
}

/** Rejects anything that is not a join function, naming the factory. */
export function checkJoinFunction(fn: unknown, what: string): void {
  if (
    fn === null ||
    typeof fn !== "object" ||
    typeof (fn as { processRecord?: unknown }).processRecord !== "function"
  ) {
    throw new TypeError(
      `${what} expects a join function with a processRecord(left, right, output, ctx) method`,
    );
  }
}
