/**
 * Ordering and grouping of SQL values by their static type: the comparators ORDER BY, Top-N,
 * MIN/MAX and sort-based operators use, and the plain keys GROUP BY, joins and DISTINCT partition by.
 *
 * Invariants: comparators receive non-null values (callers order NULLs themselves); they agree with
 * SQL `<` except that they are total — DOUBLE NaN sorts after every number and equals itself, as
 * Java's `Double.compare`; strings compare by code point (Flink compares UTF-8 bytes, which orders
 * the same way). {@link groupKeyOf} maps equal values to equal keys and different values to different
 * keys for one type: BYTES → hex string, MAP/MULTISET → entries sorted by key, ROW/ARRAY → arrays.
 * Example: `groupKeyOf(new Map([["b", 1], ["a", 2]]), MAP<STRING, INT>)` is `[["a", 2], ["b", 1]]`.
 * @module
 */

import type { KeyValue } from "@weir/api";
import type { LogicalType } from "../types/logical-type.ts";
import { hexOf } from "./format-value.ts";
import type { SqlValue } from "./values.ts";

export type ValueComparator = (a: SqlValue, b: SqlValue) => number;

function compareNumbers(a: SqlValue, b: SqlValue): number {
  const x = a as number;
  const y = b as number;
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  // At least one NaN: NaN is the greatest and equals itself.
  const xNaN = Number.isNaN(x);
  const yNaN = Number.isNaN(y);
  return xNaN === yNaN ? 0 : xNaN ? 1 : -1;
}

function compareBigints(a: SqlValue, b: SqlValue): number {
  return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
}

function compareBooleans(a: SqlValue, b: SqlValue): number {
  return a === b ? 0 : a ? 1 : -1;
}

/** Code point order (UTF-16 order differs only for surrogate pairs against U+E000–U+FFFF). */
export function compareStrings(a: SqlValue, b: SqlValue): number {
  const x = a as string;
  const y = b as string;
  if (x === y) return 0;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx !== cy) {
      const surrogateX = cx >= 0xd800 && cx <= 0xdfff;
      const surrogateY = cy >= 0xd800 && cy <= 0xdfff;
      if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
      return cx - cy < 0 ? -1 : 1;
    }
  }
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}

function compareBytes(a: SqlValue, b: SqlValue): number {
  const x = a as Uint8Array;
  const y = b as Uint8Array;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
}

/** Element-wise with NULLs first, then shorter first. */
function sequenceComparator(elementComparators: (i: number) => ValueComparator): ValueComparator {
  return (a, b) => {
    const x = a as readonly SqlValue[];
    const y = b as readonly SqlValue[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const u = x[i]!;
      const v = y[i]!;
      if (u === null || v === null) {
        if (u !== v) return u === null ? -1 : 1;
        continue;
      }
      const c = elementComparators(i)(u, v);
      if (c !== 0) return c;
    }
    return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
  };
}

export function comparatorFor(type: LogicalType): ValueComparator {
  switch (type.kind) {
    case "BOOLEAN":
      return compareBooleans;
    case "BIGINT":
    case "DECIMAL":
      return compareBigints;
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      // Epoch nanos as a bigint past microseconds (values.ts).
      return type.precision > 6 ? compareBigints : compareNumbers;
    case "CHAR":
    case "VARCHAR":
      return compareStrings;
    case "BINARY":
    case "VARBINARY":
      return compareBytes;
    case "ARRAY": {
      const element = comparatorFor(type.element);
      return sequenceComparator(() => element);
    }
    case "ROW": {
      const fields = type.fields.map((f) => comparatorFor(f.type));
      return sequenceComparator((i) => fields[i]!);
    }
    case "MAP":
    case "MULTISET": {
      return (a, b) => {
        const x = JSON.stringify(groupKeyOf(a, type), bigintReplacer);
        const y = JSON.stringify(groupKeyOf(b, type), bigintReplacer);
        return compareStrings(x, y);
      };
    }
    case "NULL":
      return () => 0;
    default:
      return compareNumbers;
  }
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}

/** A plain {@link KeyValue} equal for equal SQL values of `type` (see the module invariants). */
export function groupKeyOf(value: SqlValue, type: LogicalType): KeyValue {
  if (value === null) return null;
  switch (type.kind) {
    case "BINARY":
    case "VARBINARY":
      return hexOf(value as Uint8Array);
    case "FLOAT":
    case "DOUBLE":
      // -0.0 and 0.0 group together (as Flink's normalized keys), NaN with NaN.
      return (value as number) === 0 ? 0 : (value as number);
    case "ARRAY":
      return (value as readonly SqlValue[]).map((v) => groupKeyOf(v, type.element));
    case "ROW":
      return (value as readonly SqlValue[]).map((v, i) => groupKeyOf(v, type.fields[i]!.type));
    case "MAP":
    case "MULTISET": {
      const keyType = type.kind === "MAP" ? type.key : type.element;
      const valueType: LogicalType = type.kind === "MAP" ? type.value : { kind: "INT", nullable: false };
      const compare = comparatorFor(keyType);
      const entries = [...(value as ReadonlyMap<SqlValue, SqlValue>)].sort(([a], [b]) =>
        a === null ? -1 : b === null ? 1 : compare(a, b),
      );
      return entries.map(([k, v]) => [groupKeyOf(k, keyType), groupKeyOf(v, valueType)]);
    }
    default:
      return value as KeyValue;
  }
}
