/**
 * The REST API against a running cluster (JobManager and two TaskManagers with two slots each):
 * OpenAPI description, TaskManagers, submission (by path and by upload), job list and details
 * with the vertex graph and metrics, checkpoints, savepoint, stop-with-savepoint and a restore
 * from it that still counts exactly once, cancellation, exceptions, metrics, and bad submissions.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ProgressParams } from "../jobs/event-time-progress.job.ts";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";
import { type Json, rest, waitFor } from "./cluster-processes.ts";
import { type InProcessCluster, startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));
const EVENT_TIME_JOB = fileURLToPath(new URL("../jobs/event-time-progress.job.ts", import.meta.url));
// Uploaded modules import "@weir/api", resolved from where they are stored: inside the repository.
const UPLOADS = fileURLToPath(new URL(`./.uploads-${process.pid}`, import.meta.url));

let cluster: InProcessCluster;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weir-rest-"));
  cluster = await startInProcessCluster({
    taskManagers: 2,
    slots: 2,
    jobManager: {
      checkpointStorage: { kind: "directory", path: join(dir, "checkpoints") },
      savepointsDir: join(dir, "savepoints"),
      uploadsDir: UPLOADS,
    },
  });
});

after(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(UPLOADS, { recursive: true, force: true });
});

const get = (path: string) => rest(cluster.url, "GET", path);

function checkExactlyOnce(
  reports: { kind: string; key: number; count: number; last: number }[],
  params: ExactlyOnceParams,
): void {
  assert.deepEqual(
    reports.filter((r) => r.kind === "anomaly"),
    [],
  );
  const perKey = params.count / params.keys;
  assert.deepEqual(
    reports
      .filter((r) => r.kind === "final")
      .map((r) => [r.key, r.count, r.last])
      .sort((a, b) => a[0]! - b[0]!),
    Array.from({ length: params.keys }, (_, key) => [key, perKey, perKey - 1]),
  );
}

async function finished(jobId: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = await get(`/jobs/${jobId}/execution-result`);
      return r.body.status.id === "COMPLETED" ? r.body : undefined;
    },
    30_000,
    50,
  );
}

test("the OpenAPI document describes every endpoint", async () => {
  const { status, body } = await get("/openapi.json");
  assert.equal(status, 200);
  assert.equal(body.openapi, "3.1.0");
  const operations = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
  );
  assert.deepEqual(operations.sort(), [
    "GET /jobs",
    "GET /jobs/{jobId}",
    "GET /jobs/{jobId}/checkpoints",
    "GET /jobs/{jobId}/exceptions",
    "GET /jobs/{jobId}/execution-result",
    "GET /jobs/{jobId}/savepoints/{requestId}",
    "GET /metrics",
    "GET /openapi.json",
    "GET /overview",
    "GET /taskmanagers",
    "PATCH /jobs/{jobId}",
    "POST /artifacts",
    "POST /jobs",
    "POST /jobs/{jobId}/savepoints",
    "POST /jobs/{jobId}/stop",
  ]);
});

test("taskmanagers and overview report the registered slots", async () => {
  const tms = (await get("/taskmanagers")).body.taskmanagers;
  assert.deepEqual(tms.map((t: Json) => [t.id, t.slotsNumber]).sort(), [
    ["tm-1", 2],
    ["tm-2", 2],
  ]);
  const overview = (await get("/overview")).body;
  assert.equal(overview.taskmanagers, 2);
  assert.equal(overview["slots-total"], 4);
});

test("submit, list, details with the vertex graph, checkpoints, savepoint, stop with savepoint, restore", async () => {
  const params: ExactlyOnceParams = { count: 24_000, keys: 4, recordsPerSecond: 4_000, failAt: -1 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: { jobFile: JOB, parallelism: 2, params, checkpointIntervalMs: 100, jobName: "savepointed" },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const jobId = submitted.body.jobid;
  assert.match(jobId, /^[a-f0-9]{32}$/);

  const list = (await get("/jobs")).body.jobs;
  assert.ok(list.some((j: Json) => j.id === jobId && j.name === "savepointed"));

  const details = await waitFor(async () => {
    const d = (await get(`/jobs/${jobId}`)).body;
    return d.vertices.every((v: Json) => v.name === "Numbers" || v.metrics["read-records"] > 0)
      ? d
      : undefined;
  }, 20_000);
  assert.equal(details.state, "RUNNING");
  assert.deepEqual(
    details.vertices.map((v: Json) => [v.name, v.parallelism, v.operators]),
    [
      ["Numbers", 2, ["Numbers", "Failure injector"]],
      ["Sequence checker", 2, ["Sequence checker", "Sink"]],
    ],
  );
  assert.deepEqual(
    details.edges.map((e: Json) => [e.source, e.target, e.partitioning]),
    [[0, 1, "hash"]],
  );
  assert.ok(details.vertices[0].metrics["write-records"] > 0);
  // The source runs at 4000 records/s: the checker's read rate settles around that.
  const rates: number[] = [];
  await waitFor(async () => {
    const r = (await get(`/jobs/${jobId}`)).body.vertices[1].metrics["read-records-per-second"] as number;
    rates.push(r);
    return r >= 2_000 && r <= 8_000 ? r : undefined;
  }, 10_000);
  assert.ok(
    rates.every((r) => r >= 0 && r < 40_000),
    `read rates ${rates.join(", ")}`,
  );
  assert.equal(details.taskmanagers.length, 2, "slots spread over both taskmanagers");

  const checkpoints = await waitFor(async () => {
    const c = (await get(`/jobs/${jobId}/checkpoints`)).body;
    return c.counts.completed >= 2 ? c : undefined;
  }, 20_000);
  assert.equal(checkpoints.enabled, true);
  assert.ok(checkpoints.history[0].id > checkpoints.history[1].id, "newest first");
  assert.ok(checkpoints.latest.completed.sizeBytes > 0);

  const triggered = await rest(cluster.url, "POST", `/jobs/${jobId}/savepoints`, { json: {} });
  assert.equal(triggered.status, 202);
  const savepoint = await waitFor(async () => {
    const s = (await get(`/jobs/${jobId}/savepoints/${triggered.body["request-id"]}`)).body;
    return s.status.id === "COMPLETED" ? s : undefined;
  }, 20_000);
  assert.match(savepoint.operation.name, new RegExp(`^savepoint-${jobId}-\\d+$`));
  assert.equal(
    (await get(`/jobs/${jobId}`)).body.state,
    "RUNNING",
    "a plain savepoint leaves the job running",
  );

  const badDrain = await rest(cluster.url, "POST", `/jobs/${jobId}/stop`, { json: { drain: "yes" } });
  assert.equal(badDrain.status, 400);
  assert.match(badDrain.body.errors[0], /"drain" must be true or false/);
  const stop = await rest(cluster.url, "POST", `/jobs/${jobId}/stop`);
  assert.equal(stop.status, 202);
  const stopped = await waitFor(async () => {
    const s = (await get(`/jobs/${jobId}/savepoints/${stop.body["request-id"]}`)).body;
    return s.status.id === "COMPLETED" ? s : undefined;
  }, 20_000);
  // As Flink's stop: the job's last checkpoint is the savepoint, sinks commit it, the job finishes.
  await waitFor(
    async () => ((await get(`/jobs/${jobId}`)).body.state === "FINISHED" ? true : undefined),
    10_000,
  );
  const partial = (await get(`/jobs/${jobId}`)).body;
  assert.ok(partial.vertices[1].metrics["read-records"] < params.count, "stopped before the input ended");

  // The same job from the stop's savepoint, at full speed: every record exactly once overall.
  const resumed = await rest(cluster.url, "POST", "/jobs", {
    json: {
      jobFile: JOB,
      parallelism: 2,
      params: { ...params, recordsPerSecond: 1_000_000 },
      fromSavepoint: stopped.operation.name,
    },
  });
  assert.equal(resumed.status, 202, resumed.text);
  const result = await finished(resumed.body.jobid);
  assert.equal(result.state, "FINISHED");
  checkExactlyOnce(result["job-execution-result"].collected.reports, params);
});

test("cancel ends a running job; exceptions stay empty for a job that never failed", async () => {
  const params: ExactlyOnceParams = { count: 1_000_000, keys: 4, recordsPerSecond: 1_000, failAt: -1 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: { jobFile: JOB, parallelism: 2, params },
  });
  const jobId = submitted.body.jobid;
  await waitFor(
    async () =>
      (await get(`/jobs/${jobId}`)).body.vertices[1].metrics["read-records"] > 0 ? true : undefined,
    20_000,
  );
  const cancelled = await rest(cluster.url, "PATCH", `/jobs/${jobId}?mode=cancel`);
  assert.equal(cancelled.status, 202);
  await waitFor(
    async () => ((await get(`/jobs/${jobId}`)).body.state === "CANCELED" ? true : undefined),
    10_000,
  );
  assert.deepEqual((await get(`/jobs/${jobId}/exceptions`)).body.exceptionHistory.entries, []);
  await waitFor(
    async () => ((await get("/overview")).body["slots-available"] === 4 ? true : undefined),
    10_000,
  );
  const savepoint = await rest(cluster.url, "POST", `/jobs/${jobId}/savepoints`);
  const status = (await get(`/jobs/${jobId}/savepoints/${savepoint.body["request-id"]}`)).body;
  assert.equal(status.status.id, "FAILED");
  assert.match(status.operation["failure-cause"], /checkpointing/);
});

test("a failing job reports its exception with the restarts", async () => {
  const params: ExactlyOnceParams = { count: 4_000, keys: 4, recordsPerSecond: 1_000_000, failAt: 2_000 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: { jobFile: JOB, parallelism: 2, params, restartAttempts: 1, restartDelayMs: 0 },
  });
  const result = await finished(submitted.body.jobid);
  assert.equal(result.state, "FINISHED");
  checkExactlyOnce(result["job-execution-result"].collected.reports, params);
  const entries = (await get(`/jobs/${submitted.body.jobid}/exceptions`)).body.exceptionHistory.entries;
  assert.equal(entries.length, 1);
  assert.match(entries[0].message, /injected failure at record 2000/);
  assert.equal(entries[0].restarting, true);
});

test("an uploaded job module is stored under a generated name and runs on the cluster", async () => {
  const source = readFileSync(JOB);
  const uploaded = await rest(cluster.url, "POST", "/artifacts", {
    body: source,
    contentType: "application/octet-stream",
  });
  assert.equal(uploaded.status, 201, uploaded.text);
  assert.deepEqual(readdirSync(UPLOADS), [`${uploaded.body.id}.job.ts`]);
  const params: ExactlyOnceParams = { count: 2_000, keys: 2, recordsPerSecond: 1_000_000, failAt: -1 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: { artifactId: uploaded.body.id, parallelism: 2, params },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const result = await finished(submitted.body.jobid);
  checkExactlyOnce(result["job-execution-result"].collected.reports, params);
  const vertices = (await get(`/jobs/${submitted.body.jobid}`)).body.vertices as Json[];
  assert.deepEqual(
    vertices.map((v) => [v.name, v.metrics["read-records"], v.metrics["write-records"]]),
    [
      ["Numbers", 0, params.count],
      ["Sequence checker", params.count, 0],
    ],
    "a finished job keeps its final counts",
  );
});

test("job details and metrics report each vertex's event-time watermark as it advances", async () => {
  const params: ProgressParams = { count: 1_000_000, recordsPerSecond: 2_000, stepMs: 10, lagMs: 500 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: { jobFile: EVENT_TIME_JOB, parallelism: 2, params, jobName: "event-time" },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const jobId = submitted.body.jobid;
  const watermarks = async (): Promise<(number | null)[]> =>
    (await get(`/jobs/${jobId}`)).body.vertices.map((v: Json) => v.metrics["current-watermark"]);
  // Vertex 0 (source chain) reports the watermark it sent, vertex 1 the one it received: both are
  // event times the generator reached, minus the lag.
  const first = await waitFor(async () => {
    const w = await watermarks();
    return w.length === 2 && w.every((x) => typeof x === "number" && x > 0) ? (w as number[]) : undefined;
  }, 20_000);
  const later = await waitFor(async () => {
    const w = await watermarks();
    return (w as number[]).every((x, i) => x > first[i]!) ? (w as number[]) : undefined;
  }, 20_000);
  for (const w of later) {
    assert.equal(w % params.stepMs, (params.stepMs - (params.lagMs % params.stepMs) - 1) % params.stepMs);
    assert.ok(w < params.count * params.stepMs, "a running job's watermark is below the last event time");
  }
  const text = (await rest(cluster.url, "GET", "/metrics")).text;
  assert.match(
    text,
    new RegExp(`weir_vertex_current_watermark_milliseconds\\{job_id="${jobId}"[^}]*\\} \\d+`),
  );
  assert.match(
    text,
    new RegExp(`weir_task_current_watermark_milliseconds\\{job_id="${jobId}"[^}]*subtask="1"\\} \\d+`),
  );
  assert.equal((await rest(cluster.url, "PATCH", `/jobs/${jobId}?mode=cancel`)).status, 202);
});

test("metrics in Prometheus text format", async () => {
  const { status, text } = await get("/metrics");
  assert.equal(status, 200);
  assert.match(text, /^weir_taskmanagers 2$/m);
  assert.match(text, /^weir_slots_total 4$/m);
  assert.match(text, /^# TYPE weir_vertex_records_in_total counter$/m);
  assert.match(
    text,
    /^weir_vertex_records_in_total\{job_id="[a-f0-9]{32}",job_name="savepointed",vertex="1",vertex_name="Sequence checker"\} \d+$/m,
  );
  assert.match(
    text,
    /^weir_job_checkpoints_completed_total\{job_id="[a-f0-9]{32}",job_name="savepointed"\} [1-9]\d*$/m,
  );
  assert.match(text, /^process_resident_memory_bytes \d+$/m);
});

test("bad submissions are refused with an error naming the field", async () => {
  const cases: [unknown, RegExp][] = [
    [{ jobFile: JOB, paralelism: 2 }, /unknown field "paralelism"/],
    [{ jobFile: "relative/job.ts" }, /jobFile must be an absolute path/],
    [{ jobFile: "/etc/passwd" }, /jobFile must be an absolute path to a \.ts or \.js job module/],
    [{ jobFile: "/nonexistent/x.job.ts" }, /jobFile does not name a job module file/],
    [{ jobFile: JOB, parallelism: 0 }, /parallelism must be an integer from 1 to 1024/],
    [{ jobFile: JOB, artifactId: "x" }, /exactly one of jobFile/],
    [{ artifactId: "../../etc/passwd" }, /artifactId must be an id/],
    [{ jobFile: JOB, fromSavepoint: "../../../etc" }, /fromSavepoint must be the name of a savepoint/],
    [[1, 2], /must be a JSON object/],
  ];
  for (const [body, error] of cases) {
    const answer = await rest(cluster.url, "POST", "/jobs", { json: body });
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.equal(answer.body.errors.length, 1);
    assert.match(answer.body.errors[0], error);
  }
  const notJson = await rest(cluster.url, "POST", "/jobs", { body: "{", contentType: "application/json" });
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.errors[0], /not valid JSON/);
  const wrongType = await rest(cluster.url, "POST", "/jobs", { body: "x", contentType: "text/plain" });
  assert.equal(wrongType.status, 415);
  assert.equal((await get("/jobs/0123456789abcdef0123456789abcdef")).status, 404);
  assert.equal((await rest(cluster.url, "DELETE", "/jobs")).status, 405);
});
