/**
 * The physical lookup join (Flink's LookupJoin): for every left row, the rows of a table whose key
 * columns equal values computed from the left row, read through the table connector's lookup at
 * the time the row is processed (`FOR SYSTEM_TIME AS OF l.proctime`).
 *
 * Invariants: `input` is the left side and the node's only input (the table is not a stream);
 * `keys[i].left` is an expression over the left row whose type equals the looked-up column's
 * type; the output row is the left fields then the table row after `tableProjection`.
 *
 * Example, `o JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r ON o.cur = r.cur` over
 * `o(id, cur, pt)`, `rates(cur, rate)`: keys `[{ column: 0, left: $1 }]`, output
 * `id, cur, pt, cur0, rate`; EXPLAIN prints
 * `LookupJoin(table=[default_catalog.default_database.rates], joinType=[InnerJoin], lookup=[cur=cur], select=[id, cur, pt, cur0, rate])`.
 * @module
 */

import type { ResolvedTable } from "../catalog/catalog-table.ts";
import type { RowField } from "../types/logical-type.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

export interface LookupKey {
  /** The table's physical column index. */
  readonly column: number;
  /** The value to look up, over the left row (already cast to the column's type). */
  readonly left: RexNode;
}

export interface PhysicalLookupJoin {
  readonly kind: "LookupJoin";
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
  readonly input: PhysicalNode;
  readonly joinType: "INNER" | "LEFT";
  readonly table: ResolvedTable;
  readonly path: readonly string[];
  readonly keys: readonly LookupKey[];
  /** Physical columns of the table, as a row (what a lookup returns). */
  readonly tableFields: readonly RowField[];
  /** Applied to each looked-up row (filter, then projection; null parts are identity). */
  readonly tableCondition: RexNode | null;
  readonly tableProjection: readonly RexNode[] | null;
  /** The join condition left after the keys, over the output row; null when the keys say it all. */
  readonly remaining: RexNode | null;
}
