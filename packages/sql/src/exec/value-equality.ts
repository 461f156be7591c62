/**
 * Equality of SQL values and rows as the operators need it: to tell whether an aggregate result
 * changed (then nothing is emitted), and whether a row is a duplicate of the last one.
 *
 * Invariant: structural equality over the representations of `../data/values.ts`, where NULL equals
 * NULL (this is "is the same value", not SQL's `=`), `NaN` equals `NaN` and `-0` equals `0`.
 * Example: `rowsEqual([1n, "a", null], [1n, "a", null])` is true; `rowsEqual([1], [1n])` is false
 * (an INT and a BIGINT never meet in one column).
 * @module
 */

import type { Row } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";

export function sqlValuesEqual(a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const type = typeof a;
  if (type !== "object")
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  if (typeof b !== "object") return false;
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a)) return Array.isArray(b) && rowsEqual(a as Row, b as Row);
  if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (!b.has(key)) return mapsEqualSlow(a, b);
    if (!sqlValuesEqual(value, b.get(key) ?? null)) return false;
  }
  return true;
}

export function rowsEqual(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sqlValuesEqual(a[i]!, b[i]!)) return false;
  return true;
}

/** Maps whose keys are arrays or bytes: equal content, different objects. */
function mapsEqualSlow(a: ReadonlyMap<SqlValue, SqlValue>, b: ReadonlyMap<SqlValue, SqlValue>): boolean {
  const remaining = [...b];
  for (const [key, value] of a) {
    const at = remaining.findIndex(([k, v]) => sqlValuesEqual(k, key) && sqlValuesEqual(v, value));
    if (at < 0) return false;
    remaining.splice(at, 1);
  }
  return true;
}
