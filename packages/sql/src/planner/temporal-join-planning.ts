/**
 * Physical planning of an event-time temporal join (`FOR SYSTEM_TIME AS OF` a rowtime of the left
 * side) against a versioned table: a right side with a primary key — declared on the table (an
 * append-only or upsert source), or made by keep-last-row deduplication on rowtime — and a rowtime
 * attribute. The equi-conditions become the keys both sides are hashed on; they must cover the
 * whole primary key, or a left row would have several "current" versions.
 *
 * Invariant: the planned node's `rightKey` ⊇ the primary key, and both time indices point at
 * rowtime attributes (checked here with Flink's messages).
 * @module
 */

import type { Span } from "../ast/span.ts";
import { formatRex } from "../plan/format-rex.ts";
import type { LogicalJoin } from "../plan/logical-join.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import type { PhysicalTemporalJoin } from "../plan/physical-temporal-join.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { splitJoinCondition } from "./to-physical.ts";

/** The versioned table's primary key as indices into `node`'s row, or null when it has none. */
export function versionedKeyOf(node: PhysicalNode): readonly number[] | null {
  switch (node.kind) {
    case "TableSourceScan": {
      const keys = node.table.primaryKey;
      if (keys === null || keys.length === 0) return null;
      const physical = node.table.columns.filter((c) => c.kind === "physical").map((c) => c.name);
      const indices = keys.map((k) => physical.indexOf(k));
      return indices.some((i) => i < 0) ? null : indices;
    }
    case "ChangelogNormalize":
      return node.key;
    case "Deduplicate":
      return node.keepLastRow && node.rowtime ? node.key : null;
    case "WatermarkAssigner":
    case "Exchange":
      return versionedKeyOf(node.input);
    case "Calc": {
      const inner = versionedKeyOf(node.input);
      if (inner === null || node.projection === null) return inner;
      const projection = node.projection;
      const mapped = inner.map((k) => projection.findIndex((e) => e.kind === "input-ref" && e.index === k));
      return mapped.some((m) => m < 0) ? null : mapped;
    }
    default:
      return null;
  }
}

function rowtimeIndexOf(node: PhysicalNode): number {
  return node.fields.findIndex(
    (f) =>
      (f.type.kind === "TIMESTAMP" || f.type.kind === "TIMESTAMP_LTZ") && f.type.timeAttribute === "rowtime",
  );
}

export function eventTimeTemporalJoin(
  join: LogicalJoin,
  left: PhysicalNode,
  right: PhysicalNode,
  span: Span,
): PhysicalTemporalJoin {
  const period = join.temporal!.period;
  const leftTimeIndex = period.kind === "input-ref" ? period.index : -1;
  const primaryKey = versionedKeyOf(right);
  const rightTimeIndex = rowtimeIndexOf(right);
  if (primaryKey === null || rightTimeIndex < 0) {
    throw new SqlValidationError(
      span,
      `Event-Time Temporal Table Join requires both primary key and row time attribute in versioned table, but no ${primaryKey === null ? "primary key" : "row time attribute"} can be found.`,
    );
  }
  const leftWidth = left.fields.length;
  const split = splitJoinCondition(join.condition, leftWidth);
  const names = join.fields.map((f) => f.name);
  if (!primaryKey.every((k) => split.rightKey.includes(k))) {
    throw new SqlValidationError(
      span,
      `Temporal table's primary key [${primaryKey.map((k) => right.fields[k]!.name).join(", ")}] must be included in the equivalence condition of temporal join, but current temporal join condition is [${formatRex(join.condition, names)}].`,
    );
  }
  const hashed = (input: PhysicalNode, keys: readonly number[]): PhysicalNode => ({
    kind: "Exchange",
    input,
    distribution: { kind: "hash", keys },
    fields: input.fields,
    traits: null,
  });
  return {
    kind: "TemporalJoin",
    joinType: join.joinType === "LEFT" ? "LEFT" : "INNER",
    left: hashed(left, split.leftKey),
    right: hashed(right, split.rightKey),
    leftKey: split.leftKey,
    rightKey: split.rightKey,
    leftTimeIndex,
    rightTimeIndex,
    primaryKey,
    nonEquiCondition: split.rest,
    condition: join.condition,
    fields: join.fields,
    traits: null,
  };
}

/** EXPLAIN text, as Flink prints a temporal join's condition. */
export function temporalJoinText(node: PhysicalTemporalJoin, changelogMode: string | null): string {
  const leftNames = node.left.fields.map((f) => f.name);
  const names = [...leftNames, ...node.right.fields.map((f) => f.name)];
  const right = (i: number): string => names[leftNames.length + i]!;
  const marker = [
    names[node.leftTimeIndex]!,
    right(node.rightTimeIndex),
    `__TEMPORAL_JOIN_CONDITION_PRIMARY_KEY(${node.primaryKey.map(right).join(", ")})`,
    `__TEMPORAL_JOIN_LEFT_KEY(${node.leftKey.map((k) => names[k]).join(", ")})`,
    `__TEMPORAL_JOIN_RIGHT_KEY(${node.rightKey.map(right).join(", ")})`,
  ].join(", ");
  const where = `AND(${formatRex(node.condition, names)}, __TEMPORAL_JOIN_CONDITION(${marker}))`;
  const parts: [string, string][] = [
    ["joinType", node.joinType === "LEFT" ? "LeftOuterJoin" : "InnerJoin"],
    ["where", where],
    ["select", node.fields.map((f) => f.name).join(", ")],
  ];
  if (changelogMode !== null) parts.push(["changelogMode", changelogMode]);
  return `TemporalJoin(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}
