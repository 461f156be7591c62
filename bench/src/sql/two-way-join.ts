/**
 * `sql-two-way-join`: a regular inner join of `events` orders with 1 000 customers on the
 * customer id (`orders.id % 1000 = customers.cid`), both sides keyed and exchanged (parallelism
 * 2), each order matching exactly one customer. Events counts the orders; the 1 000 customer rows
 * come on top. The issue sets no target for SQL; the one here is half the DataStream keyed count's.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { verifiedRows } from "./sql-bench-job.ts";

export const TWO_WAY_JOIN_RUN_ID = "bench-sql-two-way-join";
export const CUSTOMERS = 1_000;

export const sqlTwoWayJoin: Benchmark = {
  name: "sql-two-way-join",
  description: "SQL: datagen orders JOIN datagen customers (1k) on customer id -> blackhole, parallelism 2",
  job: new URL("./two-way-join.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 500_000,
  targetPerCore: 500_000,
  verify(result, events) {
    const rows = verifiedRows(result, TWO_WAY_JOIN_RUN_ID);
    const count = rows.length === 1 ? Number(rows[0]![0]) : Number.NaN;
    if (count !== events) throw new Error(`sql-two-way-join: ${count} joined rows, expected ${events}`);
    return count;
  },
};
