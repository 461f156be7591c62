/**
 * Window table-valued functions in FROM: `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset]))`,
 * `HOP(TABLE t, DESCRIPTOR(ts), slide, size [, offset])`, `CUMULATE(TABLE t, DESCRIPTOR(ts), step,
 * size [, offset])` and `SESSION(TABLE t [PARTITION BY k, …], DESCRIPTOR(ts), gap)`, positional or
 * with Flink's named arguments (DATA, TIMECOL, SIZE, SLIDE, STEP, GAP, OFFSET).
 *
 * Invariant: the DESCRIPTOR column is a time attribute of the table (rowtime or proctime), as Flink
 * requires; the result row is the table's row plus window_start, window_end and window_time.
 * @module
 */

import type {
  CallArgument,
  CallExpression,
  DescriptorArgument,
  Expression,
  TableArgument,
} from "../ast/expressions.ts";
import type { TableFunction } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import { validateStrategy } from "../exec/window/window-assigner.ts";
import type { WindowingStrategy } from "../exec/window/window-specs.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { LogicalWindowTableFunction } from "../plan/logical-window-nodes.ts";
import type { RowField } from "../types/logical-type.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { convertFrom, type FromResult, renameFields } from "./convert-from.ts";
import { convertLiteral } from "./convert-literal.ts";
import type { QueryEnv } from "./convert-query.ts";
import { isLegacyGroupWindowCall } from "./legacy-group-window.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export const WINDOW_FUNCTIONS = ["TUMBLE", "HOP", "CUMULATE", "SESSION"] as const;
type WindowFunction = (typeof WINDOW_FUNCTIONS)[number];

/** Parameter names per function, in positional order (Flink's SqlWindowTableFunction operands). */
const PARAMETERS: Readonly<Record<WindowFunction, readonly string[]>> = {
  TUMBLE: ["DATA", "TIMECOL", "SIZE", "OFFSET"],
  HOP: ["DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET"],
  CUMULATE: ["DATA", "TIMECOL", "STEP", "SIZE", "OFFSET"],
  SESSION: ["DATA", "TIMECOL", "GAP"],
};

const SIGNATURES: Readonly<Record<WindowFunction, string>> = {
  TUMBLE: "TUMBLE(TABLE table_name, DESCRIPTOR(timecol), datetime interval[, datetime interval])",
  HOP: "HOP(TABLE table_name, DESCRIPTOR(timecol), datetime interval, datetime interval[, datetime interval])",
  CUMULATE:
    "CUMULATE(TABLE table_name, DESCRIPTOR(timecol), datetime interval, datetime interval[, datetime interval])",
  SESSION: "SESSION(TABLE table_name [PARTITION BY (keycols, ...)], DESCRIPTOR(timecol), datetime interval)",
};

/** The window TVF's name when `call` is one, else null. */
export function windowFunctionName(call: CallExpression): WindowFunction | null {
  const name = call.name.parts.at(-1)?.value.toUpperCase();
  return name !== undefined &&
    call.name.parts.length === 1 &&
    (WINDOW_FUNCTIONS as readonly string[]).includes(name)
    ? (name as WindowFunction)
    : null;
}

/** Arguments by parameter name, positional or named (not both mixed out of order). */
function bindArguments(fn: WindowFunction, call: CallExpression): Map<string, CallArgument> {
  const parameters = PARAMETERS[fn];
  const bound = new Map<string, CallArgument>();
  call.args.forEach((arg, i) => {
    if (arg.kind === "named-argument") {
      const name = arg.name.value.toUpperCase();
      if (!parameters.includes(name)) {
        throw new SqlValidationError(
          arg.span,
          `${fn} has no parameter '${arg.name.value}'; its parameters are ${parameters.join(", ")}`,
        );
      }
      bound.set(name, arg.value);
    } else {
      const name = parameters[i];
      if (name === undefined) {
        throw new SqlValidationError(
          arg.span,
          `Invalid number of arguments to function '${fn}'. Expected: ${SIGNATURES[fn]}`,
        );
      }
      bound.set(name, arg);
    }
  });
  const required = fn === "SESSION" ? parameters : parameters.slice(0, -1);
  for (const name of required) {
    if (!bound.has(name)) {
      throw new SqlValidationError(
        call.span,
        `Invalid number of arguments to function '${fn}'. Expected: ${SIGNATURES[fn]}`,
      );
    }
  }
  return bound;
}

/** An interval argument in milliseconds; Flink requires a literal here. */
function intervalMs(fn: WindowFunction, arg: CallArgument | undefined, what: string, span: Span): number {
  if (arg === undefined) return 0;
  if (arg.kind !== "interval-literal") {
    throw new SqlValidationError(
      "span" in arg ? arg.span : span,
      `The ${what} of ${fn} must be an interval literal such as INTERVAL '10' SECOND. Expected: ${SIGNATURES[fn]}`,
    );
  }
  const value = convertLiteral(arg as Expression & { kind: "interval-literal" });
  if (value.type.kind !== "INTERVAL_DAY_TIME" || typeof value.value !== "number") {
    throw new SqlValidationError(
      arg.span,
      `The ${what} of ${fn} must be a day-time interval (SECOND … DAY), got a year-month interval`,
    );
  }
  return value.value;
}

/** Converts a window TVF in FROM (the caller checked {@link windowFunctionName}). */
export function convertWindowTableFunction(
  from: TableFunction,
  fn: WindowFunction,
  env: QueryEnv,
): FromResult {
  const call = from.call;
  const args = bindArguments(fn, call);
  const data = args.get("DATA");
  if (data?.kind !== "table-argument") {
    throw new SqlValidationError(
      call.span,
      `The first argument of ${fn} must be TABLE table_name. Expected: ${SIGNATURES[fn]}`,
    );
  }
  const table = data as TableArgument;
  if (fn !== "SESSION" && table.partitionBy.length > 0) {
    throw new SqlValidationError(table.span, `${fn} does not take PARTITION BY; only SESSION does`);
  }
  const input = convertFrom(
    {
      kind: "table-name",
      name: table.name,
      hints: table.hints ?? [],
      systemTime: null,
      alias: null,
      span: table.span,
    },
    env,
  ).node;
  const indexOf = (name: string, span: Span): number => {
    const index = input.fields.findIndex((f) => f.name === name);
    if (index < 0)
      throw new SqlValidationError(
        span,
        `Column '${name}' not found in table '${table.name.parts.map((p) => p.value).join(".")}'`,
      );
    return index;
  };
  const descriptor = args.get("TIMECOL");
  if (descriptor?.kind !== "descriptor-argument" || (descriptor as DescriptorArgument).columns.length !== 1) {
    throw new SqlValidationError(
      call.span,
      `The second argument of ${fn} must be DESCRIPTOR(timecol) with one column. Expected: ${SIGNATURES[fn]}`,
    );
  }
  const timeColumn = (descriptor as DescriptorArgument).columns[0]!;
  const timeIndex = indexOf(timeColumn.value, timeColumn.span);
  const timeType = input.fields[timeIndex]!.type;
  const timeAttribute =
    timeType.kind === "TIMESTAMP" || timeType.kind === "TIMESTAMP_LTZ" ? timeType.timeAttribute : null;
  if (timeAttribute === null) {
    throw new SqlValidationError(
      timeColumn.span,
      `The window function ${SIGNATURES[fn]} requires the timecol to be a time attribute type, but is ${timeType.kind}.`,
    );
  }
  let strategy: WindowingStrategy;
  switch (fn) {
    case "TUMBLE":
      strategy = {
        kind: "TUMBLE",
        sizeMs: intervalMs(fn, args.get("SIZE"), "size", call.span),
        offsetMs: intervalMs(fn, args.get("OFFSET"), "offset", call.span),
      };
      break;
    case "HOP":
      strategy = {
        kind: "HOP",
        slideMs: intervalMs(fn, args.get("SLIDE"), "slide", call.span),
        sizeMs: intervalMs(fn, args.get("SIZE"), "size", call.span),
        offsetMs: intervalMs(fn, args.get("OFFSET"), "offset", call.span),
      };
      break;
    case "CUMULATE":
      strategy = {
        kind: "CUMULATE",
        stepMs: intervalMs(fn, args.get("STEP"), "step", call.span),
        maxSizeMs: intervalMs(fn, args.get("SIZE"), "size", call.span),
        offsetMs: intervalMs(fn, args.get("OFFSET"), "offset", call.span),
      };
      break;
    case "SESSION":
      strategy = { kind: "SESSION", gapMs: intervalMs(fn, args.get("GAP"), "gap", call.span) };
      break;
  }
  try {
    validateStrategy(strategy);
  } catch (error) {
    throw new SqlValidationError(call.span, (error as Error).message);
  }
  const windowTime =
    timeAttribute === "rowtime"
      ? { ...LogicalTypes.timestamp(3, false), timeAttribute: "rowtime" as const }
      : { ...LogicalTypes.timestampLtz(3, false), timeAttribute: "proctime" as const };
  const fields: RowField[] = [
    ...input.fields,
    { name: "window_start", type: LogicalTypes.timestamp(3, false) },
    { name: "window_end", type: LogicalTypes.timestamp(3, false) },
    { name: "window_time", type: windowTime },
  ];
  const node: LogicalWindowTableFunction = {
    kind: "window-table-function",
    input,
    strategy,
    timeIndex,
    timeKind: timeAttribute,
    partitionKeys: table.partitionBy.map((column) => indexOf(column.value, column.span)),
    fields,
    ...(isLegacyGroupWindowCall(call) ? { legacyGroupWindow: true } : {}),
  };
  const renamed: LogicalNode =
    from.alias !== null && from.alias.columns.length > 0
      ? renameFields(node, from.alias.columns, from.alias.span)
      : node;
  return {
    node: renamed,
    relations: [{ name: from.alias?.name.value ?? null, fields: renamed.fields, offset: 0 }],
  };
}
