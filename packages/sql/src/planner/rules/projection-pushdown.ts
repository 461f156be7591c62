/**
 * Projection pushdown (Flink's PushProjectIntoTableSourceScanRule, as a hint): works out top-down
 * which fields each node's consumers read and tells every table scan the physical columns the
 * query needs (`projectedFields`), which EXPLAIN shows as `project=[…]` and sources may use to
 * skip work.
 *
 * Invariant: the plan's row layouts do not change (sources may ignore the hint, so scans still
 * produce full rows); only the hint is set, and only when some physical column is unused.
 * @module
 */

import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { collectInputRefs } from "../../plan/rex-visit.ts";

const all = (width: number): Set<number> => new Set(Array.from({ length: width }, (_, i) => i));

function readBy(exprs: readonly RexNode[], into = new Set<number>()): Set<number> {
  for (const e of exprs) collectInputRefs(e, into);
  return into;
}

/** Rewrites scans under `node` given the fields of `node` its consumer reads. */
export function pushProjections(node: LogicalNode, required: ReadonlySet<number>): LogicalNode {
  switch (node.kind) {
    case "scan": {
      const physical = node.table.columns.filter((c) => c.kind === "physical").length;
      const used = [...required].filter((i) => i < physical).sort((a, b) => a - b);
      if (used.length === physical) return node;
      return { ...node, projectedFields: used };
    }
    case "values":
      return node;
    case "project": {
      const needed = readBy(node.exprs.filter((_, i) => required.has(i)));
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "expand": {
      const needed = new Set<number>();
      for (const row of node.projections)
        readBy(
          row.filter((_, i) => required.has(i)),
          needed,
        );
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "filter": {
      const needed = collectInputRefs(node.condition, new Set(required));
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "watermark-assigner": {
      const needed = collectInputRefs(node.watermark, new Set(required));
      needed.add(node.rowtimeIndex);
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "correlate": {
      // The function's columns come after the input's; its operands and the condition read the input.
      const width = node.input.fields.length;
      const needed = new Set([...required].filter((i) => i < width));
      readBy(node.invocation.operands, needed);
      if (node.condition !== null) collectInputRefs(node.condition, needed);
      return { ...node, input: pushProjections(node.input, new Set([...needed].filter((i) => i < width))) };
    }
    case "window-table-function": {
      // The window columns come after the input's; the time column is always read.
      const width = node.input.fields.length;
      const needed = new Set([...required].filter((i) => i < width));
      needed.add(node.timeIndex);
      for (const k of node.partitionKeys) needed.add(k);
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "aggregate": {
      const needed = new Set(node.groupKey);
      for (const call of node.calls) {
        for (const a of call.args) needed.add(a);
        if (call.filterArg !== null) needed.add(call.filterArg);
      }
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "join": {
      const leftWidth = node.left.fields.length;
      const needed = collectInputRefs(node.condition, new Set(required));
      if (node.joinType === "SEMI" || node.joinType === "ANTI") {
        for (const i of required) needed.add(i);
      }
      const left = new Set([...needed].filter((i) => i < leftWidth));
      const right = new Set([...needed].filter((i) => i >= leftWidth).map((i) => i - leftWidth));
      return { ...node, left: pushProjections(node.left, left), right: pushProjections(node.right, right) };
    }
    case "union":
      return { ...node, inputs: node.inputs.map((i) => pushProjections(i, all(i.fields.length))) };
    case "set-operation":
      return {
        ...node,
        left: pushProjections(node.left, all(node.left.fields.length)),
        right: pushProjections(node.right, all(node.right.fields.length)),
      };
    case "sort": {
      const needed = new Set(required);
      for (const s of node.orderBy) needed.add(s.index);
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "match":
      // Conditions and measures read input columns through navigations: keep every column.
      return { ...node, input: pushProjections(node.input, all(node.input.fields.length)) };
    case "over-aggregate": {
      // The aggregate fields come after the input's; the window's columns and arguments are read.
      const width = node.input.fields.length;
      const needed = new Set([...required].filter((i) => i < width));
      for (const k of [...node.partitionKey, node.timeIndex, ...node.calls.flatMap((c) => c.args)])
        needed.add(k);
      return { ...node, input: pushProjections(node.input, needed) };
    }
    case "over-rank":
    case "rank":
    case "deduplicate": {
      const width = node.input.fields.length;
      const needed = new Set([...required].filter((i) => i < width));
      const keys =
        node.kind === "deduplicate"
          ? [...node.key, node.orderIndex]
          : [...node.partitionKey, ...node.orderBy.map((s) => s.index)];
      for (const k of keys) needed.add(k);
      return { ...node, input: pushProjections(node.input, needed) };
    }
  }
}

export function projectionPushdown(root: LogicalNode): LogicalNode {
  return pushProjections(root, all(root.fields.length));
}
