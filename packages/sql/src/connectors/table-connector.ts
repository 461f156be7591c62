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
import type { ChangelogMode, Row, RowData } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
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
  /**
   * The parallelism the connector fixes for its stream (a CDC reader runs at 1); absent when the
   * stream runs at the job's parallelism. A changelog source with a fixed parallelism is followed
   * by a hash exchange on its primary key (all columns without one), as Flink does for sources
   * whose `scan.parallelism` differs from the job's: a round-robin exchange would let `-U` of a
   * row overtake the `+I` it retracts on another channel.
   */
  readonly parallelism?: number;
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

/**
 * What a lookup join asks of a table (Flink's LookupTableSource): the rows whose `keyIndices`
 * columns equal given values. Created in every worker when the job is built; the lookup should open
 * its resources lazily, on the first call.
 */
export interface LookupContext {
  readonly table: ResolvedTable;
  /** The physical columns as a row type; looked-up rows have exactly these fields. */
  readonly physicalType: RowType;
  /** Physical column indices the join looks up by, in the order `lookup(keys)` gets their values. */
  readonly keyIndices: readonly number[];
  readonly config: ReadonlyMap<string, string>;
}

/**
 * A table read by key, for `JOIN t FOR SYSTEM_TIME AS OF l.proctime ON l.k = t.k`.
 *
 * Contract: `lookup(keys)` resolves to the table's current rows (physical columns, declaration
 * order) whose key columns equal `keys` under SQL equality, so a NULL key matches nothing and
 * the join never calls it with one. Calls may overlap (the join keeps many in flight) and may be
 * repeated after a restart: a lookup must not change the table. Example, `keyIndices = [0]` over
 * `rates(currency STRING, rate INT)` holding `('EUR', 114), ('USD', 102)`:
 * `lookup(['EUR'])` → `[['EUR', 114]]`; `lookup(['JPY'])` → `[]`.
 */
export interface TableLookup {
  lookup(keys: readonly SqlValue[]): Promise<readonly Row[]>;
  /** Releases what the lookup opened (connections, caches). */
  close?(): Promise<void> | void;
}

export interface TableConnectorFactory {
  /** The `'connector'` option value, e.g. `datagen`. */
  readonly identifier: string;
  /** Option keys that must be present / may be present (for "unsupported option" errors). */
  readonly requiredOptions: readonly string[];
  readonly optionalOptions: readonly string[];
  createSource?(context: SourceContext): TableSource;
  createSink?(context: SinkContext): TableSink;
  /**
   * Present when the table can be read by key (lookup joins). Validates the table's options and
   * throws {@link ConnectorOptionError} like `createSource`; the generic `lookup.cache` options
   * (see `exec/lookup/lookup-cache-options.ts`) are the planner's, not the factory's, to check.
   */
  createLookup?(context: LookupContext): TableLookup;
}
