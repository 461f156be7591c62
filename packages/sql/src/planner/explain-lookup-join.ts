/**
 * EXPLAIN text of a lookup join, as Flink prints it:
 * `LookupJoin(table=[default_catalog.default_database.rates], joinType=[InnerJoin], lookup=[cur=cur], select=[id, cur, pt, cur0, rate])`,
 * with `where=[…]` for a filter on the table's rows and `joinCondition=[…]` for the rest of the ON
 * condition.
 * @module
 */

import { formatRex } from "../plan/format-rex.ts";
import type { PhysicalLookupJoin } from "../plan/physical-lookup-join.ts";

export function lookupJoinText(node: PhysicalLookupJoin, changelogMode: string | null): string {
  const leftNames = node.input.fields.map((f) => f.name);
  const tableNames = node.tableFields.map((f) => f.name);
  const outNames = node.fields.map((f) => f.name);
  const parts: [string, string][] = [
    ["table", node.path.join(".")],
    ["joinType", node.joinType === "LEFT" ? "LeftOuterJoin" : "InnerJoin"],
    ["lookup", node.keys.map((k) => `${tableNames[k.column]}=${formatRex(k.left, leftNames)}`).join(", ")],
  ];
  if (node.tableCondition !== null) parts.push(["where", formatRex(node.tableCondition, tableNames)]);
  if (node.remaining !== null) parts.push(["joinCondition", formatRex(node.remaining, outNames)]);
  parts.push(["select", outNames.join(", ")]);
  if (changelogMode !== null) parts.push(["changelogMode", changelogMode]);
  return `LookupJoin(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}
