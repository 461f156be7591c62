/**
 * The key selector the translation puts in front of every keyed SQL operator: a GROUP BY key, a
 * join key, a partition key of Top-N or deduplication.
 *
 * Invariant: rows whose key fields are the same SQL values get equal keys, on every thread (keys
 * are plain data: `groupKeyOf` of each field by its type, so BYTES become hex strings and
 * `-0.0` groups with `0.0`). A single key field is used as the key itself (cheaper to hash
 * than a one-element tuple); no key fields (a global aggregation) give the constant key `0`, so all
 * rows meet in one partition. Example: indices `[1]` over `[7, "a", 2n]` → `"a"`; indices `[0, 2]`
 * → `[7, 2n]`; indices `[]` → `0`.
 * @module
 */

import type { KeySelector, KeyValue } from "@weir/api";
import { groupKeyOf } from "../data/compare-values.ts";
import type { RowData } from "../data/row.ts";
import type { LogicalType } from "../types/logical-type.ts";

/** The key of a global (ungrouped) aggregation: one partition for every row. */
export const GLOBAL_KEY: KeyValue = 0;

/** A selector of the fields at `indices`; `types` are the types of those fields, in the same order. */
export function keySelectorFor(
  indices: readonly number[],
  types: readonly LogicalType[],
): KeySelector<RowData, KeyValue> {
  if (types.length !== indices.length) {
    throw new RangeError(`keySelectorFor: ${indices.length} key fields but ${types.length} key types`);
  }
  if (indices.length === 0) return () => GLOBAL_KEY;
  if (indices.length === 1) {
    const index = indices[0]!;
    const type = types[0]!;
    return (record) => groupKeyOf(record.fields[index] ?? null, type);
  }
  const copy = [...indices];
  const keyTypes = [...types];
  return (record) => {
    const fields = record.fields;
    const key = new Array<KeyValue>(copy.length);
    for (let i = 0; i < copy.length; i++) key[i] = groupKeyOf(fields[copy[i]!] ?? null, keyTypes[i]!);
    return key;
  };
}
