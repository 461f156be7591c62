/**
 * The rewrite program: the rules of `rules/`, applied in a fixed order (as Flink's optimizer runs
 * its programs in phases), so the optimized plan is deterministic:
 * 0. in batch mode, the one-row result of global aggregations; 1. constant folding; 2. filter pushdown with project merging (to a fixpoint); 3. join key
 * extraction; 4. Top-N and deduplication detection; 5. column pruning, then project merging;
 * 6. projection pushdown into scans.
 *
 * Invariant: every rule keeps the plan's output fields (names, types, order) and its results.
 * @module
 */

import type { LogicalNode } from "../plan/logical-node.ts";
import type { PlannerContext } from "./planner-context.ts";
import { batchGlobalAggregateRule } from "./rules/batch-global-aggregate.ts";
import { pruneColumns } from "./rules/column-pruning.ts";
import { constantFoldingRule } from "./rules/constant-folding.ts";
import { filterPushdownRule } from "./rules/filter-pushdown.ts";
import { joinKeyExtractionRule } from "./rules/join-key-extraction.ts";
import { mergeProjectsRule } from "./rules/merge-projects.ts";
import { projectionPushdown } from "./rules/projection-pushdown.ts";
import { rewriteBottomUp, rewriteOnce } from "./rules/rewrite-plan.ts";
import { topNFilterRule, topNProjectRule } from "./rules/top-n-detection.ts";

export function optimize(root: LogicalNode, ctx: PlannerContext): LogicalNode {
  let plan = root;
  if ((ctx.config.get("execution.runtime-mode") ?? "").trim().toLowerCase() === "batch") {
    plan = rewriteOnce(plan, batchGlobalAggregateRule(ctx.functions));
  }
  plan = rewriteBottomUp(plan, constantFoldingRule(ctx.functions, ctx.functionContext));
  plan = rewriteBottomUp(plan, (node) => {
    const pushed = filterPushdownRule(node);
    return pushed === node ? mergeProjectsRule(node) : pushed;
  });
  plan = rewriteBottomUp(plan, joinKeyExtractionRule);
  plan = rewriteBottomUp(plan, topNProjectRule);
  plan = rewriteBottomUp(plan, topNFilterRule);
  plan = rewriteBottomUp(pruneColumns(plan), mergeProjectsRule);
  return projectionPushdown(plan);
}
