/**
 * EXPLAIN text of OVER aggregations, as Flink prints them:
 * `OverAggregate(partitionBy=[k], orderBy=[ts ASC], window=[ROWS BETWEEN 2 PRECEDING AND CURRENT
 * ROW], select=[k, v, ts, SUM(v) AS w0$o0])` (no `partitionBy` without a partition), and the
 * logical node with field indices instead of names.
 * @module
 */

import { formatOverFrame } from "../exec/over/over-specs.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";
import type { LogicalOverAggregate } from "../plan/logical-over-nodes.ts";
import type { PhysicalOverAggregate } from "../plan/physical-over-aggregate.ts";

function callText(call: AggregateCall, names: readonly string[] | null): string {
  const args = call.args.map((a) => (names === null ? `$${a}` : names[a]!));
  const inner = args.length === 0 && call.name === "COUNT" && names !== null ? "*" : args.join(", ");
  return `${call.name}(${call.distinct ? "DISTINCT " : ""}${inner})`;
}

function parts(
  node: LogicalOverAggregate | PhysicalOverAggregate,
  names: readonly string[] | null,
): [string, string][] {
  const name = (i: number): string => (names === null ? `$${i}` : names[i]!);
  const result: [string, string][] = [];
  if (node.partitionKey.length > 0) result.push(["partitionBy", node.partitionKey.map(name).join(", ")]);
  result.push(["orderBy", `${name(node.timeIndex)} ASC`], ["window", formatOverFrame(node.frame)]);
  return result;
}

function render(name: string, parts: readonly (readonly [string, string])[]): string {
  return `${name}(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}

export function overAggregateText(node: PhysicalOverAggregate, changelogMode: string | null): string {
  const inputNames = node.input.fields.map((f) => f.name);
  const width = inputNames.length;
  const select = [
    ...inputNames,
    ...node.calls.map((c, i) => `${callText(c, inputNames)} AS ${node.fields[width + i]!.name}`),
  ].join(", ");
  const all = [...parts(node, inputNames), ["select", select] as [string, string]];
  if (changelogMode !== null) all.push(["changelogMode", changelogMode]);
  return render("OverAggregate", all);
}

export function logicalOverAggregateText(node: LogicalOverAggregate): string {
  return render("LogicalOverAggregate", [
    ...parts(node, null),
    ["calls", node.calls.map((c) => callText(c, null)).join(", ")],
  ]);
}
