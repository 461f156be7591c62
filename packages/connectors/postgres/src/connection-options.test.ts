/** JDBC-style URLs and table names, as users write them in options. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJdbcUrl, parseTableName, quoteMysql, quotePg } from "./connection-options.ts";

test("JDBC URLs of Postgres and MySQL/MariaDB", () => {
  assert.deepEqual(parseJdbcUrl("jdbc:postgresql://db.local:6543/shop?user=app&password=s%3Dcret"), {
    system: "postgres",
    options: { host: "db.local", port: 6543, user: "app", password: "s=cret", database: "shop" },
  });
  assert.deepEqual(parseJdbcUrl("jdbc:mariadb://127.0.0.1/test"), {
    system: "mysql",
    options: { host: "127.0.0.1", port: 3306, user: "root", database: "test" },
  });
  assert.deepEqual(parseJdbcUrl("postgres://u:p@h/d").options, {
    host: "h",
    port: 5432,
    user: "u",
    password: "p",
    database: "d",
  });
  assert.throws(() => parseJdbcUrl("jdbc:postgresql://h:5432/"), /names no database/);
  assert.throws(() => parseJdbcUrl("jdbc:sqlite:x.db"), /unsupported database URL "jdbc:sqlite:x.db"/);
});

test("table names with schemas and quotes", () => {
  assert.deepEqual(parseTableName("orders", "public"), { schema: "public", table: "orders" });
  assert.deepEqual(parseTableName("sales.orders", "public"), { schema: "sales", table: "orders" });
  assert.deepEqual(parseTableName('"My Schema"."a.b""c"', "public"), { schema: "My Schema", table: 'a.b"c' });
  assert.throws(() => parseTableName("a.b.c", "public"), /expected table or schema.table/);
  assert.equal(quotePg('we"ird'), '"we""ird"');
  assert.equal(quoteMysql("we`ird"), "`we``ird`");
});
