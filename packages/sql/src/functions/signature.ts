/**
 * Building blocks for the built-in function definitions: operand checks with Flink-style messages,
 * implicit-cast requests, and result nullability.
 *
 * Invariant: a check either returns the operand types the validator must cast to, or throws a
 * {@link FunctionTypeError} listing the accepted signature and the types given, e.g.
 * "SUBSTRING expects (STRING, INT[, INT]) but got (STRING, BOOLEAN)".
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import {
  isBinaryString,
  isCharacterString,
  isExactNumeric,
  isInteger,
  isInterval,
  isNumeric,
  isTimestamp,
} from "../types/type-coercion.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";

/**
 * What a parameter accepts and what it is cast to: `STRING` any character string (kept), `INT` /
 * `BIGINT` / `DOUBLE` any numeric (cast to that type; DOUBLE also accepts integers), `INTEGER` any
 * integer type (cast to INT), `NUMERIC` any numeric (kept), `BOOLEAN`, `DATE`, `TIME`, `TIMESTAMP`
 * (TIMESTAMP or TIMESTAMP_LTZ, kept), `TEMPORAL` (DATE/TIME/TIMESTAMP*), `BYTES` any binary (kept),
 * `ANY` anything. A trailing `?` marks an optional parameter, `...` repeats the last one.
 */
export type Param =
  | "STRING"
  | "INT"
  | "BIGINT"
  | "DOUBLE"
  | "NUMERIC"
  | "EXACT"
  | "BOOLEAN"
  | "DATE"
  | "TIME"
  | "TIMESTAMP"
  | "TEMPORAL"
  | "BYTES"
  | "ARRAY"
  | "MAP"
  | "INTERVAL"
  | "ANY";

function accepts(param: Param, type: LogicalType): boolean {
  if (type.kind === "NULL") return true;
  switch (param) {
    case "STRING":
      return isCharacterString(type);
    case "INT":
    case "BIGINT":
      return isInteger(type);
    case "DOUBLE":
    case "NUMERIC":
      return isNumeric(type);
    case "EXACT":
      return isExactNumeric(type);
    case "BOOLEAN":
      return type.kind === "BOOLEAN";
    case "DATE":
      return type.kind === "DATE";
    case "TIME":
      return type.kind === "TIME";
    case "TIMESTAMP":
      return isTimestamp(type);
    case "TEMPORAL":
      return type.kind === "DATE" || type.kind === "TIME" || isTimestamp(type);
    case "BYTES":
      return isBinaryString(type);
    case "ARRAY":
      return type.kind === "ARRAY";
    case "MAP":
      return type.kind === "MAP";
    case "INTERVAL":
      return isInterval(type);
    case "ANY":
      return true;
  }
}

function castTarget(param: Param, type: LogicalType): LogicalType {
  switch (param) {
    case "INT":
      return LogicalTypes.int(type.nullable);
    case "BIGINT":
      return LogicalTypes.bigint(type.nullable);
    case "DOUBLE":
      return LogicalTypes.double(type.nullable);
    case "STRING":
      return type.kind === "NULL" ? LogicalTypes.string() : type;
    case "BOOLEAN":
      return type.kind === "NULL" ? LogicalTypes.boolean() : type;
    default:
      return type;
  }
}

function paramName(param: Param): string {
  return param === "TEMPORAL" ? "DATE | TIME | TIMESTAMP" : param === "EXACT" ? "EXACT_NUMERIC" : param;
}

/** `(STRING, INT[, INT])` */
export function formatSignature(params: readonly Param[], optional: number, variadic: boolean): string {
  const required = params.length - optional;
  let text = params.slice(0, required).map(paramName).join(", ");
  for (let i = required; i < params.length; i++)
    text += `${text === "" ? "[" : "[, "}${paramName(params[i]!)}`;
  text += "]".repeat(optional);
  if (variadic) text += ", ...";
  return `(${text})`;
}

export function formatTypes(types: readonly LogicalType[]): string {
  return `(${types.map((t) => formatLogicalType(withNullability(t, true))).join(", ")})`;
}

/**
 * Checks operands against one or more signatures (each a list of params; optional params end with
 * `?`, a final `...` repeats the previous param) and returns the operand types to cast to.
 */
export function checkOperands(
  name: string,
  operands: readonly LogicalType[],
  ...signatures: readonly string[][]
): LogicalType[] {
  let arityMatched = false;
  const arities: string[] = [];
  for (const signature of signatures) {
    const params: Param[] = [];
    let optional = 0;
    let variadic = false;
    for (const p of signature) {
      if (p === "...") variadic = true;
      else if (p.endsWith("?")) {
        params.push(p.slice(0, -1) as Param);
        optional++;
      } else params.push(p as Param);
    }
    const required = params.length - optional;
    arities.push(
      variadic
        ? `at least ${required}`
        : optional === 0
          ? String(required)
          : `${required} to ${params.length}`,
    );
    if (operands.length < required || (!variadic && operands.length > params.length)) continue;
    arityMatched = true;
    const paramAt = (i: number): Param => params[Math.min(i, params.length - 1)]!;
    if (operands.every((t, i) => accepts(paramAt(i), t)))
      return operands.map((t, i) => castTarget(paramAt(i), t));
  }
  if (!arityMatched) {
    // Calcite's wording, which Flink users know from their error messages.
    throw new FunctionTypeError(
      `Invalid number of arguments to function '${name}'. Was expecting ${[...new Set(arities)].join(" or ")} arguments`,
    );
  }
  const expected = signatures
    .map((s) => {
      const params = s.filter((p) => p !== "...").map((p) => p.replace("?", "")) as Param[];
      return formatSignature(params, s.filter((p) => p.endsWith("?")).length, s.includes("..."));
    })
    .join(" or ");
  throw new FunctionTypeError(`${name} expects ${expected} but got ${formatTypes(operands)}`);
}

export function anyNullable(types: readonly LogicalType[]): boolean {
  return types.some((t) => t.nullable);
}

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

export interface ScalarOptions {
  readonly strict?: boolean;
  readonly deterministic?: boolean;
  readonly specialize?: ScalarFunctionDefinition["specialize"];
}

/**
 * A strict (by default), deterministic scalar function whose result type is `result(operands)`
 * made nullable when any operand is (for strict functions).
 */
export function scalar(
  name: string,
  signatures: readonly string[][],
  result: (operands: readonly LogicalType[], literals: readonly (SqlValue | undefined)[]) => LogicalType,
  implementation: Impl,
  options: ScalarOptions = {},
): ScalarFunctionDefinition {
  const strict = options.strict ?? true;
  const definition: ScalarFunctionDefinition = {
    kind: "scalar",
    name,
    strict,
    deterministic: options.deterministic ?? true,
    inferType(operands, literals) {
      const cast = checkOperands(name, operands, ...signatures);
      const type = result(cast, literals);
      return { result: strict && anyNullable(operands) ? withNullability(type, true) : type, operands: cast };
    },
    implementation,
  };
  if (options.specialize !== undefined) return { ...definition, specialize: options.specialize };
  return definition;
}

/** A scalar function whose type inference is written by hand. */
export function customScalar(
  name: string,
  inferType: ScalarFunctionDefinition["inferType"],
  implementation: Impl,
  options: ScalarOptions = {},
): ScalarFunctionDefinition {
  const definition: ScalarFunctionDefinition = {
    kind: "scalar",
    name,
    strict: options.strict ?? true,
    deterministic: options.deterministic ?? true,
    inferType,
    implementation,
  };
  if (options.specialize !== undefined) return { ...definition, specialize: options.specialize };
  return definition;
}

export const STRING_NOT_NULL = LogicalTypes.string(false);
export const INT_NOT_NULL = LogicalTypes.int(false);
export const BIGINT_NOT_NULL = LogicalTypes.bigint(false);
export const DOUBLE_NOT_NULL = LogicalTypes.double(false);
export const BOOLEAN_NOT_NULL = LogicalTypes.boolean(false);
