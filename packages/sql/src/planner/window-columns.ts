/**
 * Where a field's window comes from: tracing `window_start` / `window_end` of a row back through
 * Calcs and exchanges to the node that attached the window (a window TVF, a window aggregation, or
 * a session window aggregation), for the planning of window Top-N and window joins.
 *
 * Invariant: a field is a window column only when it is that column passed on unchanged (plain
 * references); any expression over it is an ordinary value.
 * @module
 */

import type { WindowingStrategy, WindowTimeKind } from "../exec/window/window-specs.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";

export interface WindowColumn {
  /** The node that attaches the window (identity tells two windowings apart). */
  readonly source: PhysicalNode;
  readonly column: "start" | "end";
  readonly strategy: WindowingStrategy;
  readonly timeKind: WindowTimeKind;
}

/** Where field `index` of `node` comes from: a window column of a windowing node below, or null. */
export function windowColumnOf(node: PhysicalNode, index: number): WindowColumn | null {
  switch (node.kind) {
    case "WindowTableFunction": {
      const width = node.input.fields.length;
      const column = index === width ? "start" : index === width + 1 ? "end" : null;
      return column === null
        ? null
        : { source: node, column, strategy: node.strategy, timeKind: node.timeKind };
    }
    case "WindowAggregate": {
      if (index >= node.groupKey.length) return null;
      const key = node.groupKey[index]!;
      const column = key === node.windowStartIndex ? "start" : key === node.windowEndIndex ? "end" : null;
      return column === null
        ? null
        : { source: node, column, strategy: node.strategy, timeKind: node.timeKind };
    }
    case "AssigningWindowAggregate": {
      const at = index - node.groupKey.length - node.calls.length;
      const column = at === 0 ? "start" : at === 1 ? "end" : null;
      return column === null
        ? null
        : { source: node, column, strategy: node.strategy, timeKind: node.timeKind };
    }
    case "Calc": {
      if (node.projection === null) return windowColumnOf(node.input, index);
      const expr = node.projection[index];
      return expr?.kind === "input-ref" ? windowColumnOf(node.input, expr.index) : null;
    }
    case "Exchange":
    case "WatermarkAssigner":
      return windowColumnOf(node.input, index);
    default:
      return null;
  }
}
