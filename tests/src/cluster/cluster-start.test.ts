/**
 * `weir cluster start`: a JobManager and TaskManagers as child processes, the REST address printed,
 * and Ctrl-C stopping every process of the cluster.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ClusterProcesses, type Json, rest, waitFor } from "./cluster-processes.ts";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));
const weir = async (...args: string[]) =>
  (await promisify(execFile)(process.execPath, [WEIR, ...args])).stdout;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("weir cluster start runs a local cluster and stops it on Ctrl-C", async () => {
  const processes = new ClusterProcesses();
  try {
    const { child, logs } = processes.spawnWeir([
      "cluster",
      "start",
      "--taskmanagers",
      "2",
      "--slots",
      "3",
      "--rpc-port",
      "0",
      "--rest-port",
      "0",
    ]);
    const url = await waitFor(() => {
      for (const line of logs) {
        const match = /REST API at (http:\/\/\S+) /.exec(line);
        if (match !== null) return match[1]!;
      }
      if (child.exitCode !== null) throw new Error(logs.join("\n"));
      return undefined;
    }, 20_000);
    const tms = await waitFor(async () => {
      const list = (await rest(url, "GET", "/taskmanagers")).body.taskmanagers as Json[];
      return list.length === 2 ? list : undefined;
    }, 20_000);
    assert.deepEqual(tms.map((tm) => [tm.id, tm.slotsNumber]).sort(), [
      ["tm-1", 3],
      ["tm-2", 3],
    ]);
    const pids = tms.map((tm) => tm.pid as number);

    // weir jobs: submit, list and cancel through the API the server describes.
    const params = JSON.stringify({ count: 1_000_000, keys: 2, recordsPerSecond: 1_000, failAt: -1 });
    const jobId = (await weir("jobs", "submit", JOB, "--url", url, "-p", "2", "--params", params)).trim();
    assert.match(jobId, /^[a-f0-9]{32}$/);
    assert.match(
      await weir("jobs", "list", "--url", url),
      new RegExp(`^${jobId}  RUNNING      exactly-once$`, "m"),
    );
    assert.equal(await weir("jobs", "cancel", jobId, "--url", url), `cancelling ${jobId}\n`);
    await waitFor(
      async () => ((await rest(url, "GET", `/jobs/${jobId}`)).body.state === "CANCELED" ? true : undefined),
      10_000,
    );
    await assert.rejects(
      weir("jobs", "cancel", "not-a-job", "--url", url),
      /PATCH \/jobs\/not-a-job: 404 not found/,
    );
    assert.ok(pids.every(alive));
    const exited = once(child, "exit");
    child.kill("SIGINT");
    const [code] = (await exited) as [number];
    assert.equal(code, 0, logs.join("\n"));
    assert.deepEqual(pids.filter(alive), [], "every taskmanager stopped");
    await assert.rejects(fetch(`${url}/overview`), "the jobmanager stopped");
  } finally {
    await processes.stopAll();
  }
});
