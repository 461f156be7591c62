/**
 * SQL scripts submitted to a cluster as `POST /jobs` `{ "sql": … }` and `weir jobs submit --sql`:
 * DDL + several INSERTs run as one job (a statement set) and write their files; a script that does
 * not parse or plan is refused before it runs, with its line and column; a SELECT is refused.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ClusterProcesses, completedResult, type Json, rest, waitFor } from "./cluster-processes.ts";
import { startInProcessCluster } from "./in-process-cluster.ts";

const FAIL_ONCE = fileURLToPath(new URL("../sql-streaming/fixtures/fail-once.ts", import.meta.url));
const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));

/** Every line of the part files under `root`, sorted. */
function committedLines(root: string): string[] {
  const lines: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.startsWith("part-"))
        for (const line of readFileSync(full, "utf8").split("\n")) if (line !== "") lines.push(line);
    }
  };
  if (existsSync(root)) walk(root);
  return lines.sort();
}

/** A bounded source of ids 0..99 and two filesystem sinks filled by two INSERTs. */
function script(dir: string, name: string | undefined): string {
  return `${name === undefined ? "" : `SET 'pipeline.name' = '${name}';\n`}CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '99');
CREATE TABLE evens (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, "evens")}', 'format' = 'csv');
CREATE TABLE big (id BIGINT, doubled BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, "big")}', 'format' = 'csv');
INSERT INTO evens SELECT id FROM gen WHERE MOD(id, 2) = 0;
INSERT INTO big SELECT id, id * 2 FROM gen WHERE id >= 90;
`;
}

async function finalState(url: string, jobId: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rest(url, "GET", `/jobs/${jobId}`);
      return ["FINISHED", "FAILED", "CANCELED"].includes(r.body.state) ? r.body : undefined;
    },
    60_000,
    50,
  );
}

test("cluster: a SQL script with DDL and two INSERTs runs as one job and writes both sinks", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-sql-submit-"));
  const cluster = await startInProcessCluster({ taskManagers: 1, slots: 2 });
  try {
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      json: { sql: script(dir, "two-sinks"), parallelism: 2 },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    const state = await finalState(cluster.url, jobId);
    assert.equal(state.state, "FINISHED", JSON.stringify(state));
    await completedResult(cluster.url, jobId, 10_000);
    const expectedEvens = Array.from({ length: 50 }, (_, i) => String(i * 2)).sort();
    assert.deepEqual(committedLines(join(dir, "evens")), expectedEvens);
    const expectedBig = Array.from({ length: 10 }, (_, i) => `${90 + i},${(90 + i) * 2}`).sort();
    assert.deepEqual(committedLines(join(dir, "big")), expectedBig);
    // One job for both INSERTs, named by the script's pipeline.name.
    const { jobs } = (await rest(cluster.url, "GET", "/jobs")).body as { jobs: Json[] };
    assert.deepEqual(
      jobs.map((j) => j.name),
      ["two-sinks"],
    );

    // Without pipeline.name the job is named after its INSERT targets, as Flink names it.
    const unnamed = await rest(cluster.url, "POST", "/jobs", {
      json: { sql: script(join(dir, "second"), undefined) },
    });
    assert.equal(unnamed.status, 202, unnamed.text);
    const details = await finalState(cluster.url, unnamed.body.jobid as string);
    assert.equal(details.state, "FINISHED", JSON.stringify(details));
    assert.equal(
      details.name,
      "insert-into_default_catalog.default_database.evens,default_catalog.default_database.big",
    );
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cluster: a submitted script's SET statements configure its job (checkpoints, restart strategy none)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-sql-set-"));
  const cluster = await startInProcessCluster({
    taskManagers: 1,
    slots: 1,
    jobManager: {
      checkpointStorage: { kind: "directory", path: join(dir, "checkpoints") },
      // The cluster's default would restart the failure: the script's SET wins over it.
      jobDefaults: { restartStrategy: { kind: "fixed-delay", attempts: 3, delayMs: 10 } },
    },
  });
  try {
    const sql = `SET 'execution.checkpointing.interval' = '100 ms';
SET 'restart-strategy.type' = 'none';
CREATE TEMPORARY FUNCTION fail_once AS '${FAIL_ONCE}#failOnce' LANGUAGE TYPESCRIPT;
CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '200',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '199');
CREATE TABLE out_files (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, "out")}', 'format' = 'csv');
INSERT INTO out_files SELECT fail_once(id, CAST(120 AS BIGINT), '${join(dir, "marker")}') FROM gen;`;
    const submitted = await rest(cluster.url, "POST", "/jobs", { json: { sql } });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    const state = await finalState(cluster.url, jobId);
    assert.equal(state.state, "FAILED", "SET 'restart-strategy.type' = 'none': the failure is final");
    const checkpoints = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
    assert.ok(
      checkpoints.counts.completed > 0,
      `checkpoints from SET: ${JSON.stringify(checkpoints.counts)}`,
    );
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cluster: a SQL script that does not parse, plan or fit a cluster job is refused with its position", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-sql-refused-"));
  const cluster = await startInProcessCluster({ taskManagers: 1, slots: 1 });
  const submit = (json: unknown) => rest(cluster.url, "POST", "/jobs", { json });
  try {
    const ddl = script(dir, undefined).split("\n").slice(0, 4).join("\n");
    const syntax = await submit({ sql: `${ddl}\nINSERT INTO evens SELEC id FROM gen;` });
    assert.equal(syntax.status, 400, syntax.text);
    assert.match(syntax.body.errors[0], /^line 5, column 19: /);

    const planning = await submit({ sql: `${ddl}\nINSERT INTO evens SELECT nope FROM gen;` });
    assert.equal(planning.status, 400, planning.text);
    assert.match(planning.body.errors[0], /^line 5, column 26: .*nope/);

    const select = await submit({ sql: `${ddl}\nSELECT id FROM gen;` });
    assert.equal(select.status, 400, select.text);
    assert.match(select.body.errors[0], /^line 5, column 1: a SELECT cannot be submitted to a cluster/);

    const noInsert = await submit({ sql: ddl });
    assert.equal(noInsert.status, 400, noInsert.text);
    assert.match(noInsert.body.errors[0], /no INSERT statement/);

    const both = await submit({ sql: ddl, jobFile: "/tmp/x.job.ts" });
    assert.equal(both.status, 400);
    assert.match(both.body.errors[0], /exactly one of jobFile .*, artifactId .* and sql/);
    const withParams = await submit({ sql: ddl, params: {} });
    assert.equal(withParams.status, 400);
    assert.match(withParams.body.errors[0], /takes no params/);
    const notText = await submit({ sql: 42 });
    assert.equal(notText.status, 400);
    assert.match(notText.body.errors[0], /sql must be a SQL script/);
    // The REST body limit applies to scripts as to every JSON body.
    const huge = await submit({ sql: `-- ${"x".repeat(2 * 1024 * 1024)}\n${ddl}` });
    assert.equal(huge.status, 413);

    assert.deepEqual((await rest(cluster.url, "GET", "/jobs")).body.jobs, [], "nothing was accepted");
    const openapi = (await rest(cluster.url, "GET", "/openapi.json")).body;
    assert.equal(openapi.components.schemas.JobSubmission.properties.sql.type, "string");
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("weir jobs submit --sql runs a script on a cluster of processes and prints refusals with line:column", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-sql-cli-"));
  const processes = new ClusterProcesses();
  try {
    const jm = await processes.startJobManager();
    processes.startTaskManager("127.0.0.1", jm.rpcPort, "tm-1", 2);
    await waitFor(async () => {
      const list = (await rest(jm.restUrl, "GET", "/taskmanagers")).body.taskmanagers as Json[];
      return list.length === 1 ? true : undefined;
    }, 20_000);
    const good = join(dir, "job.sql");
    writeFileSync(good, script(dir, "from-cli"));
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [
      WEIR,
      "jobs",
      "submit",
      "--sql",
      good,
      "--url",
      jm.restUrl,
      "-p",
      "2",
    ]);
    const jobId = stdout.trim();
    assert.match(jobId, /^[a-f0-9]{32}$/);
    const state = await finalState(jm.restUrl, jobId);
    assert.equal(state.state, "FINISHED", JSON.stringify(state));
    assert.equal(state.name, "from-cli");
    assert.equal(committedLines(join(dir, "evens")).length, 50);
    assert.equal(committedLines(join(dir, "big")).length, 10);

    const bad = join(dir, "bad.sql");
    writeFileSync(
      bad,
      "CREATE TABLE t (id BIGINT) WITH ('connector' = 'datagen');\nINSERT INTO t SELECT FROM t;\n",
    );
    const refused = await run(process.execPath, [
      WEIR,
      "jobs",
      "submit",
      "--sql",
      bad,
      "--url",
      jm.restUrl,
    ]).then(
      () => assert.fail("a bad script must fail"),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(`^\\[ERROR\\] ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: line 2, column 22: `, "m"),
    );
    assert.match(refused.stderr, /^2 \| INSERT INTO t SELECT FROM t;\n {2}\| {22}\^$/m);
  } finally {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
});
