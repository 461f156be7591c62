/**
 * The `mysql-cdc` SQL connector (Flink CDC's option names) for MariaDB/MySQL tables:
 * ```sql
 * CREATE TABLE orders (id INT, note STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (
 *   'connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '3306', 'username' = 'root',
 *   'password' = '', 'database-name' = 'shop', 'table-name' = 'orders', 'server-id' = '5401')
 * ```
 * Invariants: the physical columns are matched by name and decoded into their declared SQL types;
 * the changelog is retract (`+I -U +U -D`), or upsert keyed by the primary key with
 * `'changelog-mode' = 'upsert'`; metadata `database_name` and `table_name` are supported.
 * `'bad-records.policy'` is `fail` (default; the error names the binlog position, table and
 * column), `drop`, or `dead-letter` into `'bad-records.dead-letter.table'` (a table of the
 * captured database, created when missing; see mysql-bad-records.ts), as for `postgres-cdc`.
 * `server-id` takes one id (a range such as `5400-5404` uses its first id: the source reads with
 * one reader); without it, an id derived from the table's name is used. `'scan.startup.mode'` is
 * `initial`, `latest-offset` or `specific-offset`, which starts after the MariaDB GTIDs of
 * `'scan.startup.specific-offset.gtid-set'` (`0-1-42`) or at `'scan.startup.specific-offset.file'`
 * and `'scan.startup.specific-offset.pos'` (default 4); the offset options need that mode.
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
import { MysqlCdcSource } from "../mysql-cdc/mysql-cdc-source.ts";

const DEAD_LETTER_TABLE = "bad-records.dead-letter.table";
const GTID_SET = "scan.startup.specific-offset.gtid-set";
const OFFSET_FILE = "scan.startup.specific-offset.file";
const OFFSET_POS = "scan.startup.specific-offset.pos";

const REQUIRED = ["hostname", "username", "database-name", "table-name"];
const OPTIONAL = [
  "port",
  "password",
  "server-id",
  "scan.startup.mode",
  GTID_SET,
  OFFSET_FILE,
  OFFSET_POS,
  "changelog-mode",
  "scan.snapshot.fetch.size",
  BAD_RECORDS_POLICY_OPTION,
  DEAD_LETTER_TABLE,
];

const METADATA = ["database_name", "table_name"] as const;

function defaultIdOffset(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) % 100_000;
  return hash;
}

function createSource(context: SourceContext): TableSource {
  const table = context.table;
  checkTableOptions("mysql-cdc", table, { required: REQUIRED, optional: OPTIONAL });
  const options = new OptionReader(table);
  const bad = (message: string) =>
    new ConnectorOptionError(`Table '${table.name}' ('mysql-cdc'): ${message}`);
  const changelog = options.choice("changelog-mode", ["all", "upsert"] as const, "all");
  const physical = context.physicalType.fields;
  const keyIndices = (table.primaryKey ?? []).map((name) => physical.findIndex((f) => f.name === name));
  if (changelog === "upsert" && (keyIndices.length === 0 || keyIndices.includes(-1)))
    throw bad("'changelog-mode' = 'upsert' needs a PRIMARY KEY of physical columns");
  for (const m of context.metadata)
    if (!(METADATA as readonly string[]).includes(m.key))
      throw bad(`unknown metadata key '${m.key}'; supported: ${METADATA.join(", ")}`);
  // The default must be the same in every worker (the job is built in each): derived from the table.
  const serverIdText = options.string("server-id") ?? String(5400 + defaultIdOffset(table.name));
  const serverId = Number(/^\s*(\d+)(?:\s*-\s*\d+)?\s*$/.exec(serverIdText)?.[1]);
  if (!Number.isSafeInteger(serverId))
    throw bad(`'server-id' = '${serverIdText}' is not an id or a range of ids such as '5400-5404'`);
  const badRecords = readBadRecordOptions(table, {
    deadLetterKey: DEAD_LETTER_TABLE,
    connector: "mysql-cdc",
  });
  const database = options.string("database-name")!;
  const tableName = options.string("table-name")!;
  const password = options.string("password");
  const startupMode = options.choice(
    "scan.startup.mode",
    ["initial", "latest-offset", "specific-offset"] as const,
    "initial",
  );
  const gtidSet = options.string(GTID_SET);
  const offsetFile = options.string(OFFSET_FILE);
  const offsetPos = options.integer(OFFSET_POS, 4, 4);
  const hasOffset =
    gtidSet !== undefined || offsetFile !== undefined || options.string(OFFSET_POS) !== undefined;
  if (startupMode !== "specific-offset" && hasOffset)
    throw bad(
      `'${GTID_SET}', '${OFFSET_FILE}' and '${OFFSET_POS}' need 'scan.startup.mode' = 'specific-offset'`,
    );
  if (startupMode === "specific-offset" && gtidSet === undefined && offsetFile === undefined)
    throw bad(`'scan.startup.mode' = 'specific-offset' needs '${GTID_SET}' or '${OFFSET_FILE}'`);
  if (gtidSet !== undefined && offsetFile !== undefined)
    throw bad(`set one of '${GTID_SET}' and '${OFFSET_FILE}', not both`);
  let source: MysqlCdcSource;
  try {
    source = MysqlCdcSource.create({
      connection: {
        host: options.string("hostname")!,
        port: options.integer("port", 3306, 1),
        user: options.string("username")!,
        ...(password === undefined || password === "" ? {} : { password }),
        database,
      },
      tables: [
        { table: `${database}.${tableName}`, columns: physical.map((f) => ({ name: f.name, type: f.type })) },
      ],
      serverId,
      startupMode,
      ...(startupMode !== "specific-offset"
        ? {}
        : {
            startupOffset:
              gtidSet !== undefined ? { gtidPosition: gtidSet } : { file: offsetFile!, position: offsetPos },
          }),
      changelogMode: changelog,
      snapshotFetchSize: options.integer("scan.snapshot.fetch.size", 8192, 1),
      badRecords:
        badRecords.kind === "dead-letter"
          ? { policy: "dead-letter", table: badRecords.target }
          : badRecords.kind,
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
  const metadataValues = context.metadata.map((m) => (m.key === "database_name" ? database : tableName));
  const mode: ChangelogMode =
    changelog === "upsert" ? { kind: "upsert", upsertKey: keyIndices } : { kind: "retract" };
  return {
    changelogMode: mode,
    // One reader sees the log in order; the planner keeps each key's changes in order downstream.
    parallelism: 1,
    bounded: false,
    createStream(): ConfigurableNonKeyedStream<RowData> {
      const changes = context.env.fromSource(source, `MySQL CDC ${database}.${tableName}`).withParallelism(1);
      if (metadataValues.length === 0) return changes;
      return changes
        .map((change): RowData => ({ kind: change.kind, fields: [...change.fields, ...metadataValues] }))
        .withParallelism(1);
    },
  };
}

export const mysqlCdcConnector: TableConnectorFactory = {
  identifier: "mysql-cdc",
  requiredOptions: REQUIRED,
  optionalOptions: OPTIONAL,
  createSource,
};
