/** `SET 'state.backend.type'` (Flink's key) chooses where the SQL jobs' keyed state lives. */

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runSqlScript } from "./run-sql-script.ts";

const dir = mkdtempSync(join(tmpdir(), "weir-sql-state-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ORDERS = join(dir, "orders.csv");
writeFileSync(ORDERS, "1,alice,12.50\n2,bob,3.00\n3,alice,1.25\n4,carol,7.75\n5,bob,0.50\n");
const CREATE_ORDERS = `CREATE TABLE orders (id INT, who STRING, amount DECIMAL(10, 2)) WITH (
  'connector' = 'filesystem', 'path' = '${ORDERS}', 'format' = 'csv')`;

test("a grouped SELECT keeps its state in LMDB under state.backend.lmdb.localdir", async () => {
  const localdir = join(dir, "lmdb");
  const { results } = await runSqlScript(
    `SET 'state.backend.type' = 'lmdb';\nSET 'state.backend.lmdb.localdir' = '${localdir}';\n${CREATE_ORDERS};\n` +
      "SELECT who, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY who;",
    { parallelism: 2 },
  );
  const select = results.at(-1)!;
  assert.equal(select.kind, "select");
  if (select.kind !== "select") return;
  assert.deepEqual(
    [...select.rows].sort((a, b) => String(a.who).localeCompare(String(b.who))),
    [
      { who: "alice", n: 2, total: "13.75" },
      { who: "bob", n: 2, total: "3.50" },
      { who: "carol", n: 1, total: "7.75" },
    ],
  );
  // The backends created their working directories there and removed them when the job ended.
  assert.ok(existsSync(localdir), "LMDB backends were created under the configured directory");
  assert.deepEqual(readdirSync(localdir), []);
});

test("an unknown state.backend.type is an error naming the key", async () => {
  await assert.rejects(
    runSqlScript(
      `SET 'state.backend.type' = 'rocksdb';\n${CREATE_ORDERS};\nSELECT who FROM orders GROUP BY who;`,
    ),
    /'state.backend.type'.*unknown state backend "rocksdb"/s,
  );
});
