/**
 * Per-column value generators of the `datagen` connector: `random` (bounded by `min` / `max`,
 * `length`, `max-past`, `null-rate`) and `sequence` (`start` … `end`), producing values in the
 * representation of `../data/values.ts` for the column's type.
 *
 * Invariant: a generator is a pure function of the row index and the row's {@link RowRandom}, so
 * any parallel instance produces the same value for the same index (apart from temporal random
 * values, which are relative to the wall clock as in Flink).
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { parseDurationMs } from "./connector-options.ts";
import type { RowRandom } from "./row-random.ts";
import { ConnectorOptionError } from "./table-connector.ts";

export type FieldGenerator = (index: number, random: RowRandom) => SqlValue;

/** The per-field options after `fields.<name>.` (e.g. `kind`, `min`). */
export interface FieldOptions {
  readonly table: string;
  readonly field: string;
  readonly get: (option: string) => string | undefined;
}

const INTEGER_RANGES = {
  TINYINT: [-128, 127],
  SMALLINT: [-32_768, 32_767],
  INT: [-2_147_483_648, 2_147_483_647],
} as const;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;
const FLOAT_MAX = 3.4028234663852886e38;
const DEFAULT_LENGTH = 100;
const DEFAULT_COLLECTION_SIZE = 3;
const MS_PER_DAY = 86_400_000;

function bad(options: FieldOptions, option: string, value: string, expected: string): ConnectorOptionError {
  return new ConnectorOptionError(
    `Invalid value for option 'fields.${options.field}.${option}' of table '${options.table}': ` +
      `'${value}' (expected ${expected})`,
  );
}

function readInteger(options: FieldOptions, option: string, fallback: number): number {
  const raw = options.get(option);
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value))
    throw bad(options, option, raw, "an integer");
  return value;
}

function readBigint(options: FieldOptions, option: string, fallback: bigint): bigint {
  const raw = options.get(option);
  if (raw === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw bad(options, option, raw, "an integer");
  return BigInt(raw.trim());
}

function readNumber(options: FieldOptions, option: string, fallback: number): number {
  const raw = options.get(option);
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value)) throw bad(options, option, raw, "a number");
  return value;
}

/** A duration option in Flink's notation (`'5 s'`, `'1 min'`, a bare number = ms); 0 when absent. */
function readDuration(options: FieldOptions, option: string): number {
  const raw = options.get(option);
  if (raw === undefined) return 0;
  const ms = parseDurationMs(raw);
  if (ms === null) throw bad(options, option, raw, "a duration such as '10 s' or '500 ms'");
  return ms;
}

/** `'12.5'` at scale 2 → 1250n: the unscaled value of a DECIMAL option. */
function readDecimal(options: FieldOptions, option: string, scale: number, fallback: bigint): bigint {
  const raw = options.get(option);
  if (raw === undefined) return fallback;
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(raw);
  if (match === null || (match[2] === "" && (match[3] ?? "") === ""))
    throw bad(options, option, raw, "a decimal number");
  const fraction = (match[3] ?? "").padEnd(scale, "0");
  if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale)))
    throw bad(options, option, raw, `at most ${scale} fraction digits`);
  const unscaled = BigInt(`${match[2] || "0"}${fraction.slice(0, scale)}`);
  return match[1] === "-" ? -unscaled : unscaled;
}

function checkRange<T extends number | bigint>(options: FieldOptions, min: T, max: T): void {
  if (min > max)
    throw new ConnectorOptionError(
      `Invalid options for field '${options.field}' of table '${options.table}': min (${min}) is greater than max (${max})`,
    );
}

const HEX = "0123456789abcdef";

function stringGenerator(options: FieldOptions, typeLength: number): FieldGenerator {
  const length = Math.min(readInteger(options, "length", DEFAULT_LENGTH), typeLength);
  if (length < 1) throw bad(options, "length", String(length), "a positive length");
  const variable = (options.get("var-len") ?? "false").trim().toLowerCase() === "true";
  return (_index, random) => {
    const n = variable ? random.integer(1, length) : length;
    let text = "";
    for (let i = 0; i < n; i++) text += HEX[random.nextUint32() & 15];
    return text;
  };
}

function bytesGenerator(options: FieldOptions, typeLength: number): FieldGenerator {
  const length = Math.min(readInteger(options, "length", DEFAULT_LENGTH), typeLength);
  const variable = (options.get("var-len") ?? "false").trim().toLowerCase() === "true";
  return (_index, random) => {
    const n = variable ? random.integer(1, length) : length;
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = random.nextUint32() & 255;
    return bytes;
  };
}

/** Drops the digits a TIMESTAMP(p) / TIME(p) does not keep (values hold milliseconds). */
function truncateToPrecision(ms: number, precision: number): number {
  if (precision >= 3) return ms;
  const unit = 10 ** (3 - precision);
  return Math.floor(ms / unit) * unit;
}

/** A random generator for `type` with the field's options. Nested types use default options. */
export function randomGenerator(type: LogicalType, options: FieldOptions): FieldGenerator {
  switch (type.kind) {
    case "BOOLEAN":
      return (_i, r) => r.nextUint32() >= 0x8000_0000;
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      const [lo, hi] = INTEGER_RANGES[type.kind];
      const min = readInteger(options, "min", lo);
      const max = readInteger(options, "max", hi);
      checkRange(options, min, max);
      if (min < lo || max > hi) throw bad(options, "min", `${min}..${max}`, `a range inside ${lo}..${hi}`);
      return (_i, r) => r.integer(min, max);
    }
    case "BIGINT": {
      const min = readBigint(options, "min", BIGINT_MIN);
      const max = readBigint(options, "max", BIGINT_MAX);
      checkRange(options, min, max);
      return (_i, r) => r.bigint(min, max);
    }
    case "FLOAT":
    case "DOUBLE": {
      const limit = type.kind === "FLOAT" ? FLOAT_MAX : Number.MAX_VALUE;
      const min = readNumber(options, "min", 0);
      const max = readNumber(options, "max", limit);
      checkRange(options, min, max);
      const round = type.kind === "FLOAT" ? Math.fround : (x: number) => x;
      return (_i, r) => round(min + r.next() * (max - min));
    }
    case "DECIMAL": {
      const limit = 10n ** BigInt(type.precision) - 1n;
      const min = readDecimal(options, "min", type.scale, -limit);
      const max = readDecimal(options, "max", type.scale, limit);
      checkRange(options, min, max);
      return (_i, r) => r.bigint(min, max);
    }
    case "CHAR":
    case "VARCHAR":
      return stringGenerator(options, type.length);
    case "BINARY":
    case "VARBINARY":
      return bytesGenerator(options, type.length);
    case "DATE": {
      const maxPast = readDuration(options, "max-past");
      return (_i, r) => Math.floor((Date.now() - r.next() * maxPast) / MS_PER_DAY);
    }
    case "TIME": {
      const precision = type.precision;
      return (_i, r) => truncateToPrecision(r.integer(0, MS_PER_DAY - 1), precision);
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      const maxPast = readDuration(options, "max-past");
      const precision = type.precision;
      // As Flink: a random past instant in whole milliseconds; TIMESTAMP(p > 6) holds it as epoch nanos.
      if (precision > 6) return (_i, r) => BigInt(Date.now() - Math.floor(r.next() * maxPast)) * 1_000_000n;
      return (_i, r) => truncateToPrecision(Date.now() - Math.floor(r.next() * maxPast), precision);
    }
    case "INTERVAL_YEAR_MONTH":
    case "INTERVAL_DAY_TIME": {
      const min = readInteger(options, "min", 0);
      const max = readInteger(options, "max", type.kind === "INTERVAL_YEAR_MONTH" ? 1200 : MS_PER_DAY);
      checkRange(options, min, max);
      return (_i, r) => r.integer(min, max);
    }
    case "ARRAY":
    case "MULTISET": {
      const size = readInteger(options, "length", DEFAULT_COLLECTION_SIZE);
      const element = nullable(type.element, randomGenerator(type.element, nestedOptions(options)), 0);
      if (type.kind === "ARRAY")
        return (i, r) => {
          const values: SqlValue[] = [];
          for (let k = 0; k < size; k++) values.push(element(i, r));
          return values;
        };
      return (i, r) => {
        const counts = new Map<SqlValue, SqlValue>();
        for (let k = 0; k < size; k++) {
          const value = element(i, r);
          counts.set(value, ((counts.get(value) as number | undefined) ?? 0) + 1);
        }
        return counts;
      };
    }
    case "MAP": {
      const size = readInteger(options, "length", DEFAULT_COLLECTION_SIZE);
      const key = randomGenerator(type.key, nestedOptions(options));
      const value = nullable(type.value, randomGenerator(type.value, nestedOptions(options)), 0);
      return (i, r) => {
        const entries = new Map<SqlValue, SqlValue>();
        for (let k = 0; k < size; k++) entries.set(key(i, r), value(i, r));
        return entries;
      };
    }
    case "ROW": {
      const fields = type.fields.map((f) =>
        nullable(f.type, randomGenerator(f.type, nestedOptions(options, f.name)), 0),
      );
      return (i, r) => fields.map((generate) => generate(i, r));
    }
    case "NULL":
      return () => null;
  }
}

function nestedOptions(options: FieldOptions, field?: string): FieldOptions {
  return {
    table: options.table,
    field: field === undefined ? options.field : `${options.field}.${field}`,
    get: () => undefined,
  };
}

/** Wraps `generate` so that a nullable column is NULL with probability `nullRate`. */
export function nullable(type: LogicalType, generate: FieldGenerator, nullRate: number): FieldGenerator {
  if (!type.nullable || nullRate <= 0) return generate;
  return (i, r) => (r.next() < nullRate ? null : generate(i, r));
}

/** A sequence generator and how many values it has: `start + index` up to `end` inclusive. */
export function sequenceGenerator(
  type: LogicalType,
  options: FieldOptions,
): { readonly generate: FieldGenerator; readonly count: number } {
  const rawStart = options.get("start");
  const rawEnd = options.get("end");
  if (rawStart === undefined || rawEnd === undefined)
    throw new ConnectorOptionError(
      `Field '${options.field}' of table '${options.table}' is a sequence: ` +
        `'fields.${options.field}.start' and 'fields.${options.field}.end' are required`,
    );
  const start = readBigint(options, "start", 0n);
  const end = readBigint(options, "end", 0n);
  checkRange(options, start, end);
  const count = Number(end - start + 1n);
  switch (type.kind) {
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      const [lo, hi] = INTEGER_RANGES[type.kind];
      if (start < BigInt(lo) || end > BigInt(hi))
        throw bad(options, "start", `${start}..${end}`, `a range inside ${lo}..${hi} for ${type.kind}`);
      const first = Number(start);
      return { generate: (i) => first + i, count };
    }
    case "BIGINT":
      return { generate: (i) => start + BigInt(i), count };
    case "DECIMAL": {
      const unit = 10n ** BigInt(type.scale);
      return { generate: (i) => (start + BigInt(i)) * unit, count };
    }
    case "FLOAT":
    case "DOUBLE": {
      const first = Number(start);
      return { generate: (i) => first + i, count };
    }
    case "CHAR":
    case "VARCHAR":
      return { generate: (i) => String(start + BigInt(i)), count };
    default:
      throw new ConnectorOptionError(
        `Field '${options.field}' of table '${options.table}': the sequence generator supports numeric and ` +
          `string columns, not ${type.kind}`,
      );
  }
}
