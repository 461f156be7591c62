/**
 * Planner aggregate calls → the operator-side specs every aggregating operator (group, over,
 * window) takes: the accumulator implementation created once per call, with its arguments.
 *
 * Invariant: a call's implementation skips retraction bookkeeping only when its operator is told
 * the input is insert-only.
 * @module
 */

import type { AggregateCallSpec } from "../exec/operator-specs.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";

/** The operator-side specs of aggregate calls; `insertOnly` lets MIN/MAX & co. skip retraction bookkeeping. */
export function aggregateCallSpecs(
  calls: readonly AggregateCall[],
  insertOnly: boolean,
): AggregateCallSpec[] {
  return calls.map(
    (c): AggregateCallSpec => ({
      display: `${c.name}(${c.distinct ? "DISTINCT " : ""}${c.args.map((a) => `$${a}`).join(", ")})`,
      implementation: c.definition.create(
        c.argTypes,
        c.type,
        insertOnly ? { retraction: false } : undefined,
      ) as AggregateCallSpec["implementation"],
      args: c.args,
      distinct: c.distinct,
      filterArg: c.filterArg,
      resultType: c.type,
    }),
  );
}
