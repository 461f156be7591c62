/**
 * `jdbc-upsert-sink`: `events` generated rows (distinct keys, text, numeric, timestamp) keyed by
 * id into the JDBC upsert sink (Postgres, `INSERT … ON CONFLICT DO UPDATE` from column arrays),
 * two sink subtasks, batches of up to 5000 rows: measures rows upserted per second.
 * @module
 */

import { defineJob, Sources } from "@weir/api";
import { JdbcSink } from "@weir/connector-postgres";
import type { RowData } from "@weir/sql";
import { type BenchJobParams, eventsOf } from "../jobs/params.ts";
import { benchConnection } from "./bench-database.ts";

export const UPSERT_TABLE = "bench_upsert";

export default defineJob((env, params: BenchJobParams) => {
  const events = eventsOf(params);
  env
    .fromSource(
      Sources.generator(
        (i): RowData => ({ kind: 0, fields: [i, `name ${i}`, BigInt(i) * 25n, 1_700_000_000_000 + i] }),
        { count: events },
      ),
      "Rows",
    )
    .keyBy((row) => row.fields[0] as number)
    .toSink(
      JdbcSink.create({
        connection: { ...benchConnection(), system: "postgres" },
        table: UPSERT_TABLE,
        columns: [
          { name: "id", type: { kind: "INT", nullable: false } },
          { name: "name", type: { kind: "VARCHAR", length: 2_147_483_647, nullable: true } },
          { name: "amount", type: { kind: "DECIMAL", precision: 12, scale: 2, nullable: true } },
          { name: "ts", type: { kind: "TIMESTAMP_LTZ", precision: 3, nullable: true, timeAttribute: null } },
        ],
        primaryKey: ["id"],
        maxRows: 5000,
        flushIntervalMs: 1000,
      }),
    )
    .withName("JDBC upsert sink");
});
