/**
 * `@weir/connector-postgres`: Postgres change data capture (snapshot, then pgoutput logical
 * replication through a persistent slot, positions in checkpoints), MariaDB/MySQL change data
 * capture (snapshot, then the row-based binlog, resumable from file and position), and JDBC-style
 * append and upsert sinks for Postgres and MariaDB/MySQL. The SQL connectors (`postgres-cdc`,
 * `mysql-cdc`, `jdbc`) are in the `./sql` subpath; throwaway test servers in `./testing` (Postgres)
 * and `./testing/mariadb`.
 * @module
 */

export {
  type BadRecordPolicy,
  type DeadLetter,
  type PostgresCdcSourceMetrics,
  postgresCdcSourceMetrics,
} from "./cdc/bad-records.ts";
export type { CapturedTableSpec } from "./cdc/captured-table.ts";
export { formatLsn, parseLsn } from "./cdc/lsn.ts";
export {
  type ChangeEvent,
  type PostgresCdcOptions,
  PostgresCdcSource,
  type PostgresCdcSplit,
  type ResumedRange,
} from "./cdc/postgres-cdc-source.ts";
export {
  type ConnectionOptions,
  type DatabaseSystem,
  parseJdbcUrl,
  parseTableName,
} from "./connection-options.ts";
export {
  type MysqlBadRecordPolicy,
  type MysqlCdcSourceMetrics,
  mysqlCdcSourceMetrics,
} from "./mysql-cdc/mysql-bad-records.ts";
export {
  initialMysqlSplit,
  type MysqlCdcOptions,
  MysqlCdcSource,
  type MysqlCdcSplit,
} from "./mysql-cdc/mysql-cdc-source.ts";
export type { MysqlTableSpec } from "./mysql-cdc/mysql-tables.ts";
export { JdbcSink, type JdbcSinkOptions, type SinkColumn } from "./sink/jdbc-sink.ts";
export { logicalTypeOfPgColumn, type PgColumn } from "./values/postgres-type-mapping.ts";
export { BadValueError } from "./values/text-value-decoder.ts";
