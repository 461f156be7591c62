/**
 * Region failover on the local cluster: in an embarrassingly parallel job (forward edges only, three
 * pipelines) a failing task restarts its own pipeline only — the other two keep their first
 * attempt and their progress — and the output is still exactly-once; with a keyBy the job is one
 * region and a failure restarts every task, as does the `full` strategy.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type FailoverStrategy, runJob } from "@weir/runtime";
import { type RegionFailoverParams, SEEN, type Seen } from "./region-failover.job.ts";
import { assertExactlyOnce } from "./region-failover-checks.ts";

const JOB = new URL("./region-failover.job.ts", import.meta.url);

async function run(params: RegionFailoverParams, failoverStrategy?: FailoverStrategy) {
  const log: string[] = [];
  const result = await runJob(JOB, {
    parallelism: 3,
    batchSize: 32,
    params,
    checkpointing: { intervalMs: 40, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 10 },
    ...(failoverStrategy === undefined ? {} : { failoverStrategy }),
    log: (line) => log.push(line),
  });
  const seen = result.collected(SEEN);
  return { result, seen, log };
}

/** Attempt numbers seen per subtask. */
function attemptsBySubtask(seen: readonly Seen[]): Map<number, Set<number>> {
  const attempts = new Map<number, Set<number>>();
  for (const s of seen) {
    const set = attempts.get(s.subtask) ?? new Set();
    set.add(s.attempt);
    attempts.set(s.subtask, set);
  }
  return attempts;
}

const PARAMS = { count: 6_000, recordsPerSecond: 6_000, failAt: 3_001 } as const;

test("a failure in one of three forward pipelines restarts that pipeline only, exactly once", async () => {
  // Paced to last about 3 s, so the other pipelines are still running (checkpoints need every task)
  // for a while after the region is back, even on a loaded machine.
  const { result, seen, log } = await run({ ...PARAMS, recordsPerSecond: 2_000, keyed: false });
  assertExactlyOnce(seen, PARAMS.count);
  assert.equal(result.restarts, 1);
  const attempts = attemptsBySubtask(seen);
  // failAt = 3001 is emitted by subtask 1 (3001 mod 3).
  assert.deepEqual([...attempts.get(0)!], [0], "pipeline 0 never restarted");
  assert.deepEqual([...attempts.get(2)!], [0], "pipeline 2 never restarted");
  assert.ok(attempts.get(1)!.has(1), "pipeline 1 ran a second attempt");
  assert.ok(
    log.some((line) =>
      /restarting region of \d+ task\(s\) in slot\(s\) 1 .*the other tasks keep running/.test(line),
    ),
    log.join("\n"),
  );
  assert.ok(!log.some((line) => /restarting job/.test(line)), "no full restart");
  assert.ok(
    log.some((line) => /checkpoint \d+ completed/.test(line.split("restarting region")[0] ?? "")),
    "checkpoints completed",
  );
  // Checkpointing resumed over the whole job after the region came back.
  const regionAt = log.findIndex((line) => line.includes("restarting region"));
  assert.ok(
    log.slice(regionAt + 1).some((line) => /checkpoint \d+ completed/.test(line)),
    "a checkpoint completed after the region restart",
  );
});

test("with a keyBy the job is one region: a failure restarts every task, exactly once", async () => {
  const { result, seen, log } = await run({ ...PARAMS, keyed: true });
  assertExactlyOnce(seen, PARAMS.count);
  assert.equal(result.restarts, 1);
  for (const [subtask, attempts] of attemptsBySubtask(seen))
    assert.ok(attempts.has(1), `checker ${subtask} ran a second attempt`);
  assert.ok(
    log.some((line) => /restarting job "region-failover" \(attempt 1\)/.test(line)),
    log.join("\n"),
  );
  assert.ok(!log.some((line) => line.includes("restarting region")));
});

test("the full strategy restarts every pipeline of a forward-only job", async () => {
  const { seen, log } = await run({ ...PARAMS, keyed: false }, "full");
  assertExactlyOnce(seen, PARAMS.count);
  for (const [subtask, attempts] of attemptsBySubtask(seen))
    assert.ok(attempts.has(1), `pipeline ${subtask} ran a second attempt`);
  assert.ok(!log.some((line) => line.includes("restarting region")));
});

test("an unknown failover strategy is refused", async () => {
  await assert.rejects(
    runJob(JOB, {
      parallelism: 1,
      params: { ...PARAMS, keyed: false },
      failoverStrategy: "regional" as FailoverStrategy,
    }),
    /unknown failover strategy "regional"; expected "region" or "full"/,
  );
});

test("a two-phase-commit sink in a restarted region publishes every record exactly once; others keep their transactions", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-region-2pc-"));
  try {
    const count = 9_000;
    const log: string[] = [];
    const result = await runJob(new URL("../jobs/two-phase-sink.job.ts", import.meta.url), {
      parallelism: 3,
      batchSize: 32,
      // 4501 is emitted by pipeline 1 (4501 mod 3), 0.75 s in: after several checkpoints.
      params: { dir, count, failAt: 4_501, recordsPerSecond: 6_000, layout: "pipelines" },
      checkpointing: { intervalMs: 40, storage: { kind: "memory" } },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 10 },
      log: (line) => log.push(line),
    });
    assert.equal(result.restarts, 1);
    assert.ok(
      log.some((line) => /restarting region of \d+ task\(s\) in slot\(s\) 1 /.test(line)),
      log.join("\n"),
    );
    const files = readdirSync(dir);
    const attempts = new Set(files.map((f) => f.split("-").slice(0, 2).join("-")));
    assert.deepEqual(
      [...attempts].sort(),
      ["0-0", "1-0", "1-1", "2-0"],
      "only pipeline 1 ran a second attempt",
    );
    const seen = new Map<number, number>();
    for (const f of files)
      for (const n of JSON.parse(readFileSync(join(dir, f), "utf8")) as number[])
        seen.set(n, (seen.get(n) ?? 0) + 1);
    const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    assert.deepEqual(duplicates.slice(0, 10), [], "no record published twice");
    assert.equal(seen.size, count, "every record published");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
