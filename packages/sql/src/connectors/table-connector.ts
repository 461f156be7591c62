/**
 * The SQL connector contract (Flink's DynamicTableSourceFactory / DynamicTableSinkFactory): how a
 * `CREATE TABLE … WITH ('connector' = 'x', …)` becomes a stream of rows or a sink for rows.
 * Connector packages (`@weir/connector-*`) implement it through `@weir/sql`'s public exports only.
 *
 * Contract: a source yields {@link RowData} whose fields are the table's physical columns in
 * declaration order, followed by the requested metadata columns; rows carry the kinds of the
 * source's declared changelog mode. A factory validates its options when the table is *used* and
 * reports unknown or missing options by name, listing the supported ones, as Flink does.
 * @module
 */

import type { ConfigurableNonKeyedStream, ExecutionEnvironment, NonKeyedPartitionStream } from "@weir/api";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import type { ChangelogMode, RowData } from "../data/row.ts";
import type { LogicalType, RowType } from "../types/logical-type.ts";

/** Thrown for bad connector options; the message names the table and option. */
export class ConnectorOptionError extends Error {
  override readonly name = "ConnectorOptionError";
}

export interface SourceContext {
  readonly table: ResolvedTable;
  /** The physical columns as a row type. */
  readonly physicalType: RowType;
  /** Metadata keys requested by the query, in output order, with their declared types. */
  readonly metadata: readonly { readonly key: string; readonly type: LogicalType }[];
  /** Physical column indices the query reads (projection pushdown); sources may ignore it. */
  readonly projectedFields: readonly number[] | null;
  readonly env: ExecutionEnvironment;
  /** Session configuration (`SET 'k' = 'v'`) for options a connector falls back to. */
  readonly config: ReadonlyMap<string, string>;
}

export interface TableSource {
  readonly changelogMode: ChangelogMode;
  /** True when the source ends (bounded), which the planner needs for batch-only operators. */
  readonly bounded: boolean;
  /** Builds the stream; rows follow the module contract above. */
  createStream(): ConfigurableNonKeyedStream<RowData>;
}

export interface SinkContext {
  readonly table: ResolvedTable;
  readonly physicalType: RowType;
  /** What the input stream carries; a sink that only takes inserts must refuse other modes. */
  readonly inputMode: ChangelogMode;
  readonly config: ReadonlyMap<string, string>;
}

export interface TableSink {
  /** The modes this sink accepts (the planner picks upsert when the sink has a primary key). */
  readonly acceptedModes: readonly ChangelogMode["kind"][];
  /** Attaches the sink to the query's stream. */
  consume(stream: NonKeyedPartitionStream<RowData>): void;
}

export interface TableConnectorFactory {
  /** The `'connector'` option value, e.g. `datagen`. */
  readonly identifier: string;
  /** Option keys that must be present / may be present (for "unsupported option" errors). */
  readonly requiredOptions: readonly string[];
  readonly optionalOptions: readonly string[];
  createSource?(context: SourceContext): TableSource;
  createSink?(context: SinkContext): TableSink;
}
