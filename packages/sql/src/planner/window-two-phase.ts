/**
 * Two-phase window aggregation (Flink's TwoStageOptimizedWindowAggregateRule): a window aggregation
 * that assigns its own windows becomes LocalWindowAggregate → hash exchange on the group key →
 * GlobalWindowAggregate, the local phase pre-aggregating per (key, slice) before the shuffle.
 *
 * When, as in Flink: `table.optimizer.agg-phase-strategy` is not ONE_PHASE (AUTO included), the
 * windows are on event time (processing time must be materialized in one place), the window is
 * aligned (TUMBLE / HOP / CUMULATE, not SESSION), and every aggregate function without DISTINCT
 * can merge accumulators (a DISTINCT call ships its distinct values instead, as Flink's
 * `DISTINCT(x)` view; see `exec/window/window-partial-aggregates.ts`). Early / late firing (legacy
 * group windows) is one phase, as Flink's group window aggregation has no two-phase form.
 *
 * Invariant: the global phase emits the one-phase node's row, so the plan above does not change.
 * @module
 */

import type { AggregateCall } from "../plan/logical-aggregate.ts";
import type {
  PhysicalAssigningWindowAggregate,
  PhysicalNode,
  PhysicalWindowAggregate,
} from "../plan/physical-node.ts";
import type { RowField } from "../types/logical-type.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { windowParameters, windowText } from "./explain-window.ts";
import type { PlannerOptions } from "./planner-options.ts";

/** True when `node` (a one-phase window aggregation) is split in two phases. */
export function twoPhaseWindowAggregate(
  node: PhysicalAssigningWindowAggregate | PhysicalWindowAggregate,
  options: PlannerOptions,
): boolean {
  if (options.aggPhaseStrategy === "ONE_PHASE") return false;
  if (node.timeKind !== "rowtime" || node.strategy.kind === "SESSION") return false;
  return node.calls.every(
    (call) =>
      call.distinct ||
      call.definition.create(call.argTypes, call.type, { retraction: false }).merge !== undefined,
  );
}

/**
 * `node` (whose input is the hash exchange over the TVF's input) as Global(Exchange(Local(source))).
 * The local row: group key fields, `$rows`, one accumulator per call, `$slice_end`.
 */
export function splitWindowAggregate(node: PhysicalAssigningWindowAggregate): PhysicalNode {
  const { exchange, globalKey } = localPhaseExchange(node);
  return { ...node, input: exchange, groupKey: globalKey, phase: "global", traits: null };
}

/**
 * An attached-window aggregation (its input is the hash exchange on its group key, window columns
 * included) as Global(Exchange(Local(input))): the local phase folds rows per group and window, its
 * partial's `$slice_end` is the row's window_end; the global phase is keyed by the whole group key.
 */
export function splitAttachedWindowAggregate(node: PhysicalWindowAggregate): PhysicalNode {
  const { exchange, globalKey } = localPhaseExchange(node);
  return {
    ...node,
    input: exchange,
    groupKey: globalKey,
    windowStartIndex: node.groupKey.indexOf(node.windowStartIndex),
    windowEndIndex: node.groupKey.indexOf(node.windowEndIndex),
    inputNames: exchange.fields.map((f) => f.name),
    phase: "global",
    traits: null,
  };
}

/**
 * The local phase of `node` over its input below the exchange, and the exchange that sends its
 * partial rows to the global phase: hashed on the group key (now the partial row's first fields),
 * or to one subtask when there is no key.
 */
function localPhaseExchange(node: PhysicalAssigningWindowAggregate | PhysicalWindowAggregate): {
  readonly exchange: PhysicalNode;
  readonly globalKey: number[];
} {
  const source = node.input.kind === "Exchange" ? node.input.input : node.input;
  const partialFields = partialRowFields(node, source);
  const local = { ...node, input: source, phase: "local" as const, fields: partialFields, traits: null };
  const globalKey = node.groupKey.map((_, i) => i);
  const exchange: PhysicalNode = {
    kind: "Exchange",
    input: local,
    distribution: globalKey.length === 0 ? { kind: "single" } : { kind: "hash", keys: globalKey },
    fields: partialFields,
    traits: null,
  };
  return { exchange, globalKey };
}

/** The partial row: group key fields, `$rows`, one accumulator per call, `$slice_end`. */
function partialRowFields(
  node: PhysicalAssigningWindowAggregate | PhysicalWindowAggregate,
  source: PhysicalNode,
): RowField[] {
  return [
    ...node.groupKey.map((i) => source.fields[i]!),
    { name: "$rows", type: LogicalTypes.bigint(false) },
    ...node.calls.map((call, i) => ({ name: `${call.name.toLowerCase()}$${i}`, type: call.type })),
    { name: "$slice_end", type: LogicalTypes.bigint(false) },
  ];
}

/**
 * EXPLAIN text of the two phases over attached windows: `LocalWindowAggregate(groupBy=[k],
 * window=[TUMBLE(win_start=[window_start], win_end=[window_end])], select=[k, window_start,
 * window_end, COUNT(*) AS count$0, slice_end('w$) AS $slice_end])` and
 * `GlobalWindowAggregate(groupBy=[k], window=[TUMBLE(slice_end=[$slice_end])], select=[k,
 * window_start, window_end, COUNT(count$0) AS n])`.
 */
export function twoPhaseAttachedWindowText(
  node: PhysicalWindowAggregate,
  inputNames: readonly string[],
  mode: readonly [string, string] | null,
  aggregateText: (call: AggregateCall, names: readonly string[]) => string,
): string {
  const keys = node.groupKey.map((i) => inputNames[i]!);
  const others = node.groupKey
    .filter((i) => i !== node.windowStartIndex && i !== node.windowEndIndex)
    .map((i) => inputNames[i]!);
  const calls = phaseCallTexts(node, inputNames, aggregateText);
  const parts: [string, string][] = [];
  if (others.length > 0) parts.push(["groupBy", others.join(", ")]);
  const kind = node.strategy.kind;
  if (node.phase === "local") {
    const start = inputNames[node.windowStartIndex];
    const end = inputNames[node.windowEndIndex];
    parts.push(["window", `${kind}(win_start=[${start}], win_end=[${end}])`]);
    parts.push(["select", [...keys, ...calls, "slice_end('w$) AS $slice_end"].join(", ")]);
  } else {
    parts.push(["window", `${kind}(slice_end=[$slice_end])`]);
    parts.push(["select", [...keys, ...calls].join(", ")]);
  }
  return phaseText(node.phase, parts, mode);
}

/**
 * EXPLAIN text of the two phases, as Flink prints them:
 * `LocalWindowAggregate(groupBy=[k], window=[HOP(time_col=[ts], size=[10 s], slide=[2 s])],
 * select=[k, COUNT(*) AS count$0, slice_end('w$) AS $slice_end])` and
 * `GlobalWindowAggregate(groupBy=[k], window=[HOP(slice_end=[$slice_end], size=[10 s], slide=[2 s])],
 * select=[k, COUNT(count$0) AS n, start('w$) AS window_start, end('w$) AS window_end])`.
 */
export function twoPhaseWindowText(
  node: PhysicalAssigningWindowAggregate,
  inputNames: readonly string[],
  mode: readonly [string, string] | null,
  aggregateText: (call: AggregateCall, names: readonly string[]) => string,
): string {
  const k = node.groupKey.length;
  const keys = node.groupKey.map((i) => inputNames[i]!);
  const calls = phaseCallTexts(node, inputNames, aggregateText);
  const parts: [string, string][] = [];
  if (k > 0) parts.push(["groupBy", keys.join(", ")]);
  if (node.phase === "local") {
    parts.push(["window", windowText(node.strategy, inputNames[node.timeIndex]!)]);
    parts.push(["select", [...keys, ...calls, "slice_end('w$) AS $slice_end"].join(", ")]);
  } else {
    const params = windowParameters(node.strategy, false);
    parts.push(["window", `${node.strategy.kind}(${["slice_end=[$slice_end]", ...params].join(", ")})`]);
    parts.push([
      "select",
      [...keys, ...calls, "start('w$) AS window_start", "end('w$) AS window_end"].join(", "),
    ]);
  }
  return phaseText(node.phase, parts, mode);
}

/**
 * The select items of the phase's calls: the local phase's accumulators named by its partial row,
 * the global phase's merge of each accumulator under the call's own name.
 */
function phaseCallTexts(
  node: PhysicalAssigningWindowAggregate | PhysicalWindowAggregate,
  inputNames: readonly string[],
  aggregateText: (call: AggregateCall, names: readonly string[]) => string,
): string[] {
  const k = node.groupKey.length;
  return node.phase === "local"
    ? node.calls.map((c, i) => `${aggregateText(c, inputNames)} AS ${node.fields[k + 1 + i]!.name}`)
    : node.calls.map((c, i) => `${c.name}(${inputNames[k + 1 + i]}) AS ${node.fields[k + i]!.name}`);
}

/** `LocalWindowAggregate(key=[value], …)` or `GlobalWindowAggregate(…)`, the mode last. */
function phaseText(
  phase: PhysicalWindowAggregate["phase"],
  parts: [string, string][],
  mode: readonly [string, string] | null,
): string {
  if (mode !== null) parts.push([mode[0], mode[1]]);
  const name = phase === "local" ? "LocalWindowAggregate" : "GlobalWindowAggregate";
  return `${name}(${parts.map(([key, value]) => `${key}=[${value}]`).join(", ")})`;
}
