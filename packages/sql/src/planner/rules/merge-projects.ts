/**
 * Project merging (Calcite's ProjectMergeRule) and removal of identity projections that keep the
 * input's field names, so Top-N detection and EXPLAIN see one projection where SQL nesting made
 * several.
 *
 * Invariant: the merged projection computes the same values; non-deterministic expressions are
 * not duplicated (a projection whose expressions are used more than once above is kept when they
 * contain calls the inner projection computes).
 * @module
 */

import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { collectInputRefs, substituteInputs } from "../../plan/rex-visit.ts";

export function mergeProjectsRule(node: LogicalNode): LogicalNode {
  if (node.kind !== "project") return node;
  const input = node.input;
  if (
    isIdentity(node.exprs, input.fields.length) &&
    node.fields.every((f, i) => f.name === input.fields[i]!.name)
  ) {
    return input;
  }
  if (input.kind !== "project") return node;
  // Inlining duplicates a computed expression used twice; only do it for plain references then.
  const uses = new Map<number, number>();
  for (const e of node.exprs)
    for (const r of collectInputRefs(e, new Set())) uses.set(r, (uses.get(r) ?? 0) + 1);
  for (const [index, count] of uses) {
    const inner = input.exprs[index]!;
    if (count > 1 && inner.kind === "call") return node;
  }
  return { ...node, input: input.input, exprs: node.exprs.map((e) => substituteInputs(e, input.exprs)) };
}

function isIdentity(exprs: readonly RexNode[], width: number): boolean {
  return exprs.length === width && exprs.every((e, i) => e.kind === "input-ref" && e.index === i);
}
