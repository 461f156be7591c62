/**
 * The map key of a lookup: one JS value standing for the SQL values of a table's key columns, for
 * lookup caches and for connectors that index a whole table in memory.
 *
 * Invariant: two key tuples of the same column types get the same map key exactly when their values
 * are equal SQL values (`groupKeyOf` normalizes bytes, maps and -0.0). A single primitive key is
 * its own map key (no allocation); composite keys become a canonical text.
 * ```text
 * ['EUR']          -> 'EUR'
 * [7n, 'a']        -> '[["bigint","7"],["string","a"]]'
 * ```
 * @module
 */

import { groupKeyOf } from "../../data/compare-values.ts";
import type { SqlValue } from "../../data/values.ts";
import type { LogicalType } from "../../types/logical-type.ts";

export type LookupMapKey = string | number | bigint | boolean;

function tagged(value: unknown): unknown {
  if (value === null || typeof value !== "object") return [typeof value, String(value)];
  return (value as readonly unknown[]).map(tagged);
}

/** The map key of `values` (none of them NULL) whose columns have `types`. */
export function lookupMapKey(values: readonly SqlValue[], types: readonly LogicalType[]): LookupMapKey {
  if (values.length === 1) {
    const key = groupKeyOf(values[0]!, types[0]!);
    if (key === null || typeof key !== "object") return key as LookupMapKey;
  }
  return JSON.stringify(values.map((v, i) => tagged(groupKeyOf(v, types[i]!))));
}
