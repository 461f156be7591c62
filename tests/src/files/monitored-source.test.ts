/**
 * The continuously monitored file source end to end: files published into the directory while
 * the job runs are read, and after a failure and restore every number of every file reaches the
 * exactly-once file sink exactly once — no file is read twice, none is skipped.
 */

import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import type { MonitoredFilesJobParams } from "../jobs/monitored-files.job.ts";

const JOB = new URL("../jobs/monitored-files.job.ts", import.meta.url);
const FILES = 8;
const PER_FILE = 250;

/** How many times each number appears in the committed (visible) output files. */
function committed(output: string): Map<number, number> {
  const seen = new Map<number, number>();
  if (!existsSync(output)) return seen;
  for (const file of readdirSync(output)) {
    if (file.startsWith(".")) continue;
    for (const line of readFileSync(join(output, file), "utf8").split("\n")) {
      if (line === "") continue;
      const n = JSON.parse(line) as number;
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
  }
  return seen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runMonitored(failAt: number) {
  const dir = mkdtempSync(join(tmpdir(), "weir-monitored-"));
  const input = join(dir, "in");
  const output = join(dir, "out");
  mkdirSync(join(input, "day=1"), { recursive: true });
  const params: MonitoredFilesJobParams = {
    input,
    output,
    monitorIntervalMs: 25,
    failAt,
    marker: join(dir, "failed"),
  };
  const publish = (k: number) => {
    const numbers = Array.from({ length: PER_FILE }, (_, i) => k * PER_FILE + i);
    // Written hidden, then renamed into place: a monitored directory must see whole files.
    const hidden = join(input, "day=1", `.f${k}.tmp`);
    writeFileSync(hidden, `${numbers.join("\n")}\n`);
    renameSync(hidden, join(input, "day=1", `f${k}.txt`));
  };
  publish(0);
  const abort = new AbortController();
  let checkpointsBeforeFailure = 0;
  let checkpoints = 0;
  const job = runJob(JOB, {
    onCheckpoint: () => {
      checkpoints++;
      if (!existsSync(params.marker)) checkpointsBeforeFailure++;
    },
    parallelism: 2,
    batchSize: 32,
    params,
    checkpointing: { intervalMs: 40, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    signal: abort.signal,
  });
  const outcome = job.then(
    () => "finished",
    (error: Error) => error,
  );
  try {
    // Files appear once the job runs (its first checkpoint), so they are found by periodic scans.
    while (checkpoints === 0) {
      const early = await Promise.race([outcome, sleep(20).then(() => null)]);
      if (early !== null) throw early instanceof Error ? early : new Error(`the job ${early} on its own`);
    }
    for (let k = 1; k < FILES; k++) {
      await sleep(60);
      publish(k);
    }
    const deadline = Date.now() + 20_000;
    while (committed(output).size < FILES * PER_FILE && Date.now() < deadline) {
      const early = await Promise.race([outcome, sleep(50).then(() => null)]);
      if (early !== null) throw early instanceof Error ? early : new Error(`the job ${early} on its own`);
    }
    // A little longer: a duplicate from a re-read file would be committed by now too.
    await sleep(300);
    return { seen: committed(output), failed: existsSync(params.marker), checkpointsBeforeFailure };
  } finally {
    abort.abort();
    await outcome;
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertExactlyOnce(seen: Map<number, number>): void {
  const missing: number[] = [];
  for (let n = 0; n < FILES * PER_FILE; n++) if (!seen.has(n)) missing.push(n);
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} numbers never arrived`);
  const twice = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
  assert.deepEqual(twice.slice(0, 10), [], `${twice.length} numbers arrived more than once`);
  assert.equal(seen.size, FILES * PER_FILE);
}

test("files published while the job runs are all read, each once", async () => {
  const { seen, failed } = await runMonitored(-1);
  assert.equal(failed, false);
  assertExactlyOnce(seen);
});

test("after a failure and restore no file is read twice and none is skipped", async () => {
  const { seen, failed, checkpointsBeforeFailure } = await runMonitored(6 * PER_FILE + 17);
  assert.equal(failed, true, "the failure was injected");
  // Restored from a checkpoint with files already read: a re-scan from scratch would duplicate them.
  assert.ok(checkpointsBeforeFailure >= 2, `${checkpointsBeforeFailure} checkpoints before the failure`);
  assertExactlyOnce(seen);
});
