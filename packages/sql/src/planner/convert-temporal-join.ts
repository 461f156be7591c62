/**
 * `JOIN r FOR SYSTEM_TIME AS OF l.t` (a temporal table join) in the FROM clause: the period is
 * resolved against the left side only, and the right table is converted as an ordinary table; the
 * join node then carries the period (see `LogicalJoin.temporal`), which the physical planner turns
 * into a lookup join (processing time) or an event-time temporal join.
 *
 * Invariant: a join carries a period only when the period is a plain reference to a time attribute
 * of the left input and the join is INNER or LEFT (Flink's restrictions); anything else fails here
 * with the position of the offending text.
 * @module
 */

import type { Join, TableReference } from "../ast/queries.ts";
import type { TemporalJoinPeriod } from "../plan/logical-join.ts";
import { convertExpression } from "./convert-expression.ts";
import type { QueryEnv } from "./convert-query.ts";
import { Scope, type ScopeRelation } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

/** The right side of a join read as an ordinary table (its `FOR SYSTEM_TIME AS OF` removed). */
export function withoutSystemTime(ref: TableReference): TableReference {
  return ref.kind === "table-name" && ref.systemTime !== null ? { ...ref, systemTime: null } : ref;
}

/** The period of a temporal join, or null when `join` is an ordinary join. */
export function temporalJoinPeriod(
  join: Join,
  leftRelations: readonly ScopeRelation[],
  env: QueryEnv,
): TemporalJoinPeriod | null {
  const right = join.right;
  if (right.kind !== "table-name" || right.systemTime === null) return null;
  if (join.type !== "INNER" && join.type !== "LEFT") {
    throw new SqlValidationError(
      join.span,
      `Temporal table join currently only supports INNER JOIN and LEFT JOIN, but was ${join.type} JOIN`,
    );
  }
  if (join.condition?.kind !== "on") {
    throw new SqlValidationError(
      join.span,
      "Temporal table join requires an ON clause with an equality condition on fields of the temporal table",
    );
  }
  const period = convertExpression(right.systemTime, {
    scope: new Scope(leftRelations, env.outer),
    functions: env.ctx.functions,
    functionContext: env.ctx.functionContext,
    clause: "FOR SYSTEM_TIME AS OF",
  });
  const isTimeAttribute =
    period.kind === "input-ref" &&
    (period.type.kind === "TIMESTAMP" || period.type.kind === "TIMESTAMP_LTZ") &&
    period.type.timeAttribute !== null;
  if (!isTimeAttribute) {
    throw new SqlValidationError(
      right.systemTime.span,
      "Temporal table join currently only supports 'FOR SYSTEM_TIME AS OF' left table's time attribute field",
    );
  }
  return { period };
}
