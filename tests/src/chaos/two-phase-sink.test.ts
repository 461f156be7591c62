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

test("a transactional sink publishes every record exactly once across a failure and restore", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-2pc-"));
  try {
    const count = 8_000;
    const result = await runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params: { dir, count, failAt: 5_001, recordsPerSecond: 8_000 },
      checkpointing: { intervalMs: 50 },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    });
    assert.equal(result.restarts, 1);
    assert.ok(result.completedCheckpoints >= 2, `only ${result.completedCheckpoints} checkpoints completed`);
    const files = readdirSync(dir);
    assert.ok(
      files.some((f) => f.includes("-0-")) && files.some((f) => f.includes("-1-")),
      "both attempts published",
    );
    const published = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as number[]);
    const seen = new Map<number, number>();
    for (const n of published) seen.set(n, (seen.get(n) ?? 0) + 1);
    const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    assert.deepEqual(duplicates.slice(0, 10), [], "no record published twice");
    assert.equal(seen.size, count, "every record published");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
