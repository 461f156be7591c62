/**
 * Filter pushdown: moves WHERE conditions as close to the sources as their meaning allows
 * (Flink's FilterProjectTransposeRule, FilterJoinRule, FilterSetOpTransposeRule,
 * FilterAggregateTransposeRule), so fewer rows reach joins and aggregates.
 *
 * Invariants (what keeps results equal): a condition moves below a projection by substituting the
 * projected expressions; below an inner join each conjunct goes to the side whose fields it reads
 * (both sides: into the join condition); through an outer join only to the side that is not
 * NULL-padded, and an outer join's ON conjuncts only to the padded side; below an aggregate only
 * conjuncts over group keys; never below a sort, limit, rank or watermark assigner.
 * @module
 */

import type { LogicalJoin } from "../../plan/logical-join.ts";
import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { and, conjunctsOf, isTrueLiteral } from "../../plan/rex-factory.ts";
import {
  collectInputRefs,
  rewriteInputRefs,
  shiftInputRefs,
  substituteInputs,
} from "../../plan/rex-visit.ts";

function filter(input: LogicalNode, conditions: readonly RexNode[]): LogicalNode {
  if (conditions.length === 0) return input;
  return { kind: "filter", input, condition: and(conditions), fields: input.fields };
}

type Side = "left" | "right" | "both" | "none";

function sideOf(rex: RexNode, leftWidth: number): Side {
  const refs = collectInputRefs(rex, new Set());
  let left = false;
  let right = false;
  for (const r of refs) {
    if (r < leftWidth) left = true;
    else right = true;
  }
  return left && right ? "both" : left ? "left" : right ? "right" : "none";
}

export function filterPushdownRule(node: LogicalNode): LogicalNode {
  if (node.kind === "join") return pushJoinCondition(node);
  if (node.kind !== "filter") return node;
  const input = node.input;
  switch (input.kind) {
    case "filter":
      return { ...input, condition: and([...conjunctsOf(input.condition), ...conjunctsOf(node.condition)]) };
    case "project": {
      if (input.exprs.some((e) => e.kind === "call" && e.name === "PROCTIME")) return node;
      const condition = substituteInputs(node.condition, input.exprs);
      return { ...input, input: filter(input.input, [condition]) };
    }
    case "join":
      return pushIntoJoin(node.condition, input);
    case "union":
      return { ...input, inputs: input.inputs.map((i) => filter(i, [node.condition])) };
    case "aggregate": {
      const groupCount = input.groupKey.length;
      const below: RexNode[] = [];
      const above: RexNode[] = [];
      for (const conjunct of conjunctsOf(node.condition)) {
        const refs = collectInputRefs(conjunct, new Set());
        if (groupCount > 0 && [...refs].every((r) => r < groupCount)) {
          below.push(
            rewriteInputRefs(conjunct, (i, ref) => ({ ...ref, index: input.groupKey[i]! }) as RexNode),
          );
        } else above.push(conjunct);
      }
      if (below.length === 0) return node;
      return filter({ ...input, input: filter(input.input, below) }, above);
    }
    default:
      return node;
  }
}

function pushIntoJoin(condition: RexNode, join: LogicalJoin): LogicalNode {
  const leftWidth = join.left.fields.length;
  const toLeft: RexNode[] = [];
  const toRight: RexNode[] = [];
  const toJoin: RexNode[] = [];
  const above: RexNode[] = [];
  const type = join.joinType;
  for (const conjunct of conjunctsOf(condition)) {
    const side = sideOf(conjunct, leftWidth);
    if (
      (side === "left" || side === "none") &&
      (type === "INNER" || type === "LEFT" || type === "SEMI" || type === "ANTI")
    ) {
      toLeft.push(conjunct);
    } else if (side === "right" && (type === "INNER" || type === "RIGHT") && !versionedRight(join)) {
      toRight.push(shiftInputRefs(conjunct, -leftWidth));
    } else if ((side === "both" || side === "right") && type === "INNER") {
      toJoin.push(conjunct);
    } else above.push(conjunct);
  }
  if (toLeft.length === 0 && toRight.length === 0 && toJoin.length === 0) {
    return { kind: "filter", input: join, condition, fields: join.fields };
  }
  const pushed: LogicalJoin = {
    ...join,
    left: filter(join.left, toLeft),
    right: filter(join.right, toRight),
    condition: and([...conjunctsOf(join.condition), ...toJoin]),
  };
  return filter(pushed, above);
}

/**
 * True for an event-time temporal join: filtering its versioned table would drop versions, so an
 * older version would seem valid where the filtered one should hide it; conditions stay on the join.
 */
function versionedRight(join: LogicalJoin): boolean {
  const period = join.temporal?.period;
  return period !== undefined && "timeAttribute" in period.type && period.type.timeAttribute === "rowtime";
}

/** Single-side conjuncts of a join's own condition go into that side where that keeps semantics. */
function pushJoinCondition(join: LogicalJoin): LogicalNode {
  if (isTrueLiteral(join.condition)) return join;
  const leftWidth = join.left.fields.length;
  const type = join.joinType;
  const toLeft: RexNode[] = [];
  const toRight: RexNode[] = [];
  const keep: RexNode[] = [];
  for (const conjunct of conjunctsOf(join.condition)) {
    const side = sideOf(conjunct, leftWidth);
    if (side === "left" && (type === "INNER" || type === "RIGHT")) toLeft.push(conjunct);
    else if (
      side === "right" &&
      (type === "INNER" || type === "LEFT" || type === "SEMI" || type === "ANTI") &&
      !versionedRight(join)
    ) {
      toRight.push(shiftInputRefs(conjunct, -leftWidth));
    } else keep.push(conjunct);
  }
  if (toLeft.length === 0 && toRight.length === 0) return join;
  return {
    ...join,
    left: filter(join.left, toLeft),
    right: filter(join.right, toRight),
    condition: and(keep),
  };
}
