/**
 * EXPLAIN text of an interval join, as Flink prints it: `IntervalJoin(joinType=[InnerJoin],
 * windowBounds=[isRowTime=true, leftLowerBound=-3600000, leftUpperBound=0, leftTimeIndex=1,
 * rightTimeIndex=1], where=[…], select=[…])`.
 * @module
 */

import { formatRex } from "../plan/format-rex.ts";
import type { PhysicalIntervalJoin } from "../plan/physical-interval-join.ts";

const JOIN_TYPES: Readonly<Record<PhysicalIntervalJoin["joinType"], string>> = {
  INNER: "InnerJoin",
  LEFT: "LeftOuterJoin",
  RIGHT: "RightOuterJoin",
  FULL: "FullOuterJoin",
};

export function intervalJoinText(node: PhysicalIntervalJoin, changelogMode: string | null): string {
  // The joined row's names (made unique, `id0`), as Flink prints the condition.
  const all = node.fields.map((f) => f.name);
  const bounds = [
    `isRowTime=${node.timeKind === "rowtime"}`,
    `leftLowerBound=${node.lowerMs}`,
    `leftUpperBound=${node.upperMs}`,
    `leftTimeIndex=${node.leftTimeIndex}`,
    `rightTimeIndex=${node.rightTimeIndex}`,
  ].join(", ");
  const parts: [string, string][] = [
    ["joinType", JOIN_TYPES[node.joinType]],
    ["windowBounds", bounds],
    ["where", formatRex(node.condition, all)],
    ["select", all.join(", ")],
  ];
  if (changelogMode !== null) parts.push(["changelogMode", changelogMode]);
  return `IntervalJoin(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}
