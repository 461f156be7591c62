/**
 * Recognizes window Top-N and window deduplication: a Rank or Deduplicate whose partition key
 * includes `window_start` and `window_end` of rows that carry their window — a window TVF, or a
 * window aggregation (whose group key holds them) — traced through Calcs and exchanges. Such a
 * rank is planned as a {@link PhysicalWindowRank} (emitted once per window, insert-only) instead
 * of an updating Rank.
 *
 * Invariant: a partition key with only one of the two window columns is refused with an error
 * (Flink's WindowRank needs both), never planned as an unbounded Rank by accident.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { SortField } from "../exec/operator-specs.ts";
import type { LogicalDeduplicate, LogicalRank } from "../plan/logical-order-nodes.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import type { PhysicalWindowRank } from "../plan/physical-window-rank.ts";
import { attachedWindowText } from "./explain-attached-window.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { type WindowColumn, windowColumnOf } from "./window-columns.ts";

/** The WindowRank for a rank or deduplication over `input`, or null when it is not windowed. */
export function windowRankOf(
  node: LogicalRank | LogicalDeduplicate,
  input: PhysicalNode,
  span: Span,
): PhysicalWindowRank | null {
  const partitionKey = node.kind === "rank" ? node.partitionKey : node.key;
  let start: number | null = null;
  let end: number | null = null;
  let window: WindowColumn | null = null;
  for (const key of partitionKey) {
    const column = windowColumnOf(input, key);
    if (column === null) continue;
    if (window !== null && column.source !== window.source) {
      throw new SqlValidationError(span, "A window Top-N partitions by the window columns of one windowing");
    }
    window = column;
    if (column.column === "start") start = key;
    else end = key;
  }
  if (window === null) return null;
  if (start === null || end === null) {
    throw new SqlValidationError(
      span,
      "A window Top-N or deduplication must partition by both window_start and window_end",
    );
  }
  const common = {
    kind: "WindowRank" as const,
    input: {
      kind: "Exchange" as const,
      input,
      distribution: { kind: "hash" as const, keys: partitionKey },
      fields: input.fields,
      traits: null,
    },
    partitionKey,
    windowStartIndex: start,
    windowEndIndex: end,
    strategy: window.strategy,
    timeKind: window.timeKind,
    fields: node.fields,
    traits: null,
  };
  if (node.kind === "rank") {
    return {
      ...common,
      rankType: node.rankType,
      orderBy: node.orderBy,
      rankStart: node.rankStart,
      rankEnd: node.rankEnd,
      outputRankNumber: node.outputRankNumber,
      deduplicate: null,
    };
  }
  const orderField: SortField = {
    index: node.orderIndex,
    direction: node.keepLastRow ? "DESC" : "ASC",
    nullsFirst: !node.keepLastRow,
    type: input.fields[node.orderIndex]!.type,
  };
  return {
    ...common,
    rankType: "ROW_NUMBER",
    orderBy: [orderField],
    rankStart: 1,
    rankEnd: 1,
    outputRankNumber: false,
    deduplicate: { keepLastRow: node.keepLastRow },
  };
}

/** EXPLAIN text, as Flink prints WindowRank / WindowDeduplicate. */
export function windowRankText(node: PhysicalWindowRank, changelogMode: string | null): string {
  const names = node.input.fields.map((f) => f.name);
  const parts: [string, string][] = [
    ["window", attachedWindowText(node.strategy, names[node.windowStartIndex]!, names[node.windowEndIndex]!)],
  ];
  if (node.deduplicate !== null) {
    const order = node.orderBy[0]!;
    const type = order.type;
    const rowtime =
      (type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ") && type.timeAttribute === "rowtime";
    parts.push(
      ["keep", node.deduplicate.keepLastRow ? "LastRow" : "FirstRow"],
      ["partitionKeys", node.partitionKey.map((k) => names[k]).join(", ")],
      ["orderKey", names[order.index]!],
      ["order", rowtime ? "ROWTIME" : "PROCTIME"],
    );
  } else {
    parts.push(
      ["rankType", node.rankType],
      ["rankRange", `rankStart=${node.rankStart}, rankEnd=${node.rankEnd}`],
      ["partitionBy", node.partitionKey.map((k) => names[k]).join(", ")],
      ["orderBy", node.orderBy.map((o) => `${names[o.index]} ${o.direction}`).join(", ")],
    );
  }
  parts.push(["select", node.fields.map((f) => f.name).join(", ")]);
  if (changelogMode !== null) parts.push(["changelogMode", changelogMode]);
  const name = node.deduplicate !== null ? "WindowDeduplicate" : "WindowRank";
  return `${name}(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}
