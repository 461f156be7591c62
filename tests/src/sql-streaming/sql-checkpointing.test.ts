/**
 * SQL jobs under Flink's execution keys set in the script: periodic checkpoints with a restart
 * strategy give exactly-once filesystem output across an injected failure, and
 * `execution.savepoint.path` resumes a cancelled job from its kept checkpoints. Bad values stop
 * the script at the statement that runs the job, naming the key.
 */

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type DetailedStatementResult, executeSqlScript, runSqlScript } from "weir/sql-runner";

const FAIL_ONCE = fileURLToPath(new URL("./fixtures/fail-once.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "weir-sql-cp-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The ids in the committed (visible, `part-*`) CSV files under `root`. */
function committedIds(root: string): number[] {
  const ids: number[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.startsWith("part-"))
        for (const line of readFileSync(full, "utf8").split("\n")) if (line !== "") ids.push(Number(line));
    }
  };
  if (existsSync(root)) walk(root);
  return ids.sort((a, b) => a - b);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test("a checkpointed INSERT survives an injected failure with exactly-once file output", async () => {
  const out = join(dir, "out-failure");
  const marker = join(dir, "failed-marker");
  const results: DetailedStatementResult[] = [];
  const log: string[] = [];
  await executeSqlScript(
    `SET 'execution.checkpointing.interval' = '100 ms';
SET 'execution.checkpointing.dir' = 'file://${join(dir, "checkpoints")}';
SET 'restart-strategy.type' = 'fixed-delay';
SET 'restart-strategy.fixed-delay.attempts' = '2';
SET 'restart-strategy.fixed-delay.delay' = '50 ms';
CREATE TEMPORARY FUNCTION fail_once AS '${FAIL_ONCE}#failOnce' LANGUAGE TYPESCRIPT;
CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '200',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '199');
CREATE TABLE out_files (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');
INSERT INTO out_files SELECT fail_once(id, CAST(120 AS BIGINT), '${marker}') FROM gen;`,
    { parallelism: 2, log: (line) => log.push(line) },
    (result) => results.push(result),
  );
  assert.ok(existsSync(marker), "the injected failure happened");
  const insert = results.at(-1)!;
  assert.equal(insert.kind, "insert");
  if (insert.kind !== "insert") return;
  assert.equal(insert.restarts, 1, `one restart (log: ${log.join(" | ")})`);
  assert.ok(insert.completedCheckpoints >= 2, `checkpoints completed: ${insert.completedCheckpoints}`);
  assert.deepEqual(committedIds(out), range(200));
});

test("execution.savepoint.path resumes a cancelled SQL job from its kept checkpoints", async () => {
  const out = join(dir, "out-savepoint");
  const checkpoints = join(dir, "sp-checkpoints");
  const script = (extra: string) => `SET 'pipeline.name' = 'sp-orders';
SET 'execution.checkpointing.interval' = '100 ms';
SET 'state.checkpoints.dir' = '${checkpoints}';
${extra}
CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '100',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '149');
CREATE TABLE out_files (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');
INSERT INTO out_files SELECT id FROM gen;`;
  // Cancel the first run once it has completed a few checkpoints.
  const abort = new AbortController();
  const poll = setInterval(() => {
    if (committedIds(out).length >= 30) abort.abort();
  }, 20);
  await assert.rejects(runSqlScript(script(""), { signal: abort.signal }), { name: "JobCancelledError" });
  clearInterval(poll);
  const runs = readdirSync(checkpoints).filter((name) => name.startsWith("sp-orders-"));
  assert.equal(runs.length, 1, `the cancelled run kept its checkpoints: ${runs.join(", ")}`);
  const before = committedIds(out);
  assert.ok(before.length >= 30 && before.length < 150, `first run committed ${before.length} rows`);
  await runSqlScript(script(`SET 'execution.savepoint.path' = '${join(checkpoints, runs[0]!)}';`));
  // Rows of the first run up to its last completed checkpoint, then the rest once, from the restore.
  assert.deepEqual(committedIds(out), range(150));
});

test("a bad execution value stops the script at the job, naming the key and the accepted forms", async () => {
  await assert.rejects(
    runSqlScript(`SET 'execution.checkpointing.interval' = 'often';\nSELECT 1;`),
    /line 2, column 1: bad session option 'execution.checkpointing.interval' = 'often': expected a duration, .*'10 s'/,
  );
  await assert.rejects(
    runSqlScript(`SET 'execution.checkpointing.mode' = 'AT_LEAST_ONCE';\nSELECT 1;`),
    /'execution.checkpointing.mode' = 'AT_LEAST_ONCE': Weir's checkpoints are always EXACTLY_ONCE/,
  );
  await assert.rejects(
    runSqlScript(`SET 'restart-strategy.fixed-delay.attemps' = '3';\nSELECT 1;`),
    /'restart-strategy.fixed-delay.attemps': unknown or unsupported key/,
  );
  await assert.rejects(
    runSqlScript(`SET 'execution.savepoint.path' = '${join(dir, "no-such-savepoint")}';\nSELECT 1;`),
    /no-such-savepoint/,
  );
});
