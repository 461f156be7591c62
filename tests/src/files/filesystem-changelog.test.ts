/**
 * Changelog formats on the `filesystem` SQL connector, through `weir/sql-runner`: a GROUP BY
 * aggregate (a retract stream) written as debezium-json and as a partitioned canal-json table is
 * stored one event per line, and reading the table back materializes exactly the aggregate's
 * rows; a malformed event fails naming its file and line, or is skipped under
 * `debezium-json.ignore-parse-errors`. An insert-only format still refuses updates, as Flink.
 */

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

const dir = mkdtempSync(join(tmpdir(), "weir-fs-changelog-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// 30 events over 3 users (u0, u1, u2), 10 each, in two regions: counts pass 1..n, so updates.
const VALUES = Array.from({ length: 30 }, (_, i) => `('u${i % 3}', '${i % 2 === 0 ? "east" : "west"}')`).join(
  ", ",
);
const events = `CREATE TEMPORARY VIEW events (k, region) AS VALUES ${VALUES};`;

/** Every non-hidden line of every file under `root`, recursively. */
function lines(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    if (name.startsWith(".") || name.startsWith("_")) continue;
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...lines(path));
    else
      out.push(
        ...readFileSync(path, "utf8")
          .split("\n")
          .filter((l) => l !== ""),
      );
  }
  return out;
}

function selectRows(results: readonly unknown[]): Record<string, unknown>[] {
  const last = results.at(-1) as { kind: string; rows: Record<string, unknown>[] };
  assert.equal(last.kind, "select");
  return last.rows
    .map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

test("a GROUP BY count written as debezium-json lines reads back as the aggregate's rows", async () => {
  const path = join(dir, "counts-debezium");
  const table = `CREATE TABLE counts (k STRING, cnt BIGINT) WITH (
  'connector' = 'filesystem', 'path' = '${path}', 'format' = 'debezium-json');`;
  await runSqlScript(`${events}
${table}
INSERT INTO counts SELECT k, COUNT(*) FROM events GROUP BY k;`);

  const written = lines(path).map((l) => JSON.parse(l) as { before: unknown; after: unknown; op: string });
  for (const event of written) assert.deepEqual(Object.keys(event), ["before", "after", "op"]);
  const creates = written.filter((e) => e.op === "c");
  const deletes = written.filter((e) => e.op === "d");
  assert.equal(creates.length + deletes.length, written.length, "only op c and op d are written");
  assert.equal(creates.length - deletes.length, 3, "one live row per user");
  assert.ok(deletes.length > 0, "the aggregate's retractions were written");
  for (const e of creates) assert.equal(e.before, null);
  for (const e of deletes) assert.equal(e.after, null);

  const { results } = await runSqlScript(`${table}\nSELECT k, cnt FROM counts;`);
  assert.deepEqual(selectRows(results), [
    { k: "u0", cnt: 10 },
    { k: "u1", cnt: 10 },
    { k: "u2", cnt: 10 },
  ]);
});

test("a partitioned canal-json table: events under each partition, read back materialized", async () => {
  const path = join(dir, "counts-canal");
  const table = `CREATE TABLE counts (k STRING, cnt BIGINT, region STRING) PARTITIONED BY (region) WITH (
  'connector' = 'filesystem', 'path' = '${path}', 'format' = 'canal-json');`;
  await runSqlScript(`${events}
${table}
INSERT INTO counts SELECT k, COUNT(*), region FROM events GROUP BY k, region;`);

  assert.deepEqual(
    readdirSync(path)
      .filter((n) => !n.startsWith("."))
      .sort(),
    ["region=east", "region=west"],
  );
  const east = lines(join(path, "region=east")).map((l) => JSON.parse(l) as { data: object[]; type: string });
  for (const event of east) {
    assert.deepEqual(Object.keys(event), ["data", "type"]);
    assert.deepEqual(Object.keys(event.data[0]!), ["k", "cnt"], "partition columns are not stored");
  }
  assert.deepEqual([...new Set(east.map((e) => e.type))].sort(), ["DELETE", "INSERT"]);

  const { results } = await runSqlScript(`${table}\nSELECT k, cnt, region FROM counts;`);
  // Even i are east: u0 gets i = 0, 6, …, 24 (5) east and 3, 9, …, 27 (5) west; likewise u1, u2.
  assert.deepEqual(
    selectRows(results),
    ["u0", "u1", "u2"]
      .flatMap((k) => [
        { k, cnt: 5, region: "east" },
        { k, cnt: 5, region: "west" },
      ])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );
});

test("a malformed debezium-json line fails naming file and line; ignore-parse-errors skips it", async () => {
  const path = join(dir, "hand-written");
  mkdirSync(path);
  writeFileSync(
    join(path, "changes.json"),
    [
      '{"before":null,"after":{"k":"a","cnt":1},"op":"c"}',
      '{"before":{"k":"a","cnt":1},"after":{"k":"a","cnt":2},"op":"u"}',
      '{"before":null,"after":{"k":"b","cnt":1},"op":"x"}',
      '{"before":null,"after":{"k":"c","cnt":7},"op":"r"}',
      '{"before":{"k":"c","cnt":7},"after":null,"op":"d"}',
      "",
    ].join("\n"),
  );
  const table = (extra: string) => `CREATE TABLE changes (k STRING, cnt BIGINT) WITH (
  'connector' = 'filesystem', 'path' = '${path}', 'format' = 'debezium-json'${extra});`;
  await assert.rejects(
    runSqlScript(`${table("")}\nSELECT k, cnt FROM changes;`),
    /changes\.json:3.*unknown Debezium operation 'op' = "x"/s,
  );
  const { results } = await runSqlScript(
    `${table(", 'debezium-json.ignore-parse-errors' = 'true'")}\nSELECT k, cnt FROM changes;`,
  );
  assert.deepEqual(selectRows(results), [{ k: "a", cnt: 2 }]);
});

test("an updating query into a filesystem table with an insert-only format is refused, as Flink", async () => {
  await assert.rejects(
    runSqlScript(`${events}
CREATE TABLE plain (k STRING, cnt BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, "plain")}', 'format' = 'json');
INSERT INTO plain SELECT k, COUNT(*) AS cnt FROM events GROUP BY k;`),
    /Table sink 'default_catalog\.default_database\.plain' doesn't support consuming update changes which is produced by node GroupAggregate\(groupBy=\[k\], select=\[k, COUNT\(\*\) AS cnt\]\)/,
  );
});
