/**
 * Recognizes a window aggregation: a `GROUP BY` that includes `window_start` and `window_end` of a
 * window TVF below it (directly or through Calcs and exchanges that pass those columns on), and
 * plans it as Flink's WindowAggregate over attached windows — emitted once per window when the
 * window closes, insert-only — instead of an updating GroupAggregate.
 *
 * Invariant: the result has the logical aggregate's row (group key fields, then calls), so nothing
 * above it changes. A legacy group window takes the `table.exec.emit.*` early / late firing
 * options (then it emits updates); a window TVF aggregation refuses them, as Flink does.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { WindowEmitConfig } from "../exec/window/window-specs.ts";
import type { AggregateCall, LogicalAggregate } from "../plan/logical-aggregate.ts";
import type {
  PhysicalAssigningWindowAggregate,
  PhysicalNode,
  PhysicalWindowAggregate,
  PhysicalWindowTableFunction,
} from "../plan/physical-node.ts";
import { inputRef } from "../plan/rex-factory.ts";
import type { PlannerOptions } from "./planner-options.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { windowColumnOf } from "./window-columns.ts";
import { groupWindowEmit, refuseEmitForWindowTvf } from "./window-emit-options.ts";
import {
  splitAttachedWindowAggregate,
  splitWindowAggregate,
  twoPhaseWindowAggregate,
} from "./window-two-phase.ts";

/** The WindowAggregate for `aggregate` over `input`, or null when it does not group by a window. */
export function attachedWindowAggregate(
  aggregate: LogicalAggregate,
  input: PhysicalNode,
  span: Span,
  options?: PlannerOptions,
): PhysicalNode | null {
  let start: number | null = null;
  let end: number | null = null;
  let tvf: PhysicalWindowTableFunction | null = null;
  for (const key of aggregate.groupKey) {
    const column = windowColumnOf(input, key);
    // Only a TVF's columns make this a window aggregation (a window aggregation's own output
    // grouped again is an ordinary group aggregation).
    if (column === null || column.source.kind !== "WindowTableFunction") continue;
    if (tvf !== null && column.source !== tvf) {
      throw new SqlValidationError(
        span,
        "A window aggregation groups by the window columns of one window table function",
      );
    }
    tvf = column.source;
    if (column.column === "start") start = key;
    else end = key;
  }
  if (tvf === null) return null;
  if (start === null || end === null) {
    throw new SqlValidationError(
      span,
      "A window aggregation must group by both window_start and window_end of its window table function",
    );
  }
  const emit = windowEmitOf(tvf, options, span);
  if (tvf.strategy.kind === "SESSION")
    return assigningWindowAggregate(aggregate, input, tvf, start, end, span, emit, options);
  try {
    return assigningWindowAggregate(aggregate, input, tvf, start, end, span, emit, options);
  } catch (error) {
    // Filters or expressions between the TVF and the aggregation: aggregate the attached windows.
    if (!(error instanceof SqlValidationError)) throw error;
  }
  const attached: PhysicalWindowAggregate = {
    kind: "WindowAggregate",
    input: {
      kind: "Exchange",
      input,
      distribution: { kind: "hash", keys: aggregate.groupKey },
      fields: input.fields,
      traits: null,
    },
    groupKey: aggregate.groupKey,
    calls: aggregate.calls,
    windowStartIndex: start,
    windowEndIndex: end,
    strategy: tvf.strategy,
    timeKind: tvf.timeKind,
    inputNames: input.fields.map((f) => f.name),
    fields: aggregate.fields,
    traits: null,
    ...(emit === undefined ? {} : { emit }),
  };
  const twoPhase = emit === undefined && options !== undefined && twoPhaseWindowAggregate(attached, options);
  return twoPhase ? splitAttachedWindowAggregate(attached) : attached;
}

/** The emit strategy of a legacy group window; a window TVF refuses the emit options (Flink). */
function windowEmitOf(
  tvf: PhysicalWindowTableFunction,
  options: PlannerOptions | undefined,
  span: Span,
): WindowEmitConfig | undefined {
  const emit = options?.windowEmit;
  if (emit === undefined) return undefined;
  if (tvf.legacyGroupWindow !== true) {
    refuseEmitForWindowTvf(emit, span);
    return undefined;
  }
  const session = tvf.strategy.kind === "SESSION";
  return groupWindowEmit(emit, session, tvf.timeKind, options!.stateTtlMs, span) ?? undefined;
}

/** Where field `index` of `node` comes from, down to the TVF's input row (Calcs must only pass fields). */
function tvfInputIndex(node: PhysicalNode, index: number, span: Span): number | null {
  switch (node.kind) {
    case "WindowTableFunction":
      return index < node.input.fields.length ? index : null;
    case "Calc": {
      if (node.condition !== null) {
        throw new SqlValidationError(
          span,
          "A filter between a SESSION window table function and its aggregation is not supported yet",
        );
      }
      if (node.projection === null) return tvfInputIndex(node.input, index, span);
      const expr = node.projection[index];
      if (expr?.kind !== "input-ref") {
        throw new SqlValidationError(
          span,
          "Expressions between a SESSION window table function and its aggregation are not supported yet",
        );
      }
      return tvfInputIndex(node.input, expr.index, span);
    }
    case "Exchange":
      return tvfInputIndex(node.input, index, span);
    default:
      return null;
  }
}

/**
 * The operator assigns windows (or finds sessions) per key from the TVF's input rows, then a Calc
 * puts its row (keys, calls, window_start, window_end, window_time) into the aggregate's order.
 * Throws a SqlValidationError when something other than plain projections lies in between.
 */
function assigningWindowAggregate(
  aggregate: LogicalAggregate,
  input: PhysicalNode,
  tvf: PhysicalWindowTableFunction,
  start: number,
  end: number,
  span: Span,
  emit: WindowEmitConfig | undefined,
  options: PlannerOptions | undefined,
): PhysicalNode {
  const mapped = (index: number, what: string): number => {
    const at = tvfInputIndex(input, index, span);
    if (at === null)
      throw new SqlValidationError(span, `${what} of a SESSION window aggregation cannot be a window column`);
    return at;
  };
  const keys = aggregate.groupKey.filter((k) => k !== start && k !== end);
  const groupKey = keys.map((k) => mapped(k, "A grouping column"));
  const calls: AggregateCall[] = aggregate.calls.map((call) => ({
    ...call,
    args: call.args.map((a) => mapped(a, "An aggregate argument")),
    filterArg: call.filterArg === null ? null : mapped(call.filterArg, "A FILTER condition"),
  }));
  const source = tvf.input;
  const callFields = aggregate.fields.slice(aggregate.groupKey.length);
  const windowFields = tvf.fields.slice(source.fields.length);
  const fields = [...groupKey.map((k) => source.fields[k]!), ...callFields, ...windowFields];
  const onePhase: PhysicalAssigningWindowAggregate = {
    kind: "AssigningWindowAggregate",
    input: {
      kind: "Exchange",
      input: source,
      distribution: { kind: "hash", keys: groupKey },
      fields: source.fields,
      traits: null,
    },
    groupKey,
    calls,
    strategy: tvf.strategy,
    timeIndex: tvf.timeIndex,
    timeKind: tvf.timeKind,
    fields,
    traits: null,
    ...(emit === undefined ? {} : { emit }),
  };
  const windowStart = groupKey.length + calls.length;
  const projection = [
    ...aggregate.groupKey.map((k, i) => {
      const at = k === start ? windowStart : k === end ? windowStart + 1 : keys.indexOf(k);
      return inputRef(at, aggregate.fields[i]!.type);
    }),
    ...calls.map((_, i) => inputRef(groupKey.length + i, callFields[i]!.type)),
  ];
  const twoPhase = emit === undefined && options !== undefined && twoPhaseWindowAggregate(onePhase, options);
  return {
    kind: "Calc",
    input: twoPhase ? splitWindowAggregate(onePhase) : onePhase,
    projection,
    condition: null,
    fields: aggregate.fields,
    traits: null,
  };
}
