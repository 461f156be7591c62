/**
 * Turns SQL values and rows into plain keys (`KeyValue` of `@weir/api`), for keyed streams and for
 * the keys of map state (a join side keyed by its whole row, distinct values, set operations).
 *
 * Invariant: two values get the same key exactly when they are the same SQL value. Most values of
 * `../data/values.ts` are keys already; the two that are not (BYTES as `Uint8Array`, MAP and
 * MULTISET as `Map`) become tagged plain objects. No SQL value is a plain object, so a tagged object
 * can never collide with a string or array of the same content:
 * ```text
 * Uint8Array [1, 255]       -> { bytes: "01ff" }
 * Map { "a" => 1 }          -> { map: [["a", 1]] }     (entries sorted by their key's canonical text)
 * [1, Uint8Array [2]]       -> [1, { bytes: "02" }]
 * ```
 * @module
 */

import type { KeyValue } from "@weir/api";
import type { Row } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";

/** The key of one SQL value; the value itself unless it holds bytes or a map. */
export function keyOfValue(value: SqlValue): KeyValue {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString("hex") };
  if (Array.isArray(value)) return needsNormalizing(value) ? value.map(keyOfValue) : (value as KeyValue);
  const entries = [...(value as ReadonlyMap<SqlValue, SqlValue>)].map(
    ([k, v]) => [keyOfValue(k), keyOfValue(v)] as const,
  );
  // A map's key must not depend on insertion order: two equal maps built differently are one key.
  entries.sort((a, b) => compareText(canonicalText(a[0]), canonicalText(b[0])));
  return { map: entries.map(([k, v]) => [k, v]) };
}

/**
 * The key of a whole row. The row itself is returned (no copy) when every field is a key already,
 * which is the common case: rows of numbers, strings, bigints and booleans.
 */
export function keyOfRow(row: Row): KeyValue {
  return needsNormalizing(row) ? row.map(keyOfValue) : (row as KeyValue);
}

/** The key of the fields of `row` at `indices`, as a tuple. */
export function keyOfFields(row: Row, indices: readonly number[]): KeyValue {
  const key = new Array<KeyValue>(indices.length);
  for (let i = 0; i < indices.length; i++) key[i] = keyOfValue(row[indices[i]!] ?? null);
  return key;
}

function needsNormalizing(values: readonly SqlValue[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && typeof value === "object") {
      if (!Array.isArray(value) || needsNormalizing(value)) return true;
    }
  }
  return false;
}

/** A stable text of a key, only used to order map entries. */
function canonicalText(key: KeyValue): string {
  return JSON.stringify(key, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A JavaScript `Map` key for a plain key: primitives as they are, composite keys as a canonical
 * text. For operator-local maps (a local pre-aggregation, distinct values), where the runtime's
 * key hashing is not at hand.
 */
export function mapKeyOf(key: KeyValue): string | number | bigint | boolean | null {
  return key === null || typeof key !== "object" ? key : canonicalText(key);
}

/**
 * The `Map` key of an aggregate call's operand tuple, for the sets of DISTINCT calls: one operand
 * of a primitive value is its own key, anything else the {@link mapKeyOf} of its plain key.
 */
export function operandsMapKey(operands: readonly SqlValue[]): unknown {
  if (operands.length === 1) {
    const value = operands[0]!;
    if (value === null || typeof value !== "object") return value;
    return mapKeyOf(keyOfValue(value));
  }
  return mapKeyOf(keyOfRow(operands as Row));
}
