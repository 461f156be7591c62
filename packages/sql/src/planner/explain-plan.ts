/**
 * EXPLAIN text in Flink's layout: each node as `Name(attr=[value], …)`, children indented below
 * with `:- ` (more siblings follow) and `+- ` (last child); the abstract syntax tree refers to
 * fields as `$i`, the physical plan by name; `changelogMode=[I,UB,UA,D]` is appended per physical
 * node when EXPLAIN CHANGELOG_MODE asks for it.
 *
 * Example:
 * ```text
 * Join(joinType=[InnerJoin], where=[=(a, c)], select=[a, b, c, d])
 * :- Exchange(distribution=[hash[a]])
 * :  +- TableSourceScan(table=[[default_catalog, default_database, l]], fields=[a, b])
 * +- Exchange(distribution=[hash[c]])
 *    +- TableSourceScan(table=[[default_catalog, default_database, r]], fields=[c, d])
 * ```
 * Invariant: the text is a function of the plan alone (deterministic, no ids or hashes).
 * @module
 */

import type { SortField } from "../exec/operator-specs.ts";
import { formatModifyKinds } from "../plan/changelog-traits.ts";
import { formatLiteral, formatRex } from "../plan/format-rex.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";
import { inputsOf, type LogicalNode } from "../plan/logical-node.ts";
import { type PhysicalNode, physicalInputs } from "../plan/physical-node.ts";
import type { RexLiteral, RexNode } from "../plan/rex.ts";
import { correlateText, logicalCorrelateText } from "./explain-correlate.ts";
import { intervalJoinText } from "./explain-interval-join.ts";
import { lookupJoinText } from "./explain-lookup-join.ts";
import { logicalOverAggregateText, overAggregateText } from "./explain-over.ts";
import { windowText } from "./explain-window.ts";
import { logicalMatchText, matchText } from "./match-recognize-planning.ts";
import { multiJoinText } from "./rules/multi-join-explain.ts";
import { temporalJoinText } from "./temporal-join-planning.ts";
import { emissionAttributes } from "./watermark-emit-options.ts";
import { emitText } from "./window-emit-options.ts";
import { windowJoinText } from "./window-join-planning.ts";
import { windowRankText } from "./window-rank-planning.ts";
import { twoPhaseAttachedWindowText, twoPhaseWindowText } from "./window-two-phase.ts";

function tree<T>(root: T, describe: (node: T) => string, children: (node: T) => readonly T[]): string {
  const lines: string[] = [];
  const visit = (node: T, prefix: string, connector: string): void => {
    lines.push(`${prefix}${connector}${describe(node)}`);
    const kids = children(node);
    const childPrefix = prefix + (connector === ":- " ? ":  " : connector === "+- " ? "   " : "");
    for (const [i, kid] of kids.entries()) visit(kid, childPrefix, i === kids.length - 1 ? "+- " : ":- ");
  };
  visit(root, "", "");
  return lines.join("\n");
}

function attrs(name: string, parts: readonly (readonly [string, string] | null)[]): string {
  return `${name}(${parts
    .filter((p): p is readonly [string, string] => p !== null)
    .map(([k, v]) => `${k}=[${v}]`)
    .join(", ")})`;
}

function tuples(rows: readonly (readonly RexLiteral[])[]): string {
  return `[${rows.map((r) => `{ ${r.map((l) => formatLiteral(l.value, l.type)).join(", ")} }`).join(", ")}]`;
}

function sortText(orderBy: readonly SortField[], names: readonly string[] | null): string {
  return orderBy
    .map(
      (s) =>
        `${names === null ? `$${s.index}` : names[s.index]} ${s.direction}${s.nullsFirst === (s.direction === "ASC") ? "" : s.nullsFirst ? " NULLS FIRST" : " NULLS LAST"}`,
    )
    .join(", ");
}

function aggregateText(call: AggregateCall, names: readonly string[] | null): string {
  const args = call.args.map((a) => (names === null ? `$${a}` : names[a]!));
  const inner = args.length === 0 && call.name === "COUNT" && names !== null ? "*" : args.join(", ");
  const filter =
    call.filterArg === null ? "" : ` FILTER ${names === null ? `$${call.filterArg}` : names[call.filterArg]}`;
  return `${call.name}(${call.distinct ? "DISTINCT " : ""}${inner})${filter}`;
}

/** Expand's rows: `{a, null AS b, 1 AS $e}, …`. */
function projectsText(
  projections: readonly (readonly RexNode[])[],
  fields: readonly { name: string }[],
  names: readonly string[] | null,
): string {
  return projections
    .map(
      (row) =>
        `{${row
          .map((e, i) => {
            const text = formatRex(e, names);
            return text === fields[i]!.name ? text : `${text} AS ${fields[i]!.name}`;
          })
          .join(", ")}}`,
    )
    .join(", ");
}

// ---- Abstract syntax tree (logical plan) ----

export function formatLogicalPlan(root: LogicalNode): string {
  return tree(root, describeLogicalNode, inputsOf);
}

function describeLogicalNode(node: LogicalNode): string {
  switch (node.kind) {
    case "scan": {
      const physical = node.table.columns.filter((c) => c.kind === "physical");
      const project =
        node.projectedFields === null
          ? []
          : [`project=[${node.projectedFields.map((i) => physical[i]!.name).join(", ")}]`];
      return attrs("LogicalTableScan", [["table", `[${[...node.path, ...project].join(", ")}]`]]);
    }
    case "values":
      return attrs("LogicalValues", [["tuples", tuples(node.rows)]]);
    case "watermark-assigner":
      return attrs("LogicalWatermarkAssigner", [
        ["rowtime", node.fields[node.rowtimeIndex]!.name],
        ["watermark", formatRex(node.watermark, null)],
        ...emissionAttributes(node.emission),
      ]);
    case "project":
      return `LogicalProject(${node.exprs.map((e, i) => `${node.fields[i]!.name}=[${formatRex(e, null)}]`).join(", ")})`;
    case "filter":
      return attrs("LogicalFilter", [["condition", formatRex(node.condition, null)]]);
    case "expand":
      return attrs("LogicalExpand", [["projects", projectsText(node.projections, node.fields, null)]]);
    case "aggregate": {
      const calls = node.calls.map(
        (c, i) => `${node.fields[node.groupKey.length + i]!.name}=[${aggregateText(c, null)}]`,
      );
      return `LogicalAggregate(${[`group=[{${node.groupKey.join(", ")}}]`, ...calls].join(", ")})`;
    }
    case "join":
      return attrs("LogicalJoin", [
        ["condition", formatRex(node.condition, null)],
        ["joinType", node.joinType.toLowerCase()],
        node.temporal === undefined ? null : ["period", formatRex(node.temporal.period, null)],
      ]);
    case "union":
      return attrs("LogicalUnion", [["all", "true"]]);
    case "set-operation":
      return attrs(node.operation === "INTERSECT" ? "LogicalIntersect" : "LogicalMinus", [
        ["all", String(node.all)],
      ]);
    case "sort":
      return attrs("LogicalSort", [
        ...node.orderBy.flatMap((s, i) => [
          [`sort${i}`, `$${s.index}`] as const,
          [`dir${i}`, s.direction] as const,
        ]),
        node.offset > 0 ? ["offset", String(node.offset)] : null,
        node.fetch === null ? null : ["fetch", String(node.fetch)],
      ]);
    case "over-aggregate":
      return logicalOverAggregateText(node);
    case "match":
      return logicalMatchText(node);
    case "over-rank":
      return attrs("LogicalOverRank", [
        ["rankType", node.rankType],
        ["partitionBy", node.partitionKey.map((k) => `$${k}`).join(", ")],
        ["orderBy", sortText(node.orderBy, null)],
      ]);
    case "rank":
      return attrs("LogicalRank", [
        ["rankType", node.rankType],
        ["rankRange", `rankStart=${node.rankStart}, rankEnd=${node.rankEnd}`],
        ["partitionBy", node.partitionKey.map((k) => `$${k}`).join(", ")],
        ["orderBy", sortText(node.orderBy, null)],
      ]);
    case "deduplicate":
      return attrs("LogicalDeduplicate", [
        ["keep", node.keepLastRow ? "LastRow" : "FirstRow"],
        ["key", node.key.map((k) => `$${k}`).join(", ")],
        ["order", node.rowtime ? "ROWTIME" : "PROCTIME"],
      ]);
    case "correlate":
      return logicalCorrelateText(node);
    case "window-table-function":
      return attrs("LogicalTableFunctionScan", [
        ["invocation", windowText(node.strategy, node.input.fields[node.timeIndex]!.name)],
        ["rowType", `RecordType(${node.fields.map((f) => f.name).join(", ")})`],
      ]);
  }
}

// ---- Optimized physical plan ----

export function formatPhysicalPlan(root: PhysicalNode, changelogMode: boolean): string {
  return tree(root, (n) => describePhysicalNode(n, changelogMode), physicalInputs);
}

const JOIN_TYPE_NAMES: Readonly<Record<string, string>> = {
  INNER: "InnerJoin",
  LEFT: "LeftOuterJoin",
  RIGHT: "RightOuterJoin",
  FULL: "FullOuterJoin",
  SEMI: "LeftSemiJoin",
  ANTI: "LeftAntiJoin",
};

/** One node's line, e.g. `GroupAggregate(groupBy=[a], select=[a, COUNT(*) AS cnt])`. */
export function describePhysicalNode(node: PhysicalNode, changelogMode = false): string {
  const mode: readonly [string, string] | null =
    changelogMode && node.traits !== null ? ["changelogMode", formatModifyKinds(node.traits.kinds)] : null;
  const names = (n: PhysicalNode): string[] => n.fields.map((f) => f.name);
  switch (node.kind) {
    case "TableSourceScan": {
      const extras: string[] = [];
      if (node.projectedFields !== null) {
        const physical = node.table.columns.filter((c) => c.kind === "physical");
        extras.push(`project=[${node.projectedFields.map((i) => physical[i]!.name).join(", ")}]`);
      }
      if (node.metadata.length > 0) extras.push(`metadata=[${node.metadata.map((m) => m.key).join(", ")}]`);
      const table = [...node.path, ...extras].join(", ");
      return attrs("TableSourceScan", [["table", `[${table}]`], ["fields", names(node).join(", ")], mode]);
    }
    case "Values":
      return attrs("Values", [["tuples", tuples(node.rows)], ["values", names(node).join(", ")], mode]);
    case "WatermarkAssigner":
      return attrs("WatermarkAssigner", [
        ["rowtime", node.fields[node.rowtimeIndex]!.name],
        ["watermark", formatRex(node.watermark, names(node.input))],
        ...emissionAttributes(node.emission),
        mode,
      ]);
    case "Calc": {
      const inputNames = names(node.input);
      const select =
        node.projection === null
          ? inputNames.join(", ")
          : node.projection
              .map((e, i) => {
                const text = formatRex(e, inputNames);
                const name = node.fields[i]!.name;
                return text === name ? text : `${text} AS ${name}`;
              })
              .join(", ");
      return attrs("Calc", [
        ["select", select],
        node.condition === null ? null : ["where", formatRex(node.condition, inputNames)],
        mode,
      ]);
    }
    case "Expand":
      return attrs("Expand", [
        ["projects", projectsText(node.projections, node.fields, names(node.input))],
        mode,
      ]);
    case "Exchange": {
      const inputNames = names(node.input);
      const distribution =
        node.distribution.kind === "single"
          ? "single"
          : `hash[${node.distribution.keys.map((k) => inputNames[k]).join(", ")}]`;
      return attrs("Exchange", [["distribution", distribution], mode]);
    }
    case "GroupAggregate": {
      const inputNames = node.phase === "global" ? node.inputNames : names(node.input);
      const groupNames = node.groupKey.map((k) => inputNames[k]!);
      const select = [
        ...groupNames,
        ...node.calls.map(
          (c, i) => `${aggregateText(c, inputNames)} AS ${node.fields[node.groupKey.length + i]!.name}`,
        ),
      ].join(", ");
      const name =
        node.phase === "single"
          ? "GroupAggregate"
          : node.phase === "local"
            ? "LocalGroupAggregate"
            : "GlobalGroupAggregate";
      return attrs(name, [
        groupNames.length === 0 ? null : ["groupBy", groupNames.join(", ")],
        ["select", select],
        mode,
      ]);
    }
    case "Join": {
      const all = [...names(node.left), ...names(node.right)];
      return attrs("Join", [
        ["joinType", JOIN_TYPE_NAMES[node.joinType]!],
        ["where", formatRex(node.condition, all)],
        ["select", names(node).join(", ")],
        mode,
      ]);
    }
    case "Rank":
      return attrs("Rank", [
        ["rankType", node.rankType],
        ["rankRange", `rankStart=${node.rankStart}, rankEnd=${node.rankEnd}`],
        ["partitionBy", node.partitionKey.map((k) => names(node.input)[k]).join(", ")],
        ["orderBy", sortText(node.orderBy, names(node.input))],
        ["select", names(node).join(", ")],
        mode,
      ]);
    case "Deduplicate":
      return attrs("Deduplicate", [
        ["keep", node.keepLastRow ? "LastRow" : "FirstRow"],
        ["key", node.key.map((k) => names(node.input)[k]).join(", ")],
        ["order", node.rowtime ? "ROWTIME" : "PROCTIME"],
        mode,
      ]);
    case "Union":
      return attrs("Union", [["all", "true"], ["union", names(node).join(", ")], mode]);
    case "SetOperation":
      return attrs(node.operation === "INTERSECT" ? "Intersect" : "Minus", [
        ["all", String(node.all)],
        [node.operation === "INTERSECT" ? "intersect" : "minus", names(node).join(", ")],
        mode,
      ]);
    case "SortLimit": {
      const orderBy: readonly [string, string] | null =
        node.orderBy.length === 0 ? null : ["orderBy", sortText(node.orderBy, names(node.input))];
      if (node.fetch === null && node.offset === 0) return attrs("Sort", [orderBy, mode]);
      const limit: (readonly [string, string] | null)[] = [
        ["offset", String(node.offset)],
        node.fetch === null ? null : ["fetch", String(node.fetch)],
      ];
      return attrs(node.orderBy.length === 0 ? "Limit" : "SortLimit", [orderBy, ...limit, mode]);
    }
    case "Correlate":
      return correlateText(node, mode);
    case "WindowTableFunction":
      return attrs("WindowTableFunction", [
        ["window", windowText(node.strategy, names(node.input)[node.timeIndex]!)],
        mode,
      ]);
    case "WindowAggregate": {
      if (node.phase !== undefined)
        return twoPhaseAttachedWindowText(node, names(node.input), mode, aggregateText);
      const inputNames = names(node.input);
      const others = node.groupKey.filter((k) => k !== node.windowStartIndex && k !== node.windowEndIndex);
      const select = [
        ...node.groupKey.map((k) => inputNames[k]!),
        ...node.calls.map(
          (c, i) => `${aggregateText(c, inputNames)} AS ${node.fields[node.groupKey.length + i]!.name}`,
        ),
      ].join(", ");
      return attrs("WindowAggregate", [
        others.length === 0 ? null : ["groupBy", others.map((k) => inputNames[k]!).join(", ")],
        [
          "window",
          `${node.strategy.kind}(win_start=[${inputNames[node.windowStartIndex]}], win_end=[${inputNames[node.windowEndIndex]}])`,
        ],
        ["select", select],
        node.emit === undefined ? null : ["emit", emitText(node.emit)],
        mode,
      ]);
    }
    case "AssigningWindowAggregate": {
      if (node.phase !== undefined) return twoPhaseWindowText(node, names(node.input), mode, aggregateText);
      const inputNames = names(node.input);
      const select = [
        ...node.groupKey.map((k) => inputNames[k]!),
        ...node.calls.map(
          (c, i) => `${aggregateText(c, inputNames)} AS ${node.fields[node.groupKey.length + i]!.name}`,
        ),
        "start('w$) AS window_start",
        "end('w$) AS window_end",
      ].join(", ");
      return attrs("WindowAggregate", [
        node.groupKey.length === 0 ? null : ["groupBy", node.groupKey.map((k) => inputNames[k]!).join(", ")],
        ["window", windowText(node.strategy, inputNames[node.timeIndex]!)],
        ["select", select],
        node.emit === undefined ? null : ["emit", emitText(node.emit)],
        mode,
      ]);
    }
    case "LookupJoin":
      return lookupJoinText(node, mode === null ? null : mode[1]);
    case "TemporalJoin":
      return temporalJoinText(node, mode === null ? null : mode[1]);
    case "WindowRank":
      return windowRankText(node, mode === null ? null : mode[1]);
    case "WindowJoin":
      return windowJoinText(node, mode === null ? null : mode[1]);
    case "OverAggregate":
      return overAggregateText(node, mode === null ? null : mode[1]);
    case "Match":
      return matchText(node, mode === null ? null : mode[1]);
    case "IntervalJoin":
      return intervalJoinText(node, mode === null ? null : mode[1]);
    case "MultiJoin":
      return multiJoinText(node, mode === null ? null : mode[1]);
    case "ChangelogNormalize":
      return attrs("ChangelogNormalize", [
        ["key", node.key.map((k) => names(node.input)[k]).join(", ")],
        mode,
      ]);
    case "Sink":
      return attrs("Sink", [
        ["table", node.path === null ? "*collect*" : node.path.join(".")],
        ["fields", names(node).join(", ")],
        mode,
      ]);
  }
}
