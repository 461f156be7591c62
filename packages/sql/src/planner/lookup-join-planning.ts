/**
 * Physical planning of a temporal join (`LogicalJoin.temporal`): a processing-time period becomes a
 * {@link PhysicalLookupJoin} against the right table's connector lookup (Flink's LookupJoin); a
 * rowtime period goes to `temporal-join-planning.ts` (a join against a versioned table). For a
 * lookup the right side must be the table itself, possibly filtered and projected (those run on
 * each looked-up row); the equalities between a left expression and a table column become the
 * lookup keys, and every other conjunct is checked on the joined row.
 *
 * Invariant: a lookup key's left expression has exactly the looked-up column's type (cast here), so
 * the connector compares values of one representation.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { LogicalJoin } from "../plan/logical-join.ts";
import type { LookupKey, PhysicalLookupJoin } from "../plan/physical-lookup-join.ts";
import type { PhysicalCalc, PhysicalNode, PhysicalTableSourceScan } from "../plan/physical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { and, conjunctsOf } from "../plan/rex-factory.ts";
import { collectInputRefs } from "../plan/rex-visit.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { castTo } from "./convert-expression.ts";
import { connectorOf } from "./source-description.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { eventTimeTemporalJoin } from "./temporal-join-planning.ts";

/** The physical node of a temporal join whose inputs are already physical. */
export function temporalJoinToPhysical(
  join: LogicalJoin,
  left: PhysicalNode,
  right: PhysicalNode,
  span: Span,
): PhysicalNode {
  const period = join.temporal!.period;
  const attribute =
    period.type.kind === "TIMESTAMP" || period.type.kind === "TIMESTAMP_LTZ"
      ? period.type.timeAttribute
      : null;
  if (attribute === "rowtime") return eventTimeTemporalJoin(join, left, right, span);
  return lookupJoin(join, left, right, span);
}

function lookupJoin(
  join: LogicalJoin,
  left: PhysicalNode,
  right: PhysicalNode,
  span: Span,
): PhysicalLookupJoin {
  let calc: PhysicalCalc | null = null;
  let below = right;
  if (below.kind === "Calc") {
    calc = below;
    below = below.input;
  }
  if (below.kind !== "TableSourceScan") {
    throw new SqlValidationError(
      span,
      "Processing-time temporal join requires a lookup table: the right side of FOR SYSTEM_TIME AS OF must be a table whose connector supports lookups, not a view, query or table with computed columns or a watermark",
    );
  }
  const scan: PhysicalTableSourceScan = below;
  const name = scan.path.join(".");
  if (scan.metadata.length > 0) {
    throw new SqlValidationError(span, `Lookup table '${name}' cannot have metadata columns`);
  }
  const factory = connectorOf(scan.table);
  if (factory.createLookup === undefined) {
    throw new SqlValidationError(
      span,
      `Connector '${factory.identifier}' of table '${name}' does not support lookups, so it cannot be joined FOR SYSTEM_TIME AS OF a processing-time attribute`,
    );
  }
  const leftWidth = left.fields.length;
  const tableColumnOf = (rightIndex: number): number | null => {
    const expr = calc?.projection?.[rightIndex];
    if (expr === undefined) return calc?.projection == null ? rightIndex : null;
    return expr.kind === "input-ref" ? expr.index : null;
  };
  const keys: LookupKey[] = [];
  const remaining: RexNode[] = [];
  for (const conjunct of conjunctsOf(join.condition)) {
    const key = lookupKeyOf(conjunct, leftWidth, tableColumnOf, scan);
    if (key === null || keys.some((k) => k.column === key.column)) remaining.push(conjunct);
    else keys.push(key);
  }
  if (keys.length === 0) {
    throw new SqlValidationError(
      span,
      `Temporal table join requires an equality condition on fields of table [${name}].`,
    );
  }
  return {
    kind: "LookupJoin",
    input: left,
    joinType: join.joinType === "LEFT" ? "LEFT" : "INNER",
    table: scan.table,
    path: scan.path,
    keys,
    tableFields: scan.fields,
    tableCondition: calc?.condition ?? null,
    tableProjection: calc?.projection ?? null,
    remaining: remaining.length === 0 ? null : and(remaining),
    fields: join.fields,
    traits: null,
  };
}

/** `left expression = table column` (either order) as a lookup key, else null. */
function lookupKeyOf(
  conjunct: RexNode,
  leftWidth: number,
  tableColumnOf: (rightIndex: number) => number | null,
  scan: PhysicalTableSourceScan,
): LookupKey | null {
  if (conjunct.kind !== "call" || conjunct.name !== "=") return null;
  const [a, b] = conjunct.operands as [RexNode, RexNode];
  for (const [l, r] of [
    [a, b],
    [b, a],
  ] as const) {
    if (r.kind !== "input-ref" || r.index < leftWidth) continue;
    const refs = collectInputRefs(l, new Set());
    if (refs.size === 0 || [...refs].some((i) => i >= leftWidth)) continue;
    const column = tableColumnOf(r.index - leftWidth);
    if (column === null) continue;
    const columnType = scan.fields[column]!.type;
    const leftType = { ...columnType, nullable: l.type.nullable } as LogicalType;
    return { column, left: castTo(l, leftType) };
  }
  return null;
}
