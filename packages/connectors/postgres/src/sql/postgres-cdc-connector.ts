/**
 * The `postgres-cdc` SQL connector (Flink CDC's option names): a table whose rows are a Postgres
 * table's snapshot and then its changes.
 * ```sql
 * CREATE TABLE orders (id INT, note STRING, total DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH (
 *   'connector' = 'postgres-cdc', 'hostname' = '127.0.0.1', 'port' = '5432', 'username' = 'postgres',
 *   'password' = '', 'database-name' = 'shop', 'schema-name' = 'public', 'table-name' = 'orders',
 *   'slot.name' = 'orders_slot', 'decoding.plugin.name' = 'pgoutput')
 * ```
 * Invariants: the physical columns are read by name from the Postgres table and decoded into their
 * declared SQL types (a value that does not fit follows `bad-records.policy`); the changelog mode
 * is retract (`+I -U +U -D`), or upsert keyed by the declared primary key with
 * `'changelog-mode' = 'upsert'`; `'scan.startup.mode' = 'snapshot'` reads the table once (a bounded,
 * insert-only source). Metadata columns `database_name`, `schema_name`, `table_name`
 * (STRING) are supported. Only `pgoutput` decoding exists (it is built into Postgres).
 * @module
 */

import type { ConfigurableNonKeyedStream } from "@weir/api";
import {
  BAD_RECORDS_POLICY_OPTION,
  type ChangelogMode,
  ConnectorOptionError,
  checkTableOptions,
  OptionReader,
  type RowData,
  readBadRecordOptions,
  type SourceContext,
  type TableConnectorFactory,
  type TableSource,
} from "@weir/sql";
import { PostgresCdcSource } from "../cdc/postgres-cdc-source.ts";

const DEAD_LETTER_TABLE = "bad-records.dead-letter.table";

const REQUIRED = ["hostname", "username", "database-name", "table-name", "slot.name"];
const OPTIONAL = [
  "port",
  "password",
  "schema-name",
  "decoding.plugin.name",
  "publication.name",
  "scan.startup.mode",
  "changelog-mode",
  "scan.snapshot.fetch.size",
  "scan.re-read.mode",
  BAD_RECORDS_POLICY_OPTION,
  DEAD_LETTER_TABLE,
];

const METADATA = ["database_name", "schema_name", "table_name"] as const;

function createSource(context: SourceContext): TableSource {
  const table = context.table;
  checkTableOptions("postgres-cdc", table, { required: REQUIRED, optional: OPTIONAL });
  const options = new OptionReader(table);
  const bad = (message: string) =>
    new ConnectorOptionError(`Table '${table.name}' ('postgres-cdc'): ${message}`);
  const plugin = options.string("decoding.plugin.name") ?? "pgoutput";
  if (plugin !== "pgoutput")
    throw bad(
      `'decoding.plugin.name' = '${plugin}' is not supported; only 'pgoutput' (built into Postgres) is`,
    );
  const changelog = options.choice("changelog-mode", ["all", "upsert"] as const, "all");
  const keyNames = table.primaryKey ?? [];
  const physical = context.physicalType.fields;
  const keyIndices = keyNames.map((name) => physical.findIndex((f) => f.name === name));
  if (changelog === "upsert" && (keyNames.length === 0 || keyIndices.includes(-1)))
    throw bad("'changelog-mode' = 'upsert' needs a PRIMARY KEY of physical columns");
  for (const m of context.metadata)
    if (!(METADATA as readonly string[]).includes(m.key))
      throw bad(`unknown metadata key '${m.key}'; supported: ${METADATA.join(", ")}`);
  const badRecords = readBadRecordOptions(table, {
    deadLetterKey: DEAD_LETTER_TABLE,
    connector: "postgres-cdc",
  });
  const startupMode = options.choice(
    "scan.startup.mode",
    ["initial", "latest-offset", "snapshot"] as const,
    "initial",
  );
  const database = options.string("database-name")!;
  const schema = options.string("schema-name") ?? "public";
  const tableName = options.string("table-name")!;
  const password = options.string("password");
  let source: PostgresCdcSource;
  try {
    source = PostgresCdcSource.create({
      connection: {
        host: options.string("hostname")!,
        port: options.integer("port", 5432, 1),
        user: options.string("username")!,
        ...(password === undefined || password === "" ? {} : { password }),
        database,
      },
      tables: [
        {
          table: `"${schema.replaceAll('"', '""')}"."${tableName.replaceAll('"', '""')}"`,
          columns: physical.map((f) => ({ name: f.name, type: f.type })),
        },
      ],
      slotName: options.string("slot.name")!,
      ...(options.string("publication.name") === undefined
        ? {}
        : { publicationName: options.string("publication.name")! }),
      startupMode,
      changelogMode: changelog,
      reReadMode: options.choice("scan.re-read.mode", ["replay", "exact"] as const, "replay"),
      snapshotFetchSize: options.integer("scan.snapshot.fetch.size", 8192, 1),
      badRecords:
        badRecords.kind === "dead-letter"
          ? { policy: "dead-letter", table: badRecords.target }
          : { policy: badRecords.kind },
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
  const metadataValues = context.metadata.map((m) =>
    m.key === "database_name" ? database : m.key === "schema_name" ? schema : tableName,
  );
  const mode: ChangelogMode =
    startupMode === "snapshot"
      ? { kind: "insert-only" }
      : changelog === "upsert"
        ? { kind: "upsert", upsertKey: keyIndices }
        : { kind: "retract" };
  return {
    changelogMode: mode,
    // One reader sees the log in order; the planner keeps each key's changes in order downstream.
    parallelism: 1,
    bounded: startupMode === "snapshot",
    createStream(): ConfigurableNonKeyedStream<RowData> {
      const changes = context.env
        .fromSource(source, `Postgres CDC ${schema}.${tableName}`)
        .withParallelism(1);
      if (metadataValues.length === 0) return changes;
      return changes
        .map((change): RowData => ({ kind: change.kind, fields: [...change.fields, ...metadataValues] }))
        .withParallelism(1);
    },
  };
}

export const postgresCdcConnector: TableConnectorFactory = {
  identifier: "postgres-cdc",
  requiredOptions: REQUIRED,
  optionalOptions: OPTIONAL,
  createSource,
};
