/**
 * End-to-end exactly-once through a two-phase-commit sink: records are published only when the
 * checkpoint covering them completes; after a failure and restore, nothing published is repeated
 * and nothing is missing.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runJob } from "@weir/runtime";

const JOB = new URL("../jobs/two-phase-sink.job.ts", import.meta.url);

/** Runs the job with one injected failure at `failAt`; asserts every record published exactly once. */
async function runOnce(dirPrefix: string, count: number, failAt: number, recordsPerSecond: number) {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  try {
    const result = await runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params: { dir, count, failAt, recordsPerSecond },
      checkpointing: { intervalMs: 50 },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    });
    assert.equal(result.restarts, 1);
    const files = readdirSync(dir);
    const published = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as number[]);
    const seen = new Map<number, number>();
    for (const n of published) seen.set(n, (seen.get(n) ?? 0) + 1);
    const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    assert.deepEqual(duplicates.slice(0, 10), [], `no record published twice (${duplicates.length} were)`);
    assert.equal(seen.size, count, "every record published");
    return { result, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a transactional sink publishes every record exactly once across a failure and restore", async () => {
  const { result, files } = await runOnce("weir-2pc-", 8_000, 5_001, 8_000);
  assert.ok(result.completedCheckpoints >= 2, `only ${result.completedCheckpoints} checkpoints completed`);
  assert.ok(
    files.some((f) => f.includes("-0-")) && files.some((f) => f.includes("-1-")),
    "both attempts published",
  );
});

test("a failure after the sink's input ended publishes nothing twice (the final commit waits for a final checkpoint)", async () => {
  // The slow branch fails on the last record it sees: by then the source has ended and the sink
  // branch has long finished its input, so a sink that committed at its end would publish the
  // records after the restored checkpoint a second time.
  const count = 4_000;
  await runOnce("weir-2pc-final-", count, count - 1, 20_000);
});

test("after a bounded branch ends, checkpoints go on and its sink commits its last records with one", {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-2pc-ended-"));
  const count = 2_000;
  const controller = new AbortController();
  const completedAt: number[] = [];
  let allPublishedAt: number | undefined;
  const published = () =>
    readdirSync(dir).flatMap((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as number[]);
  try {
    const run = runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params: { dir, count, failAt: -1, recordsPerSecond: 20_000, layout: "bounded-beside-unbounded" },
      checkpointing: { intervalMs: 50 },
      signal: controller.signal,
      onCheckpoint: () => {
        completedAt.push(Date.now());
        if (allPublishedAt === undefined && published().length === count) allPublishedAt = Date.now();
        // Three more checkpoints after the ended sink published everything: checkpointing goes on.
        if (allPublishedAt !== undefined && completedAt.filter((t) => t > allPublishedAt!).length >= 3)
          controller.abort();
      },
    });
    await assert.rejects(run, /cancel/i, "the endless branch runs until cancelled");
    assert.ok(allPublishedAt !== undefined, "the ended sink published its records while the job ran");
    const seen = new Set(published());
    assert.equal(published().length, count, "each record once");
    assert.equal(seen.size, count);
  } finally {
    controller.abort();
    rmSync(dir, { recursive: true, force: true });
  }
});
