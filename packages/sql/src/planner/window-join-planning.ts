/**
 * Recognizes a window join: a join whose equi-keys pair `window_start` with `window_start` and
 * `window_end` with `window_end` of window TVFs on both sides, planned as a
 * {@link PhysicalWindowJoin} (joined once per window when it closes, insert-only) instead of an
 * updating regular join.
 *
 * Invariant: a join whose keys name window columns of both sides but not all four pairwise, or
 * whose two sides use different windowings, fails with Flink's message rather than silently
 * becoming a regular join that never forgets its rows.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { WindowingStrategy } from "../exec/window/window-specs.ts";
import { formatRex } from "../plan/format-rex.ts";
import type { LogicalJoin } from "../plan/logical-join.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import type { PhysicalWindowJoin } from "../plan/physical-window-join.ts";
import { attachedWindowText } from "./explain-attached-window.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { splitJoinCondition } from "./to-physical.ts";
import { type WindowColumn, windowColumnOf } from "./window-columns.ts";

function sameStrategy(a: WindowingStrategy, b: WindowingStrategy): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The WindowJoin for `join`, or null when its keys do not equate both sides' windows. */
export function windowJoinOf(
  join: LogicalJoin,
  left: PhysicalNode,
  right: PhysicalNode,
  span: Span,
): PhysicalWindowJoin | null {
  const split = splitJoinCondition(join.condition, left.fields.length);
  let leftWindow: { start: number; end: number; column: WindowColumn } | null = null;
  let rightWindow: { start: number; end: number; column: WindowColumn } | null = null;
  let pairs = 0;
  for (let i = 0; i < split.leftKey.length; i++) {
    const l = windowColumnOf(left, split.leftKey[i]!);
    const r = windowColumnOf(right, split.rightKey[i]!);
    if (l === null || r === null) continue;
    if (l.column !== r.column) continue;
    pairs++;
    leftWindow ??= { start: -1, end: -1, column: l };
    rightWindow ??= { start: -1, end: -1, column: r };
    if (l.column === "start") {
      leftWindow.start = split.leftKey[i]!;
      rightWindow.start = split.rightKey[i]!;
    } else {
      leftWindow.end = split.leftKey[i]!;
      rightWindow.end = split.rightKey[i]!;
    }
  }
  if (leftWindow === null || rightWindow === null) return null;
  if (pairs < 2 || leftWindow.start < 0 || leftWindow.end < 0) {
    throw new SqlValidationError(
      span,
      "Currently, window join requires the join condition to contain window_start equality and window_end equality of the input tables",
    );
  }
  if (
    !sameStrategy(leftWindow.column.strategy, rightWindow.column.strategy) ||
    leftWindow.column.timeKind !== rightWindow.column.timeKind
  ) {
    throw new SqlValidationError(
      span,
      "The window of the left input and the right input of a window join must be the same",
    );
  }
  if (leftWindow.column.strategy.kind === "SESSION") {
    throw new SqlValidationError(span, "Window join does not support SESSION windows yet");
  }
  const hashed = (input: PhysicalNode, keys: readonly number[]): PhysicalNode => ({
    kind: "Exchange",
    input,
    distribution: { kind: "hash", keys },
    fields: input.fields,
    traits: null,
  });
  return {
    kind: "WindowJoin",
    joinType: join.joinType,
    left: hashed(left, split.leftKey),
    right: hashed(right, split.rightKey),
    leftKey: split.leftKey,
    rightKey: split.rightKey,
    leftWindow: { start: leftWindow.start, end: leftWindow.end },
    rightWindow: { start: rightWindow.start, end: rightWindow.end },
    strategy: leftWindow.column.strategy,
    timeKind: leftWindow.column.timeKind,
    nonEquiCondition: split.rest,
    condition: join.condition,
    fields: join.fields,
    traits: null,
  };
}

const JOIN_TYPE_NAMES: Readonly<Record<string, string>> = {
  INNER: "InnerJoin",
  LEFT: "LeftOuterJoin",
  RIGHT: "RightOuterJoin",
  FULL: "FullOuterJoin",
  SEMI: "LeftSemiJoin",
  ANTI: "LeftAntiJoin",
};

/** EXPLAIN text, as Flink prints a WindowJoin. */
export function windowJoinText(node: PhysicalWindowJoin, changelogMode: string | null): string {
  const leftNames = node.left.fields.map((f) => f.name);
  const rightNames = node.right.fields.map((f) => f.name);
  const parts: [string, string][] = [
    [
      "leftWindow",
      attachedWindowText(node.strategy, leftNames[node.leftWindow.start]!, leftNames[node.leftWindow.end]!),
    ],
    [
      "rightWindow",
      attachedWindowText(
        node.strategy,
        rightNames[node.rightWindow.start]!,
        rightNames[node.rightWindow.end]!,
      ),
    ],
    ["joinType", JOIN_TYPE_NAMES[node.joinType]!],
    ["where", formatRex(node.condition, [...leftNames, ...rightNames])],
    ["select", node.fields.map((f) => f.name).join(", ")],
  ];
  if (changelogMode !== null) parts.push(["changelogMode", changelogMode]);
  return `WindowJoin(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}
