/**
 * Math functions: ABS, POWER, SQRT, EXP, LN, LOG, LOG10, LOG2, trigonometry, SIGN, ROUND,
 * TRUNCATE, CEIL/FLOOR on numbers, PI, E, RAND, RAND_INTEGER, DEGREES, RADIANS, BIN, HEX.
 *
 * Invariants: functions over doubles take DOUBLE (integers and DECIMALs are cast by the
 * validator) and return DOUBLE; ABS, SIGN, ROUND, TRUNCATE, CEIL and FLOOR keep exact types exact
 * (ROUND(DECIMAL(5, 3), 1) is DECIMAL(4, 1), HALF_UP, as Flink). Temporal CEIL/FLOOR (`FLOOR(ts TO
 * HOUR)`) live in temporal-functions.ts and share the names: the catalog dispatches on operands.
 * @module
 */

import { decimalToNumber, divideHalfUp, parseDecimal, pow10, rescale, rescaleDown } from "../data/decimal.ts";
import type { SqlValue } from "../data/values.ts";
import { decimalRoundType } from "../types/decimal-rules.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { checkOperands, DOUBLE_NOT_NULL, scalar } from "./signature.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

function doubleFunction(
  name: string,
  f: (...args: number[]) => number,
  arity: 1 | 2 = 1,
): ScalarFunctionDefinition {
  const params = arity === 1 ? [["DOUBLE"]] : [["DOUBLE", "DOUBLE"]];
  return scalar(
    name,
    params,
    () => DOUBLE_NOT_NULL,
    (_c, ...args) => f(...(args as number[])),
  );
}

/** ROUND half away from zero on doubles, on the double's shortest decimal text (Java's `BigDecimal.valueOf`). */
export function roundDouble(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  if (digits >= 0) {
    const unscaled = parseDecimal(String(value), Math.min(digits, 80));
    return unscaled === undefined ? value : decimalToNumber(unscaled, Math.min(digits, 80));
  }
  if (-digits > 60) return 0;
  // Exact at scale 20 for every double that can round to a non-zero multiple of 10.
  const exact = parseDecimal(String(value), 20);
  if (exact === undefined) return value;
  const unit = pow10(-digits);
  return Number(divideHalfUp(exact, pow10(20) * unit) * unit);
}

function exactPreserving(
  name: string,
  forInteger: (v: number) => number,
  forBigint: (v: bigint) => bigint,
  forDouble: (v: number) => number,
  forDecimal: (v: bigint, scale: number) => bigint,
  resultType: (t: LogicalType) => LogicalType = (t) => t,
): ScalarFunctionDefinition {
  const build = (type: LogicalType): Impl => {
    switch (type.kind) {
      case "BIGINT":
        return (_c, v) => forBigint(v as bigint);
      case "DECIMAL": {
        const scale = type.scale;
        return (_c, v) => forDecimal(v as bigint, scale);
      }
      case "FLOAT":
        return (_c, v) => Math.fround(forDouble(v as number));
      case "DOUBLE":
        return (_c, v) => forDouble(v as number);
      default:
        return (_c, v) => forInteger(v as number);
    }
  };
  return {
    kind: "scalar",
    name,
    strict: true,
    deterministic: true,
    inferType(operands) {
      const cast = checkOperands(name, operands, ["NUMERIC"]);
      const type = cast[0]!.kind === "NULL" ? LogicalTypes.double() : cast[0]!;
      return { result: withNullability(resultType(type), operands[0]!.nullable), operands: [type] };
    },
    implementation: (_c, v) => (typeof v === "bigint" ? forBigint(v) : forDouble(v as number)),
    specialize: (operands) => build(operands[0]!),
  };
}

function roundLike(name: "ROUND" | "TRUNCATE"): ScalarFunctionDefinition {
  const truncate = name === "TRUNCATE";
  const build = (type: LogicalType, result: LogicalType): Impl => {
    switch (type.kind) {
      case "DECIMAL": {
        const scale = type.scale;
        const resultScale = result.kind === "DECIMAL" ? result.scale : 0;
        return (_c, v, d) => {
          const digits = (d ?? 0) as number;
          const value = v as bigint;
          if (digits >= scale) return rescale(value, scale, resultScale);
          if (digits < 0) {
            // Round (or cut) to tens, hundreds …, once: divide by 10^(scale - digits) then scale back up.
            const unit = pow10(scale - digits);
            const q = truncate ? value / unit : divideHalfUp(value, unit);
            return q * pow10(-digits) * pow10(resultScale);
          }
          const cut = truncate ? rescaleDown(value, scale, digits) : rescale(value, scale, digits);
          return rescale(cut, digits, resultScale);
        };
      }
      case "BIGINT":
        return (_c, v, d) => {
          const digits = (d ?? 0) as number;
          if (digits >= 0) return v as bigint;
          const unit = pow10(-digits);
          return truncate ? ((v as bigint) / unit) * unit : divideHalfUp(v as bigint, unit) * unit;
        };
      case "FLOAT":
      case "DOUBLE":
        return (_c, v, d) => {
          const digits = (d ?? 0) as number;
          const x = v as number;
          const r = truncate ? Math.trunc(x * 10 ** digits) / 10 ** digits : roundDouble(x, digits);
          return type.kind === "FLOAT" ? Math.fround(r) : r;
        };
      default:
        return (_c, v, d) => {
          const digits = (d ?? 0) as number;
          if (digits >= 0) return v as number;
          const unit = 10 ** -digits;
          const x = v as number;
          return truncate
            ? Math.trunc(x / unit) * unit
            : Math.sign(x) * Math.round(Math.abs(x) / unit) * unit;
        };
    }
  };
  return {
    kind: "scalar",
    name,
    strict: true,
    deterministic: true,
    inferType(operands, literals) {
      const cast = checkOperands(name, operands, ["NUMERIC", "INT?"]);
      const type = cast[0]!.kind === "NULL" ? LogicalTypes.double() : cast[0]!;
      const digits = typeof literals[1] === "number" ? literals[1] : 0;
      const nullable = operands.some((t) => t.nullable);
      const result =
        type.kind === "DECIMAL" ? decimalRoundType(type, digits, nullable) : withNullability(type, nullable);
      return { result, operands: [type, ...cast.slice(1)] };
    },
    implementation: (c, v, d) => build(LogicalTypes.double(), LogicalTypes.double())(c, v, d ?? 0),
    specialize: (operands, result) => build(operands[0]!, result),
  };
}

function decimalCeilFloor(v: bigint, scale: number, ceil: boolean): bigint {
  const unit = pow10(scale);
  let q = v / unit;
  const r = v % unit;
  if (r !== 0n && (ceil ? v > 0n : v < 0n)) q += ceil ? 1n : -1n;
  return q;
}

const decimalResultOfCeil = (t: LogicalType): LogicalType =>
  t.kind === "DECIMAL" ? LogicalTypes.decimal(Math.min(38, t.precision - t.scale + 1), 0, t.nullable) : t;

export const NUMERIC_CEIL = exactPreserving(
  "CEIL",
  (v) => v,
  (v) => v,
  Math.ceil,
  (v, s) => decimalCeilFloor(v, s, true),
  decimalResultOfCeil,
);
export const NUMERIC_FLOOR = exactPreserving(
  "FLOOR",
  (v) => v,
  (v) => v,
  Math.floor,
  (v, s) => decimalCeilFloor(v, s, false),
  decimalResultOfCeil,
);

/** A deterministic generator for RAND(seed): uniform in [0, 1), a different sequence from Java's. */
function seededGenerator(seed: number): () => number {
  let state = seed | 0 || 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each call site gets its own seeded sequence, as each Flink call site owns a `Random(seed)`. */
function seededPerCallSite(): (seed: number) => number {
  let generator: (() => number) | null = null;
  let generatorSeed = 0;
  return (seed) => {
    if (generator === null || generatorSeed !== seed) {
      generator = seededGenerator(seed);
      generatorSeed = seed;
    }
    return generator();
  };
}

function randImplementation(): Impl {
  const seeded = seededPerCallSite();
  return (_c, seed) => (seed === undefined ? Math.random() : seeded(seed as number));
}

function randIntegerImplementation(): Impl {
  const seeded = seededPerCallSite();
  return (_c, a, b) => {
    const bound = (b === undefined ? a : b) as number;
    const random = b === undefined ? Math.random() : seeded(a as number);
    return Math.floor(random * bound);
  };
}

export const MATH_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  exactPreserving(
    "ABS",
    (v) => Math.abs(v),
    (v) => BigInt.asIntN(64, v < 0n ? -v : v),
    Math.abs,
    (v) => (v < 0n ? -v : v),
  ),
  exactPreserving(
    "SIGN",
    (v) => Math.sign(v),
    (v) => (v > 0n ? 1n : v < 0n ? -1n : 0n),
    Math.sign,
    (v, s) => (v > 0n ? pow10(s) : v < 0n ? -pow10(s) : 0n),
  ),
  roundLike("ROUND"),
  roundLike("TRUNCATE"),
  doubleFunction("POWER", Math.pow, 2),
  doubleFunction("SQRT", Math.sqrt),
  doubleFunction("EXP", Math.exp),
  doubleFunction("LN", Math.log),
  doubleFunction("LOG10", Math.log10),
  doubleFunction("LOG2", Math.log2),
  scalar(
    "LOG",
    [["DOUBLE"], ["DOUBLE", "DOUBLE"]],
    () => DOUBLE_NOT_NULL,
    (_c, a, b) => (b === undefined ? Math.log(a as number) : Math.log(b as number) / Math.log(a as number)),
  ),
  doubleFunction("SIN", Math.sin),
  doubleFunction("COS", Math.cos),
  doubleFunction("TAN", Math.tan),
  doubleFunction("COT", (x) => 1 / Math.tan(x)),
  doubleFunction("ASIN", Math.asin),
  doubleFunction("ACOS", Math.acos),
  doubleFunction("ATAN", Math.atan),
  doubleFunction("ATAN2", Math.atan2, 2),
  doubleFunction("SINH", Math.sinh),
  doubleFunction("COSH", Math.cosh),
  doubleFunction("TANH", Math.tanh),
  doubleFunction("DEGREES", (x) => (x * 180) / Math.PI),
  doubleFunction("RADIANS", (x) => (x * Math.PI) / 180),
  scalar(
    "PI",
    [[]],
    () => DOUBLE_NOT_NULL,
    () => Math.PI,
  ),
  scalar(
    "E",
    [[]],
    () => DOUBLE_NOT_NULL,
    () => Math.E,
  ),
  {
    ...scalar("RAND", [[], ["INT"]], () => DOUBLE_NOT_NULL, randImplementation(), { deterministic: false }),
    specialize: () => randImplementation(),
  },
  {
    ...scalar(
      "RAND_INTEGER",
      [["INT"], ["INT", "INT"]],
      () => LogicalTypes.int(false),
      randIntegerImplementation(),
      {
        deterministic: false,
      },
    ),
    specialize: () => randIntegerImplementation(),
  },
  scalar(
    "BIN",
    [["BIGINT"]],
    () => LogicalTypes.string(false),
    (_c, v) => BigInt.asUintN(64, v as bigint).toString(2),
  ),
  scalar(
    "HEX",
    [["BIGINT"], ["STRING"]],
    () => LogicalTypes.string(false),
    (_c, v) =>
      typeof v === "bigint"
        ? BigInt.asUintN(64, v).toString(16).toUpperCase()
        : Buffer.from(v as string, "utf8")
            .toString("hex")
            .toUpperCase(),
  ),
];
