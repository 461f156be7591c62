import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runSqlScript, SqlScriptError } from "./run-sql-script.ts";

const dir = mkdtempSync(join(tmpdir(), "weir-sql-script-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ORDERS = join(dir, "orders.csv");
writeFileSync(ORDERS, "1,alice,12.50\n2,bob,3.00\n3,alice,1.25\n4,carol,7.75\n5,bob,0.50\n");

const CREATE_ORDERS = `CREATE TABLE orders (id INT, who STRING, amount DECIMAL(10, 2)) WITH (
  'connector' = 'filesystem', 'path' = '${ORDERS}', 'format' = 'csv')`;

function byWho(rows: Record<string, unknown>[]) {
  return [...rows].sort((a, b) => String(a.who).localeCompare(String(b.who)));
}

test("DDL, then a grouped SELECT whose retractions are materialized into final rows", async () => {
  const { results } = await runSqlScript(
    `${CREATE_ORDERS};\nSELECT who, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY who;`,
    { parallelism: 2 },
  );
  assert.equal(results.length, 2);
  assert.deepEqual(results[0], {
    kind: "ok",
    line: 1,
    message: results[0]?.kind === "ok" ? results[0].message : "",
  });
  const select = results[1]!;
  assert.equal(select.kind, "select");
  if (select.kind !== "select") return;
  assert.equal(select.line, 3);
  assert.deepEqual(select.columns, ["who", "n", "total"]);
  assert.deepEqual(byWho(select.rows), [
    { who: "alice", n: 2, total: "13.75" },
    { who: "bob", n: 2, total: "3.50" },
    { who: "carol", n: 1, total: "7.75" },
  ]);
});

test("batch and streaming runtime modes give the same final rows", async () => {
  const query = "SELECT who, MAX(amount) AS top FROM orders WHERE id > 1 GROUP BY who";
  const streaming = await runSqlScript(`${CREATE_ORDERS}; ${query}`);
  const batch = await runSqlScript(`SET 'execution.runtime-mode' = 'batch'; ${CREATE_ORDERS}; ${query}`);
  const rows = (r: typeof streaming) => {
    const last = r.results.at(-1)!;
    return last.kind === "select" ? byWho(last.rows) : [];
  };
  assert.deepEqual(rows(streaming), [
    { who: "alice", top: "1.25" },
    { who: "bob", top: "3.00" },
    { who: "carol", top: "7.75" },
  ]);
  assert.deepEqual(rows(batch), rows(streaming));
});

test("INSERT INTO a filesystem table, then read it back", async () => {
  const out = join(dir, "big-orders");
  const { results } = await runSqlScript(
    `${CREATE_ORDERS};
CREATE TABLE big (id INT, who STRING) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'json');
INSERT INTO big SELECT id, who FROM orders WHERE amount > 2;
SELECT * FROM big;`,
    { parallelism: 2 },
  );
  assert.deepEqual(
    results.map((r) => r.kind),
    ["ok", "ok", "insert", "select"],
  );
  assert.ok(readdirSync(out).some((f) => f.endsWith(".json")));
  const select = results[3]!;
  assert.ok(select.kind === "select");
  assert.deepEqual(
    [...select.rows].sort((a, b) => Number(a.id) - Number(b.id)),
    [
      { id: 1, who: "alice" },
      { id: 2, who: "bob" },
      { id: 4, who: "carol" },
    ],
  );
});

test("a failing statement throws SqlScriptError with its position and index", async () => {
  await assert.rejects(runSqlScript(`${CREATE_ORDERS};\nSELECT nope FROM orders;`), (error: unknown) => {
    assert.ok(error instanceof SqlScriptError);
    assert.equal(error.statementIndex, 1);
    assert.equal(error.line, 3);
    assert.equal(error.column, 8);
    assert.match(error.message, /^line 3, column 8: .*nope/);
    return true;
  });
  await assert.rejects(runSqlScript("SET 'a' = 'b';\nSELEC 1;"), (error: unknown) => {
    assert.ok(error instanceof SqlScriptError);
    assert.equal(error.statementIndex, 1);
    assert.equal(error.line, 2);
    assert.equal(error.column, 1);
    assert.match(error.excerpt ?? "", /SELEC 1/);
    return true;
  });
});

test("a record that does not decode fails the statement with file, line and field", async () => {
  const bad = join(dir, "bad.csv");
  writeFileSync(bad, "1,ok\nseven,bad\n");
  await assert.rejects(
    runSqlScript(
      `CREATE TABLE b (id INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '${bad}', 'format' = 'csv');\nSELECT * FROM b;`,
    ),
    (error: unknown) => {
      assert.ok(error instanceof SqlScriptError);
      assert.equal(error.statementIndex, 1);
      assert.equal(error.line, 2);
      assert.ok(error.message.includes(`${bad}:2: field 'id': cannot read 'seven' as INT`), error.message);
      return true;
    },
  );
});

test("an unbounded SELECT is refused before it runs", async () => {
  await assert.rejects(
    runSqlScript("CREATE TABLE g (x INT) WITH ('connector' = 'datagen');\nSELECT x FROM g;"),
    (error: unknown) =>
      error instanceof SqlScriptError && error.line === 2 && /unbounded source/.test(error.message),
  );
});

test("a bad connector option fails at the statement that uses the table", async () => {
  await assert.rejects(
    runSqlScript(
      "CREATE TABLE g (x INT) WITH ('connector' = 'datagen', 'rows-per-sec' = '1');\nSELECT x FROM g;",
    ),
    (error: unknown) =>
      error instanceof SqlScriptError && error.statementIndex === 1 && /'rows-per-sec'/.test(error.message),
  );
});

test("a seeded datagen table gives the same result at every parallelism", async () => {
  const script = `CREATE TABLE g (id BIGINT, v INT) WITH ('connector' = 'datagen', 'seed' = '7',
    'rows-per-second' = '1000000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '200',
    'fields.v.min' = '0', 'fields.v.max' = '3');
  SELECT v, COUNT(*) AS n FROM g GROUP BY v;`;
  const sorted = (r: Awaited<ReturnType<typeof runSqlScript>>) => {
    const last = r.results.at(-1)!;
    return last.kind === "select" ? [...last.rows].sort((a, b) => Number(a.v) - Number(b.v)) : [];
  };
  const one = sorted(await runSqlScript(script, { parallelism: 1 }));
  const two = sorted(await runSqlScript(script, { parallelism: 2 }));
  assert.equal(
    one.reduce((sum, r) => sum + Number(r.n), 0),
    200,
  );
  assert.deepEqual(two, one);
});
