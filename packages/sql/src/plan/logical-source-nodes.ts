/**
 * Leaf nodes of the logical plan and the watermark assigner that sits right above a table scan.
 *
 * Invariant: a scan's output row is exactly what the table's source produces (all physical columns
 * in declaration order, then the metadata columns the scan reads), because sources may ignore
 * projection pushdown; `projectedFields` is only a hint to the source and to EXPLAIN.
 * @module
 */

import type { ResolvedTable } from "../catalog/catalog-table.ts";
import type { ChangelogMode } from "../data/row.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";
import type { RexLiteral, RexNode } from "./rex.ts";
import type { WatermarkEmission } from "./watermark-emission.ts";

/** A metadata column a scan reads, appended after the physical columns. */
export interface ScanMetadata {
  readonly key: string;
  readonly column: string;
}

export interface LogicalTableScan extends LogicalNodeBase {
  readonly kind: "scan";
  readonly table: ResolvedTable;
  /** `[catalog, database, table]`. */
  readonly path: readonly string[];
  readonly metadata: readonly ScanMetadata[];
  /** Physical column indices the query reads (set by projection pushdown); null reads all. */
  readonly projectedFields: readonly number[] | null;
  /** What the connector declared when the query was validated. */
  readonly source: { readonly mode: ChangelogMode; readonly bounded: boolean };
}

/** `VALUES (...), (...)`: constant rows; every value is already a literal of the field's type. */
export interface LogicalValues extends LogicalNodeBase {
  readonly kind: "values";
  readonly rows: readonly (readonly RexLiteral[])[];
}

/**
 * Event-time watermarks of a table declared with `WATERMARK FOR rowtime AS expr`: rows pass
 * unchanged; `watermark` is evaluated per row over the input row.
 */
export interface LogicalWatermarkAssigner extends LogicalNodeBase {
  readonly kind: "watermark-assigner";
  readonly input: LogicalNode;
  readonly rowtimeIndex: number;
  readonly watermark: RexNode;
  /** `scan.watermark.*` options; absent: periodic, never idle, unaligned. */
  readonly emission?: WatermarkEmission;
}
