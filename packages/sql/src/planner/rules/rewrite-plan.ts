/**
 * The traversal every rule uses: rewrite a logical plan bottom-up, node by node, until a rule no
 * longer changes it (Calcite's HepPlanner in its simplest form).
 *
 * Invariant: a rule returns its argument unchanged (same object) when it does not apply, so the
 * driver can tell a fixpoint by identity.
 * @module
 */

import { inputsOf, type LogicalNode, withInputs } from "../../plan/logical-node.ts";

export type Rule = (node: LogicalNode) => LogicalNode;

/** Applies `rule` to every node, children first; re-applies at a node while it changes. */
export function rewriteBottomUp(node: LogicalNode, rule: Rule): LogicalNode {
  const inputs = inputsOf(node);
  const rewritten = inputs.map((i) => rewriteBottomUp(i, rule));
  let current = rewritten.some((r, i) => r !== inputs[i]) ? withInputs(node, rewritten) : node;
  for (let round = 0; round < 32; round++) {
    const next = rule(current);
    if (next === current) return current;
    // A rule may have created new children (e.g. a filter pushed below a project): rewrite them too.
    const nextInputs = inputsOf(next);
    const again = nextInputs.map((i) => rewriteBottomUp(i, rule));
    current = again.some((r, i) => r !== nextInputs[i]) ? withInputs(next, again) : next;
  }
  return current;
}

/** Applies `rule` once to every node, children first (for rules whose output they must not revisit). */
export function rewriteOnce(node: LogicalNode, rule: Rule): LogicalNode {
  const inputs = inputsOf(node);
  const rewritten = inputs.map((i) => rewriteOnce(i, rule));
  return rule(rewritten.some((r, i) => r !== inputs[i]) ? withInputs(node, rewritten) : node);
}
