/**
 * Top-N detection (Flink's FlinkLogicalRankRule): a filter that bounds the rank of a
 * `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY … ORDER BY …)` becomes a Rank node, and
 * deduplication detection (StreamPhysicalDeduplicateRule): a Top-1 by ROW_NUMBER ordered by a
 * time attribute becomes a Deduplicate (ASC keeps the first row, DESC the last).
 *
 * Recognized bounds on the rank field r: `r <= n`, `r < n`, `r = n`, `n >= r`, `n > r`,
 * `r BETWEEN a AND b`, with integer literals. Other conjuncts stay in a filter above. When a
 * projection above does not use the rank number, the Rank does not output it (fewer updates) and a
 * Top-1 can be a deduplication.
 * @module
 */

import type { LogicalNode } from "../../plan/logical-node.ts";
import type { LogicalOverRank } from "../../plan/logical-order-nodes.ts";
import type { LogicalFilter } from "../../plan/logical-row-nodes.ts";
import type { RexNode } from "../../plan/rex.ts";
import { and, conjunctsOf } from "../../plan/rex-factory.ts";
import { collectInputRefs } from "../../plan/rex-visit.ts";

interface RankRange {
  start: number;
  end: number;
}

/**
 * A rank filter under a projection: the projection says whether the rank number is read. Run this
 * before {@link topNFilterRule}, so a filter is not turned into a rank before its projection is seen.
 */
export function topNProjectRule(node: LogicalNode): LogicalNode {
  if (node.kind !== "project" || node.input.kind !== "filter" || node.input.input.kind !== "over-rank")
    return node;
  const rankIndex = node.input.input.fields.length - 1;
  const used = new Set<number>();
  for (const e of node.exprs) collectInputRefs(e, used);
  // The rank number is the last field, so leaving it out shifts no other index.
  const ranked = toRank(node.input, node.input.input, used.has(rankIndex));
  return ranked === null ? node : { ...node, input: ranked };
}

/** A rank filter whose consumer reads every field (so the rank number is output). */
export function topNFilterRule(node: LogicalNode): LogicalNode {
  if (node.kind !== "filter" || node.input.kind !== "over-rank") return node;
  return toRank(node, node.input, true) ?? node;
}

function toRank(filter: LogicalFilter, over: LogicalOverRank, outputRankNumber: boolean): LogicalNode | null {
  const rankIndex = over.fields.length - 1;
  const range: RankRange = { start: 1, end: Number.POSITIVE_INFINITY };
  const rest: RexNode[] = [];
  let bounded = false;
  for (const conjunct of conjunctsOf(filter.condition)) {
    if (narrow(conjunct, rankIndex, range)) bounded = true;
    else rest.push(conjunct);
  }
  if (!bounded || !Number.isFinite(range.end)) return null;
  if (rest.some((r) => collectInputRefs(r, new Set()).has(rankIndex))) return null;
  const inputFields = over.input.fields;
  const time = over.orderBy.length === 1 ? inputFields[over.orderBy[0]!.index]!.type : null;
  const timeAttribute =
    time !== null && (time.kind === "TIMESTAMP" || time.kind === "TIMESTAMP_LTZ") ? time.timeAttribute : null;
  let ranked: LogicalNode;
  if (
    over.rankType === "ROW_NUMBER" &&
    range.start === 1 &&
    range.end === 1 &&
    !outputRankNumber &&
    timeAttribute !== null
  ) {
    ranked = {
      kind: "deduplicate",
      input: over.input,
      key: over.partitionKey,
      keepLastRow: over.orderBy[0]!.direction === "DESC",
      orderIndex: over.orderBy[0]!.index,
      rowtime: timeAttribute === "rowtime",
      fields: inputFields,
    };
  } else {
    ranked = {
      kind: "rank",
      input: over.input,
      rankType: over.rankType,
      partitionKey: over.partitionKey,
      orderBy: over.orderBy,
      rankStart: range.start,
      rankEnd: range.end,
      outputRankNumber,
      fields: outputRankNumber ? over.fields : inputFields,
    };
  }
  if (rest.length === 0) return ranked;
  // Conditions above read the rank's output; without the rank number the indices are unchanged.
  return { kind: "filter", input: ranked, condition: and(rest), fields: ranked.fields };
}

function integerLiteral(rex: RexNode | undefined): number | null {
  if (rex?.kind === "cast") return integerLiteral(rex.operand);
  if (rex?.kind !== "literal") return null;
  if (typeof rex.value === "number" && Number.isInteger(rex.value)) return rex.value;
  if (typeof rex.value === "bigint") return Number(rex.value);
  return null;
}

function isRankRef(rex: RexNode | undefined, rankIndex: number): boolean {
  if (rex?.kind === "cast") return isRankRef(rex.operand, rankIndex);
  return rex?.kind === "input-ref" && rex.index === rankIndex;
}

/** Applies `conjunct` to `range` when it bounds the rank; false when it is not a rank bound. */
function narrow(conjunct: RexNode, rankIndex: number, range: RankRange): boolean {
  if (conjunct.kind !== "call") return false;
  const [a, b, c] = conjunct.operands;
  if (conjunct.name === "BETWEEN" && isRankRef(a, rankIndex)) {
    const low = integerLiteral(b);
    const high = integerLiteral(c);
    if (low === null || high === null) return false;
    range.start = Math.max(range.start, low);
    range.end = Math.min(range.end, high);
    return true;
  }
  const flipped: Record<string, string> = { "<=": ">=", "<": ">", ">=": "<=", ">": "<", "=": "=" };
  let op = conjunct.name;
  let value: number | null;
  if (isRankRef(a, rankIndex)) value = integerLiteral(b);
  else if (isRankRef(b, rankIndex)) {
    value = integerLiteral(a);
    op = flipped[op] ?? op;
  } else return false;
  if (value === null) return false;
  switch (op) {
    case "<=":
      range.end = Math.min(range.end, value);
      return true;
    case "<":
      range.end = Math.min(range.end, value - 1);
      return true;
    case "=":
      range.start = Math.max(range.start, value);
      range.end = Math.min(range.end, value);
      return true;
    case ">=":
      range.start = Math.max(range.start, value);
      return true;
    case ">":
      range.start = Math.max(range.start, value + 1);
      return true;
    default:
      return false;
  }
}
