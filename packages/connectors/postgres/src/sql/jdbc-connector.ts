/**
 * The `jdbc` SQL connector (Flink's option names): a sink for Postgres and MariaDB/MySQL tables,
 * and a bounded scan source for Postgres tables (read in primary key order, so the table needs a
 * primary key; MariaDB/MySQL tables cannot be read yet):
 * ```sql
 * CREATE TABLE totals (k STRING, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
 *   'connector' = 'jdbc', 'url' = 'jdbc:postgresql://127.0.0.1:5432/shop', 'table-name' = 'totals',
 *   'username' = 'postgres', 'password' = '', 'sink.buffer-flush.max-rows' = '500',
 *   'sink.buffer-flush.interval' = '1 s')
 * ```
 * Invariants: with a PRIMARY KEY the sink upserts by that key and accepts every changelog mode
 * (rows are partitioned by the key, so each key's changes stay in order); without one it only
 * appends, and accepts only insert-only input (as Flink, which rejects an updating query then).
 * `sink.max-retries` is accepted for compatibility; a failed batch fails the job instead, which
 * then restarts from its last checkpoint (the upserts replay idempotently).
 * @module
 */

import type { ConfigurableNonKeyedStream, KeyValue, NonKeyedPartitionStream, SinkHandle } from "@weir/api";
import {
  ConnectorOptionError,
  checkTableOptions,
  LOOKUP_CACHE_OPTIONS,
  OptionReader,
  type RowData,
  type SinkContext,
  type SourceContext,
  type SqlValue,
  type TableConnectorFactory,
  type TableSink,
  type TableSource,
} from "@weir/sql";
import { PostgresCdcSource } from "../cdc/postgres-cdc-source.ts";
import { parseJdbcUrl } from "../connection-options.ts";
import { JdbcSink } from "../sink/jdbc-sink.ts";
import { createJdbcLookup, JDBC_LOOKUP_OPTIONS } from "./jdbc-lookup.ts";

const REQUIRED = ["url", "table-name"];
const OPTIONAL = [
  "username",
  "password",
  "driver",
  "sink.buffer-flush.max-rows",
  "sink.buffer-flush.interval",
  "sink.max-retries",
  "sink.parallelism",
  "scan.fetch-size",
  ...JDBC_LOOKUP_OPTIONS,
  ...LOOKUP_CACHE_OPTIONS,
];

/** A partitioning key for one value: bytes become hex text (keys must be plain data). */
function keyPart(value: SqlValue | undefined): KeyValue {
  if (value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [keyPart(k), keyPart(v)]);
  if (Array.isArray(value)) return value.map((v) => keyPart(v as SqlValue));
  return value as KeyValue;
}

function createSink(context: SinkContext): TableSink {
  const table = context.table;
  checkTableOptions("jdbc", table, { required: REQUIRED, optional: OPTIONAL });
  const options = new OptionReader(table);
  const bad = (message: string) => new ConnectorOptionError(`Table '${table.name}' ('jdbc'): ${message}`);
  const keyNames = table.primaryKey ?? [];
  const fields = context.physicalType.fields;
  const keyIndices = keyNames.map((name) => fields.findIndex((f) => f.name === name));
  if (keyIndices.includes(-1))
    throw bad(`the primary key (${keyNames.join(", ")}) must name physical columns`);
  const parallelism = options.integer("sink.parallelism", undefined, 1);
  const username = options.string("username");
  const password = options.string("password");
  let sink: JdbcSink;
  try {
    sink = JdbcSink.create({
      url: options.string("url")!,
      table: options.string("table-name")!,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined || password === "" ? {} : { password }),
      columns: fields.map((f) => ({ name: f.name, type: f.type })),
      primaryKey: keyNames,
      maxRows: options.integer("sink.buffer-flush.max-rows", 100, 1),
      flushIntervalMs: options.durationMs("sink.buffer-flush.interval", 1000),
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
  options.integer("sink.max-retries", 3, 0);
  const upsert = keyIndices.length > 0;
  if (!upsert && context.inputMode.kind !== "insert-only")
    throw bad(
      "the query produces updates, but the table has no PRIMARY KEY: declare one so the sink can upsert, " +
        "or make the query insert-only",
    );
  return {
    acceptedModes: upsert ? ["insert-only", "retract", "upsert"] : ["insert-only"],
    consume(stream: NonKeyedPartitionStream<RowData>): void {
      let handle: SinkHandle;
      if (upsert) {
        const single = keyIndices.length === 1 ? keyIndices[0]! : -1;
        handle = stream
          .keyBy(
            (row): KeyValue =>
              single >= 0 ? keyPart(row.fields[single]) : keyIndices.map((i) => keyPart(row.fields[i])),
          )
          .toSink(sink);
      } else handle = stream.toSink(sink);
      handle.withName(`JDBC sink ${options.string("table-name")}`);
      if (parallelism !== undefined) handle.withParallelism(parallelism);
    },
  };
}

function createSource(context: SourceContext): TableSource {
  const table = context.table;
  checkTableOptions("jdbc", table, { required: REQUIRED, optional: OPTIONAL });
  const options = new OptionReader(table);
  const bad = (message: string) => new ConnectorOptionError(`Table '${table.name}' ('jdbc'): ${message}`);
  if (context.metadata.length > 0)
    throw bad(`the jdbc connector has no metadata keys ('${context.metadata[0]!.key}')`);
  let url: ReturnType<typeof parseJdbcUrl>;
  try {
    url = parseJdbcUrl(options.string("url")!);
  } catch (error) {
    throw bad((error as Error).message);
  }
  if (url.system !== "postgres")
    throw bad("reading is supported for Postgres tables only; MariaDB/MySQL tables can be written, not read");
  const username = options.string("username");
  const password = options.string("password");
  const name = options.string("table-name")!;
  let source: PostgresCdcSource;
  try {
    source = PostgresCdcSource.create({
      connection: {
        ...url.options,
        ...(username === undefined ? {} : { user: username }),
        ...(password === undefined || password === "" ? {} : { password }),
      },
      tables: [
        { table: name, columns: context.physicalType.fields.map((f) => ({ name: f.name, type: f.type })) },
      ],
      // Snapshot mode uses no slot; the name only has to be valid.
      slotName: "jdbc_scan",
      startupMode: "snapshot",
      snapshotFetchSize: options.integer("scan.fetch-size", 8192, 1),
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
  return {
    changelogMode: { kind: "insert-only" },
    bounded: true,
    createStream: (): ConfigurableNonKeyedStream<RowData> =>
      context.env.fromSource(source, `JDBC scan ${name}`).withParallelism(1),
  };
}

export const jdbcConnector: TableConnectorFactory = {
  identifier: "jdbc",
  requiredOptions: REQUIRED,
  optionalOptions: OPTIONAL,
  createSource,
  createSink,
  createLookup: createJdbcLookup,
};
