/**
 * The input changelog modes the stateful SQL operators accept. Operators that find a stored row by
 * its content (aggregations, joins, Top-N, sort) need every retraction to carry the full row, which
 * an upsert stream does not promise (its -D may carry only the key). As in Flink, the planner puts
 * a ChangelogNormalize before them; handing them an upsert stream directly is a planning bug, so it
 * is refused when the operator is built, naming the operator.
 * Example: `requireFullRetractions({ kind: "upsert", upsertKey: [0] }, "GroupAggregate")` throws.
 * @module
 */

import type { ChangelogMode } from "../data/row.ts";

export function requireFullRetractions(mode: ChangelogMode, operator: string): void {
  if (mode.kind === "upsert") {
    throw new RangeError(
      `${operator} needs an insert-only or retract input, got an upsert stream (key fields ${mode.upsertKey.join(", ")}); normalize it first with ChangelogNormalize`,
    );
  }
}
