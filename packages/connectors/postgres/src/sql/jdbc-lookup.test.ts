/**
 * Lookups on a `jdbc` table against a real Postgres: rows by one or two key columns, typed values
 * (DECIMAL, TIMESTAMP, NULL) decoded as the jdbc source does, changes seen by the next lookup, and
 * option errors that name the table. Expected rows are written by hand from the inserted data.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { LogicalRowType, ResolvedTable } from "@weir/sql";
import pg from "pg";
import { type PostgresTestServer, startPostgres } from "../testing/postgres-server.ts";
import { createJdbcLookup } from "./jdbc-lookup.ts";

let server: PostgresTestServer;
let db: pg.Client;
let url: string;

before(async () => {
  server = await startPostgres();
  db = new pg.Client({ host: server.host, port: server.port, user: "postgres", database: "postgres" });
  await db.connect();
  url = `jdbc:postgresql://${server.host}:${server.port}/postgres`;
  await db.query(
    "CREATE TABLE rates (cur text, region text, rate numeric(10,2), at timestamp(3), PRIMARY KEY (cur, region))",
  );
  await db.query(`INSERT INTO rates VALUES ('EUR', 'eu', 1.14, '2020-04-15 08:00:00'), ('EUR', 'us', 1.15, NULL),
    ('USD', 'us', 1.00, '2020-04-15 09:30:00.5')`);
});
after(async () => {
  await db?.end();
  server?.stop();
});

const ROW_TYPE: LogicalRowType = {
  kind: "ROW",
  nullable: false,
  fields: [
    { name: "cur", type: { kind: "VARCHAR", length: 2147483647, nullable: false } },
    { name: "region", type: { kind: "VARCHAR", length: 2147483647, nullable: false } },
    { name: "rate", type: { kind: "DECIMAL", precision: 10, scale: 2, nullable: true } },
    { name: "at", type: { kind: "TIMESTAMP", precision: 3, nullable: true, timeAttribute: null } },
  ],
};

function table(options: Record<string, string>): ResolvedTable {
  return {
    kind: "table",
    name: "rates",
    columns: ROW_TYPE.fields.map((f) => ({ kind: "physical", name: f.name, type: f.type })),
    watermark: null,
    primaryKey: ["cur", "region"],
    partitionKeys: [],
    options: { connector: "jdbc", url, "table-name": "rates", ...options },
    temporary: false,
  } as ResolvedTable;
}

const lookupOf = (keyIndices: number[], options: Record<string, string> = {}) =>
  createJdbcLookup({ table: table(options), physicalType: ROW_TYPE, keyIndices, config: new Map() });

test("looks rows up by one or two columns, with typed values; sees later changes", async () => {
  const byCur = lookupOf([0]);
  const rows = await byCur.lookup(["EUR"]);
  const at = Date.UTC(2020, 3, 15, 8, 0, 0);
  assert.deepEqual(
    [...rows].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    [
      ["EUR", "eu", 114n, at],
      ["EUR", "us", 115n, null],
    ],
  );
  assert.deepEqual(await byCur.lookup(["JPY"]), []);
  const byBoth = lookupOf([1, 0]);
  assert.deepEqual(await byBoth.lookup(["us", "USD"]), [
    ["USD", "us", 100n, Date.UTC(2020, 3, 15, 9, 30, 0, 500)],
  ]);
  await db.query("UPDATE rates SET rate = 1.01 WHERE cur = 'USD'");
  assert.deepEqual(await byBoth.lookup(["us", "USD"]), [
    ["USD", "us", 101n, Date.UTC(2020, 3, 15, 9, 30, 0, 500)],
  ]);
  await byCur.close?.();
  await byBoth.close?.();
});

test("refuses MySQL URLs and bad options, naming the table", () => {
  assert.throws(
    () => lookupOf([0], { url: "jdbc:mysql://127.0.0.1:3306/db" }),
    /Table 'rates' \('jdbc'\): lookups are supported for Postgres tables only/,
  );
  assert.throws(() => lookupOf([0], { "lookup.max-retries": "-1" }), /lookup\.max-retries/);
});
