/**
 * EXPLAIN text of the correlate nodes, in Flink's shape with operands named by input column:
 * `LogicalCorrelate(invocation=[SPLIT($1)], joinType=[inner], rowType=[RecordType(id, s, word)])`
 * and `Correlate(invocation=[SPLIT(s)], select=[id, s, word], joinType=[INNER])`
 * (`condition=[…]` over the joined row when the ON clause is not TRUE).
 * @module
 */

import type { LogicalCorrelate, PhysicalCorrelate, TableInvocation } from "../plan/correlate-nodes.ts";
import { formatRex } from "../plan/format-rex.ts";

function invocationText(invocation: TableInvocation, names: readonly string[] | null): string {
  return `${invocation.name}(${invocation.operands.map((o) => formatRex(o, names)).join(", ")})`;
}

function attrs(name: string, parts: readonly (readonly [string, string] | null)[]): string {
  const shown = parts.filter((p): p is readonly [string, string] => p !== null);
  return `${name}(${shown.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}

export function logicalCorrelateText(node: LogicalCorrelate): string {
  return attrs("LogicalCorrelate", [
    ["invocation", invocationText(node.invocation, null)],
    ["joinType", node.joinType.toLowerCase()],
    node.condition === null ? null : ["condition", formatRex(node.condition, null)],
    ["rowType", `RecordType(${node.fields.map((f) => f.name).join(", ")})`],
  ]);
}

export function correlateText(node: PhysicalCorrelate, mode: readonly [string, string] | null): string {
  const names = node.fields.map((f) => f.name);
  return attrs("Correlate", [
    [
      "invocation",
      invocationText(
        node.invocation,
        node.input.fields.map((f) => f.name),
      ),
    ],
    node.condition === null ? null : ["condition", formatRex(node.condition, names)],
    ["select", names.join(", ")],
    ["joinType", node.joinType],
    mode,
  ]);
}
