/** The job module of `sql-two-way-join` (see two-way-join.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { buildSqlBenchJob, UNTHROTTLED } from "./sql-bench-job.ts";
import { CUSTOMERS, TWO_WAY_JOIN_RUN_ID } from "./two-way-join.ts";

const QUERY =
  "SELECT o.id, o.amount, c.name FROM (SELECT id, id % " +
  `${CUSTOMERS} AS cust, amount FROM orders) AS o JOIN customers AS c ON o.cust = c.cid`;

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, TWO_WAY_JOIN_RUN_ID, (events) => ({
    ddl: [
      "CREATE TABLE orders (id BIGINT, amount INT) WITH ('connector' = 'datagen', " +
        `'number-of-rows' = '${events}', 'rows-per-second' = '${UNTHROTTLED}', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', ` +
        `'fields.id.end' = '${Math.max(events - 1, 0)}', 'fields.amount.min' = '1', 'fields.amount.max' = '100');`,
      "CREATE TABLE customers (cid BIGINT, name STRING) WITH ('connector' = 'datagen', " +
        `'number-of-rows' = '${CUSTOMERS}', 'rows-per-second' = '${UNTHROTTLED}', 'fields.cid.kind' = 'sequence', 'fields.cid.start' = '0', ` +
        `'fields.cid.end' = '${CUSTOMERS - 1}', 'fields.name.length' = '8');`,
    ],
    query: QUERY,
    sinkColumns: "id BIGINT, amount INT, name STRING",
    verifyQuery: `SELECT COUNT(*) AS n FROM (${QUERY})`,
  })),
);
