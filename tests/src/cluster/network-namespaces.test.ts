/**
 * The cluster across network namespaces: the JobManager in the host namespace, each TaskManager in
 * its own namespace (`ip netns`) joined by veth pairs to a bridge, so every RPC and data connection
 * crosses a real network interface (no loopback between TaskManagers). Runs the exactly-once job
 * across them, then cuts one namespace's link: the connection does not close, so only missing
 * heartbeats reveal the loss; when the link returns, the TaskManager registers again and the job
 * finishes from its latest checkpoint, exactly once.
 *
 * Needs root (to create namespaces); skipped otherwise.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";
import { ClusterProcesses, type Json, rest, waitFor } from "./cluster-processes.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));
const BRIDGE = `weirbr${process.pid % 1000}`;
const PREFIX = `weir${process.pid % 1000}`;
const SUBNET = `10.231.${process.pid % 200}`;
const SECRET = "netns-cluster-secret-0123456789";

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" }).toString();

function namespacesAvailable(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root to create network namespaces";
  try {
    ip("netns", "add", `${PREFIX}-probe`);
    ip("netns", "del", `${PREFIX}-probe`);
    return undefined;
  } catch (error) {
    return `ip netns is not usable here: ${String(error)}`;
  }
}

function setUp(count: number): void {
  ip("link", "add", BRIDGE, "type", "bridge");
  ip("addr", "add", `${SUBNET}.1/24`, "dev", BRIDGE);
  ip("link", "set", BRIDGE, "up");
  for (let i = 1; i <= count; i++) {
    const ns = `${PREFIX}-tm${i}`;
    ip("netns", "add", ns);
    ip("link", "add", `${PREFIX}v${i}`, "type", "veth", "peer", "name", `${PREFIX}p${i}`);
    ip("link", "set", `${PREFIX}v${i}`, "master", BRIDGE);
    ip("link", "set", `${PREFIX}v${i}`, "up");
    ip("link", "set", `${PREFIX}p${i}`, "netns", ns);
    ip("-n", ns, "addr", "add", `${SUBNET}.${10 + i}/24`, "dev", `${PREFIX}p${i}`);
    ip("-n", ns, "link", "set", `${PREFIX}p${i}`, "up");
    ip("-n", ns, "link", "set", "lo", "up");
  }
}

function tearDown(count: number): void {
  for (let i = 1; i <= count; i++) {
    try {
      ip("netns", "del", `${PREFIX}-tm${i}`);
    } catch {}
    try {
      ip("link", "del", `${PREFIX}v${i}`);
    } catch {}
  }
  try {
    ip("link", "del", BRIDGE);
  } catch {}
}

test("taskmanagers in separate network namespaces run a job exactly once and survive a cut link", async (t) => {
  const unavailable = namespacesAvailable();
  if (unavailable !== undefined) {
    t.skip(unavailable);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "weir-netns-"));
  const cluster = new ClusterProcesses();
  setUp(2);
  try {
    const jm = await cluster.startJobManager(
      [
        "--bind",
        `${SUBNET}.1`,
        "--rest-bind",
        "127.0.0.1",
        "--checkpoint-dir",
        dir,
        "--heartbeat-interval",
        "200",
        "--heartbeat-timeout",
        "1500",
        "--metrics-interval",
        "50",
      ],
      { WEIR_CLUSTER_SECRET: SECRET },
    );
    const tmLogs: string[][] = [];
    for (let i = 1; i <= 2; i++)
      tmLogs[i] = cluster.spawnWeir(
        [
          "taskmanager",
          "--jobmanager",
          `${SUBNET}.1:${jm.rpcPort}`,
          "--slots",
          "2",
          "--id",
          `tm-ns${i}`,
          "--bind",
          `${SUBNET}.${10 + i}`,
        ],
        { WEIR_CLUSTER_SECRET: SECRET },
        ["ip", "netns", "exec", `${PREFIX}-tm${i}`],
      ).logs;
    const tms = await waitFor(async () => {
      const list = (await rest(jm.restUrl, "GET", "/taskmanagers")).body.taskmanagers as Json[];
      return list.length === 2 ? list : undefined;
    }, 20_000);
    assert.deepEqual(tms.map((tm) => tm.dataHost).sort(), [`${SUBNET}.11`, `${SUBNET}.12`]);

    const params: ExactlyOnceParams = { count: 24_000, keys: 8, recordsPerSecond: 8_000, failAt: -1 };
    const submitted = await rest(jm.restUrl, "POST", "/jobs", {
      json: {
        jobFile: JOB,
        parallelism: 4,
        params,
        checkpointIntervalMs: 100,
        restartAttempts: 5,
        restartDelayMs: 100,
      },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    const details = async () => (await rest(jm.restUrl, "GET", `/jobs/${jobId}`)).body;
    await waitFor(async () => {
      const d = await details();
      const checkpoints = (await rest(jm.restUrl, "GET", `/jobs/${jobId}/checkpoints`)).body;
      return d.vertices[1].metrics["read-records"] > 0 && checkpoints.counts.completed >= 2
        ? true
        : undefined;
    }, 20_000);
    assert.equal((await details()).taskmanagers.length, 2, "the job spans both namespaces");

    // Cut tm-ns2's link: nothing closes, heartbeats stop.
    const cutAt = Date.now();
    ip("link", "set", `${PREFIX}v2`, "down");
    await waitFor(async () => {
      const list = (await rest(jm.restUrl, "GET", "/taskmanagers")).body.taskmanagers as Json[];
      return list.length === 1 ? true : undefined;
    }, 10_000);
    const detectedMs = Date.now() - cutAt;
    console.log(`cut link noticed after ${detectedMs} ms (heartbeat timeout 1500 ms)`);
    assert.ok(detectedMs < 3_000);
    // The cut-off TaskManager notices the silence too and stops its slots.
    await waitFor(
      () => (tmLogs[2]!.some((line) => line.includes("no answer from the jobmanager")) ? true : undefined),
      5_000,
    );
    ip("link", "set", `${PREFIX}v2`, "up");

    const result = await waitFor(
      async () => {
        const r = await rest(jm.restUrl, "GET", `/jobs/${jobId}/execution-result`);
        return r.body.status.id === "COMPLETED" ? r.body : undefined;
      },
      60_000,
      100,
    );
    const exceptions = (await rest(jm.restUrl, "GET", `/jobs/${jobId}/exceptions`)).body.exceptionHistory
      .entries as Json[];
    assert.equal(result.state, "FINISHED", exceptions.map((e) => e.message).join("\n"));
    assert.ok(result["job-execution-result"].restarts >= 1);
    const reports = result["job-execution-result"].collected.reports as Json[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
    );
    const perKey = params.count / params.keys;
    assert.deepEqual(
      reports
        .filter((r) => r.kind === "final")
        .map((r) => [r.key, r.count, r.last])
        .sort((a, b) => a[0] - b[0]),
      Array.from({ length: params.keys }, (_, key) => [key, perKey, perKey - 1]),
    );
  } finally {
    await cluster.stopAll();
    tearDown(2);
    rmSync(dir, { recursive: true, force: true });
  }
});
