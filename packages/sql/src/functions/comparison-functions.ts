/**
 * Comparison operators and predicates: `= <> < <= > >=`, `IS [NOT] DISTINCT FROM`, `BETWEEN`,
 * `IN`, `IS [NOT] NULL`, `IS [NOT] TRUE|FALSE|UNKNOWN`, `LIKE`, `SIMILAR TO`.
 *
 * Invariants: operands are cast to one comparable type first (`comparisonType`: `1 = 1.0` compares
 * as DECIMAL, `'10' = 10` as INT, as Flink's coercion does); a comparison with a NULL operand is
 * NULL (strict), except the DISTINCT / IS predicates which never return NULL. `IN` is `operand,
 * v1, v2 …` and follows SQL: TRUE if some vi equals, else NULL if the operand or some vi is NULL,
 * else FALSE. `BETWEEN` is `operand, low, high` (low ≤ operand ≤ high). LIKE takes `%` and `_`
 * and an optional escape character; SIMILAR TO takes the SQL regular-expression dialect.
 * @module
 */

import { comparatorFor, compareStrings } from "../data/compare-values.ts";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { comparisonType, isCharacterString } from "../types/type-coercion.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { anyNullable, formatTypes, scalar } from "./signature.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;
export type ComparisonOperator = "=" | "<>" | "<" | "<=" | ">" | ">=";

/** True when values of the type compare correctly with JavaScript's `<`, `===`: numbers, bigints, booleans. */
export function isPrimitiveComparable(type: LogicalType): boolean {
  switch (type.kind) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DECIMAL":
    case "DATE":
    case "TIME":
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
    case "INTERVAL_DAY_TIME":
    case "INTERVAL_YEAR_MONTH":
      return true;
    default:
      return false;
  }
}

/** A three-way comparison for values of `type` (non-null), SQL semantics for primitives. */
export function sqlComparator(type: LogicalType): (a: SqlValue, b: SqlValue) => number {
  if (isPrimitiveComparable(type)) {
    return (a, b) =>
      (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : a === b ? 0 : Number.NaN;
  }
  if (isCharacterString(type)) return compareStrings;
  return comparatorFor(type);
}

function test(op: ComparisonOperator, c: number): boolean {
  switch (op) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

/** Operand types for comparing `types` pairwise-compatibly: all cast to one type. */
export function inferComparable(name: string, operands: readonly LogicalType[]): LogicalType[] {
  let common: LogicalType | null = operands[0]!;
  for (let i = 1; i < operands.length && common !== null; i++) common = comparisonType(common, operands[i]!);
  if (common === null) throw new FunctionTypeError(`${name} cannot compare ${formatTypes(operands)}`);
  if (common.kind === "NULL") return [...operands];
  const target = common;
  return operands.map((t) => withNullability(target, t.nullable));
}

export function comparisonImplementation(op: ComparisonOperator, type: LogicalType): Impl {
  if (isPrimitiveComparable(type)) {
    switch (op) {
      case "=":
        return (_c, a, b) => a === b;
      case "<>":
        return (_c, a, b) => a !== b;
      case "<":
        return (_c, a, b) => (a as number) < (b as number);
      case "<=":
        return (_c, a, b) => (a as number) <= (b as number);
      case ">":
        return (_c, a, b) => (a as number) > (b as number);
      case ">=":
        return (_c, a, b) => (a as number) >= (b as number);
    }
  }
  if (isCharacterString(type) && (op === "=" || op === "<>")) {
    return op === "=" ? (_c, a, b) => a === b : (_c, a, b) => a !== b;
  }
  const compare = sqlComparator(type);
  return (_c, a, b) => test(op, compare(a, b));
}

function comparisonOperator(op: ComparisonOperator): ScalarFunctionDefinition {
  return {
    kind: "scalar",
    name: op,
    strict: true,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 2)
        throw new FunctionTypeError(`${op} expects 2 operands but got ${operands.length}`);
      return { result: LogicalTypes.boolean(anyNullable(operands)), operands: inferComparable(op, operands) };
    },
    implementation: (c, a, b) =>
      comparisonImplementation(op, typeof a === "string" ? LogicalTypes.string() : LogicalTypes.double())(
        c,
        a,
        b,
      ),
    specialize: (operands) => comparisonImplementation(op, operands[0]!),
  };
}

function distinctImplementation(type: LogicalType, negated: boolean): Impl {
  const compare = sqlComparator(type);
  return (_c, a, b) => {
    const distinct = a === null || b === null ? a !== b : compare(a, b) !== 0;
    return negated ? !distinct : distinct;
  };
}

function distinctOperator(name: string, negated: boolean): ScalarFunctionDefinition {
  return {
    kind: "scalar",
    name,
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 2)
        throw new FunctionTypeError(`${name} expects 2 operands but got ${operands.length}`);
      return { result: LogicalTypes.boolean(false), operands: inferComparable(name, operands) };
    },
    implementation: distinctImplementation(LogicalTypes.double(), negated),
    specialize: (operands) => distinctImplementation(operands[0]!, negated),
  };
}

function inImplementation(type: LogicalType): Impl {
  const compare = sqlComparator(type);
  return (_c, value, ...list) => {
    if (value === null) return null;
    let sawNull = false;
    for (const item of list) {
      if (item === null) sawNull = true;
      else if (compare(value, item) === 0) return true;
    }
    return sawNull ? null : false;
  };
}

function betweenImplementation(type: LogicalType): Impl {
  const compare = sqlComparator(type);
  return (_c, value, low, high) => {
    if (value === null) return null;
    const aboveLow = low === null ? null : compare(value, low) >= 0;
    const belowHigh = high === null ? null : compare(value, high) <= 0;
    if (aboveLow === false || belowHigh === false) return false;
    if (aboveLow === null || belowHigh === null) return null;
    return true;
  };
}

function isTest(
  name: string,
  test: (value: SqlValue) => boolean,
  operandKind: "ANY" | "BOOLEAN",
): ScalarFunctionDefinition {
  return {
    kind: "scalar",
    name,
    strict: false,
    deterministic: true,
    inferType(operands) {
      const [type] = operands;
      if (operands.length !== 1 || type === undefined)
        throw new FunctionTypeError(`${name} expects 1 operand`);
      if (operandKind === "BOOLEAN" && type.kind !== "BOOLEAN" && type.kind !== "NULL") {
        throw new FunctionTypeError(`${name} expects (BOOLEAN) but got ${formatTypes(operands)}`);
      }
      return { result: LogicalTypes.boolean(false) };
    },
    implementation: (_c, value) => test(value),
  };
}

/**
 * Translates a LIKE pattern to a RegExp source: `%` → `.*`, `_` → `.`, the escape character makes
 * the next character literal. Throws when an escape ends the pattern or precedes another character.
 */
export function likePatternToRegExp(pattern: string, escapeChar: string | null): RegExp {
  let source = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escapeChar !== null && ch === escapeChar) {
      const next = pattern[i + 1];
      if (next === undefined || (next !== "%" && next !== "_" && next !== escapeChar)) {
        throw new SqlRuntimeError(`Invalid escape sequence in LIKE pattern '${pattern}'`);
      }
      source += escapeRegExp(next);
      i++;
    } else if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += escapeRegExp(ch);
  }
  return new RegExp(`${source}$`, "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/** SQL's SIMILAR TO dialect: `%`, `_`, and regex operators `| * + ? {m,n} ( ) [ ]`. */
export function similarPatternToRegExp(pattern: string, escapeChar: string | null): RegExp {
  let source = "^(?:";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escapeChar !== null && ch === escapeChar) {
      const next = pattern[i + 1];
      if (next === undefined)
        throw new SqlRuntimeError(`Invalid escape sequence in SIMILAR TO pattern '${pattern}'`);
      source += escapeRegExp(next);
      i++;
    } else if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else if ("|*+?{}()[]^-,".includes(ch)) source += ch;
    else source += escapeRegExp(ch);
  }
  return new RegExp(`${source})$`, "u");
}

/** Caches the last pattern so per-row calls with a constant pattern compile it once. */
function patternMatcher(toRegExp: (pattern: string, escapeChar: string | null) => RegExp): Impl {
  let lastPattern: string | null = null;
  let lastEscape: string | null = null;
  let lastRegExp: RegExp | null = null;
  return (_c, value, pattern, escapeOperand) => {
    const esc = escapeOperand === undefined || escapeOperand === null ? null : (escapeOperand as string);
    if (pattern !== lastPattern || esc !== lastEscape || lastRegExp === null) {
      if (esc !== null && esc.length !== 1)
        throw new SqlRuntimeError(`LIKE escape must be a single character, got '${esc}'`);
      lastRegExp = toRegExp(pattern as string, esc);
      lastPattern = pattern as string;
      lastEscape = esc;
    }
    return lastRegExp.test(value as string);
  };
}

export const COMPARISON_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  comparisonOperator("="),
  comparisonOperator("<>"),
  comparisonOperator("<"),
  comparisonOperator("<="),
  comparisonOperator(">"),
  comparisonOperator(">="),
  distinctOperator("IS DISTINCT FROM", false),
  distinctOperator("IS NOT DISTINCT FROM", true),
  {
    kind: "scalar",
    name: "IN",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length < 2) throw new FunctionTypeError("IN expects an operand and at least one value");
      return {
        result: LogicalTypes.boolean(anyNullable(operands)),
        operands: inferComparable("IN", operands),
      };
    },
    implementation: inImplementation(LogicalTypes.double()),
    specialize: (operands) => inImplementation(operands[0]!),
  },
  {
    kind: "scalar",
    name: "BETWEEN",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 3) throw new FunctionTypeError("BETWEEN expects (value, low, high)");
      return {
        result: LogicalTypes.boolean(anyNullable(operands)),
        operands: inferComparable("BETWEEN", operands),
      };
    },
    implementation: betweenImplementation(LogicalTypes.double()),
    specialize: (operands) => betweenImplementation(operands[0]!),
  },
  isTest("IS NULL", (v) => v === null, "ANY"),
  isTest("IS NOT NULL", (v) => v !== null, "ANY"),
  isTest("IS TRUE", (v) => v === true, "BOOLEAN"),
  isTest("IS NOT TRUE", (v) => v !== true, "BOOLEAN"),
  isTest("IS FALSE", (v) => v === false, "BOOLEAN"),
  isTest("IS NOT FALSE", (v) => v !== false, "BOOLEAN"),
  isTest("IS UNKNOWN", (v) => v === null, "BOOLEAN"),
  isTest("IS NOT UNKNOWN", (v) => v !== null, "BOOLEAN"),
  {
    ...scalar(
      "LIKE",
      [["STRING", "STRING", "STRING?"]],
      () => LogicalTypes.boolean(false),
      patternMatcher(likePatternToRegExp),
    ),
    // One matcher (and regex cache) per call site, so two LIKEs in a query do not evict each other.
    specialize: () => patternMatcher(likePatternToRegExp),
  },
  {
    ...scalar(
      "SIMILAR TO",
      [["STRING", "STRING", "STRING?"]],
      () => LogicalTypes.boolean(false),
      patternMatcher(similarPatternToRegExp),
    ),
    specialize: () => patternMatcher(similarPatternToRegExp),
  },
];
