/**
 * The order of rows for ORDER BY (sort/limit) and Top-N: a comparator built once from the sort
 * fields, called for every comparison.
 *
 * Invariant: a total order on the representations of `../data/values.ts` per field, with NULLs
 * first or last as each field says, DESC reversing only the non-null order (as in Flink:
 * `ORDER BY x DESC NULLS LAST`). Worked example for `ORDER BY a ASC NULLS FIRST, b DESC`:
 * ```text
 * [null, 1] < [1, 9] < [1, 2] < [2, 5]
 * ```
 * Non-null values compare with `comparatorFor(field.type)` (numbers numerically with NaN last,
 * strings by code point, `false < true`, bytes unsigned lexicographic, arrays and rows field by
 * field).
 * @module
 */

import { comparatorFor } from "../data/compare-values.ts";
import type { Row } from "../data/row.ts";
import type { SortField } from "./operator-specs.ts";

export type RowComparator = (a: Row, b: Row) => number;

export function rowComparator(orderBy: readonly SortField[]): RowComparator {
  const fields = orderBy.map((field) => ({
    index: field.index,
    compare: comparatorFor(field.type),
    sign: field.direction === "DESC" ? -1 : 1,
    nullSign: field.nullsFirst ? -1 : 1,
  }));
  return (a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const { index, compare, sign, nullSign } = fields[i]!;
      const x = a[index] ?? null;
      const y = b[index] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return x === null ? nullSign : -nullSign;
      }
      const order = compare(x, y);
      if (order !== 0) return sign * order;
    }
    return 0;
  };
}
