/**
 * Test job: CDC of one table (Postgres, or MariaDB with `system: "mysql"`) into an upsert sink on
 * the same database (a copy of the table), with
 * worker threads killed (`process.exit` in the thread: no cleanup, sockets dropped) a given number
 * of times. Even attempts are killed in the source's thread, odd ones in a sink subtask's thread,
 * each after some records of that attempt, so kills strike during the snapshot, while streaming,
 * and between a sink's writes and the next checkpoint.
 */

import { defineJob, type KeyValue, type OneInputStreamProcessFunction } from "@weir/api";
import {
  type ChangeEvent,
  type ConnectionOptions,
  JdbcSink,
  MysqlCdcSource,
  PostgresCdcSource,
} from "@weir/connector-postgres";
import type { LogicalType } from "@weir/sql";

export interface CdcUpsertParams {
  /** Default `postgres`. */
  readonly system?: "postgres" | "mysql";
  readonly connection: ConnectionOptions;
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly slotName: string;
  /** How many attempts are killed. */
  readonly kills: number;
  /** Records an attempt processes before it is killed. */
  readonly killAfter: number;
  /**
   * And milliseconds it runs first (default 0). MySQL CDC needs a completed checkpoint before a
   * kill: a restart from the beginning re-reads from a new binlog position (see mysql-cdc-source.ts).
   */
  readonly killNotBeforeMs?: number;
}

const COLUMNS: readonly { name: string; type: LogicalType }[] = [
  { name: "id", type: { kind: "INT", nullable: false } },
  { name: "v", type: { kind: "VARCHAR", length: 2_147_483_647, nullable: true } },
  { name: "n", type: { kind: "DECIMAL", precision: 12, scale: 2, nullable: true } },
  { name: "ts", type: { kind: "TIMESTAMP_LTZ", precision: 3, nullable: true, timeAttribute: null } },
  { name: "b", type: { kind: "VARBINARY", length: 2_147_483_647, nullable: true } },
];

export default defineJob((env, params: CdcUpsertParams) => {
  let seen = 0;
  const started = Date.now();
  const killer = <K extends KeyValue>(
    subtaskToKill: number,
    parity: number,
  ): OneInputStreamProcessFunction<ChangeEvent, ChangeEvent, K> => ({
    processRecord(event, out, ctx) {
      const attempt = ctx.taskInfo.attemptNumber;
      if (
        attempt < params.kills &&
        attempt % 2 === parity &&
        ctx.taskInfo.indexOfThisSubtask === subtaskToKill &&
        ++seen >= params.killAfter + 37 * attempt &&
        Date.now() - started >= (params.killNotBeforeMs ?? 0)
      )
        process.exit(1);
      out.collect(event);
    },
  });
  const mysql = params.system === "mysql";
  const columns = COLUMNS.map((c) => ({ name: c.name, type: c.type }));
  env
    .fromSource(
      mysql
        ? MysqlCdcSource.create({
            connection: params.connection,
            tables: [{ table: params.sourceTable, columns }],
            serverId: 9001,
            snapshotFetchSize: 500,
          })
        : PostgresCdcSource.create({
            connection: params.connection,
            tables: [{ table: params.sourceTable, columns }],
            slotName: params.slotName,
            snapshotFetchSize: 500,
          }),
      "CDC",
    )
    .withParallelism(1)
    .withUid("cdc")
    .process<ChangeEvent>(killer(0, 0))
    .withName("Killer (source side)")
    .withParallelism(1)
    .keyBy((event) => event.fields[0] as number)
    .process<ChangeEvent>(killer(1, 1))
    .withName("Killer (sink side)")
    .toSink(
      JdbcSink.create({
        connection: { ...params.connection, system: mysql ? "mysql" : "postgres" },
        table: params.targetTable,
        columns: COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        primaryKey: ["id"],
        maxRows: 200,
        flushIntervalMs: 100,
      }),
    )
    .withName("Upsert sink");
});
