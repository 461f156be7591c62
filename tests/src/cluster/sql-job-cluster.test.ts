/**
 * A SQL script submitted to a cluster (the SQL job module as `jobFile`): its SET statements with
 * Flink's execution keys configure the job there too — checkpoints every 100 ms, restart strategy
 * `none` so an injected failure fails it — and the REST submission's fields win over them
 * (`restartAttempts` lets the same failure restart, with exactly-once filesystem output).
 */

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { SQL_JOB_MODULE, type SqlJobParams } from "@weir/sql";
import { type Json, rest, waitFor } from "./cluster-processes.ts";
import { startInProcessCluster } from "./in-process-cluster.ts";

const FAIL_ONCE = fileURLToPath(new URL("../sql-streaming/fixtures/fail-once.ts", import.meta.url));

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

function params(dir: string, name: string): SqlJobParams {
  const script = `SET 'execution.checkpointing.interval' = '100 ms';
SET 'restart-strategy.type' = 'none';
CREATE TEMPORARY FUNCTION fail_once AS '${FAIL_ONCE}#failOnce' LANGUAGE TYPESCRIPT;
CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '200',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '199');
CREATE TABLE out_files (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, name)}', 'format' = 'csv');
INSERT INTO out_files SELECT fail_once(id, CAST(120 AS BIGINT), '${join(dir, `${name}.marker`)}') FROM gen;`;
  return { script, statementIndex: 5, config: {} };
}

/** The execution result once complete (a finished job's results arrive just after its state). */
async function executionResult(url: string, jobId: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rest(url, "GET", `/jobs/${jobId}/execution-result`);
      return r.body.status?.id === "COMPLETED" ? r.body : undefined;
    },
    60_000,
    50,
  );
}

async function finalState(url: string, jobId: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rest(url, "GET", `/jobs/${jobId}`);
      return ["FINISHED", "FAILED"].includes(r.body.state) ? r.body : undefined;
    },
    60_000,
    50,
  );
}

test("cluster: a SQL script's SET statements configure its job; REST fields win over them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-sql-cluster-"));
  const cluster = await startInProcessCluster({
    taskManagers: 1,
    slots: 2,
    jobManager: { checkpointStorage: { kind: "directory", path: join(dir, "checkpoints") } },
  });
  try {
    const jobFile = fileURLToPath(SQL_JOB_MODULE);
    const bySet = await rest(cluster.url, "POST", "/jobs", {
      json: { jobFile, parallelism: 2, params: params(dir, "by-set") },
    });
    assert.equal(bySet.status, 202, bySet.text);
    const failed = await finalState(cluster.url, bySet.body.jobid as string);
    assert.equal(failed.state, "FAILED", "SET 'restart-strategy.type' = 'none': the failure is final");
    const checkpoints = (await rest(cluster.url, "GET", `/jobs/${bySet.body.jobid}/checkpoints`)).body;
    assert.ok(
      checkpoints.counts.completed > 0,
      `checkpoints from SET: ${JSON.stringify(checkpoints.counts)}`,
    );

    const byRest = await rest(cluster.url, "POST", "/jobs", {
      json: {
        jobFile,
        parallelism: 2,
        params: params(dir, "by-rest"),
        restartAttempts: 2,
        restartDelayMs: 10,
      },
    });
    assert.equal(byRest.status, 202, byRest.text);
    const finished = await finalState(cluster.url, byRest.body.jobid as string);
    assert.equal(finished.state, "FINISHED", JSON.stringify(finished));
    const result = await executionResult(cluster.url, byRest.body.jobid as string);
    assert.equal(result["job-execution-result"].restarts, 1);
    assert.deepEqual(
      committedIds(join(dir, "by-rest")),
      Array.from({ length: 200 }, (_, i) => i),
    );
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
