/**
 * End-to-end exactly-once through the file sink: part files become visible only when the
 * checkpoint covering them completes; after a failure and restore, the visible files across all
 * buckets hold every record exactly once, while what the failed attempt wrote after its last
 * completed checkpoint stays hidden.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import type { FileSinkJobParams, Row } from "../jobs/file-sink.job.ts";

const JOB = new URL("../jobs/file-sink.job.ts", import.meta.url);
const PART = /^part-(\d+)-(\d+)-(\d+)\.(jsonl|csv)$/;

/** Files under `dir`, relative paths, recursively, hidden ones included. */
function allFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    return e.isDirectory() ? allFiles(dir, rel) : [rel];
  });
}

const isVisible = (rel: string) => rel.split("/").every((segment) => !segment.startsWith("."));

test("the file sink makes every record visible exactly once across a failure and restore", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-file-sink-"));
  try {
    const params: FileSinkJobParams = {
      dir,
      count: 8_000,
      format: "jsonl",
      failAt: 5_001,
      recordsPerSecond: 8_000,
      // The failing branch lags, so it has not acknowledged the pending checkpoint when it fails.
      slowMs: 0.3,
      // No rolling: the job recognises a pending checkpoint by two hidden parts of one writer.
      maxRecordsPerPart: 1_000_000,
    };
    const result = await runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params,
      checkpointing: { intervalMs: 50, storage: { kind: "memory" } },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    });
    assert.equal(result.restarts, 1, "the failure struck once, while a checkpoint was pending");
    const hidden = allFiles(dir).filter((f) => !isVisible(f));
    assert.ok(
      hidden.some((f) => /\/\.part-\d+-0-\d+\.inprogress$/.test(f)),
      "the failed attempt left hidden parts behind",
    );
    assert.ok(result.completedCheckpoints >= 2, `only ${result.completedCheckpoints} checkpoints completed`);
    const files = allFiles(dir).filter(isVisible);
    assert.deepEqual(
      files.filter((f) => !PART.test(f.split("/").at(-1)!)),
      [],
      "only part files are visible",
    );
    const attempts = new Set(files.map((f) => PART.exec(f.split("/").at(-1)!)![2]));
    assert.deepEqual([...attempts].sort(), ["0", "1"], "both attempts committed parts");
    const seen = new Map<number, number>();
    for (const file of files) {
      const bucket = file.split("/")[0];
      const lines = readFileSync(join(dir, file), "utf8").split("\n");
      assert.equal(lines.pop(), "", `${file} ends with a complete line`);
      assert.ok(lines.length > 0, `${file} is not empty`);
      for (const line of lines) {
        const row = JSON.parse(line) as Row;
        assert.equal(bucket, `mod=${row.n % 3}`, `${row.n} is in its bucket`);
        seen.set(row.n, (seen.get(row.n) ?? 0) + 1);
      }
    }
    const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    assert.deepEqual(duplicates.slice(0, 10), [], "no record visible twice");
    assert.equal(seen.size, params.count, "every record visible");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without failures the file sink writes the expected CSV parts, in order per bucket", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-file-sink-"));
  try {
    const params: FileSinkJobParams = {
      dir,
      count: 3_000,
      format: "csv",
      failAt: -1,
      recordsPerSecond: 20_000,
      slowMs: 0,
      maxRecordsPerPart: 400,
    };
    const result = await runJob(JOB, {
      parallelism: 1,
      batchSize: 64,
      params,
      checkpointing: { intervalMs: 50, storage: { kind: "memory" } },
    });
    assert.equal(result.restarts, 0);
    const files = allFiles(dir);
    assert.deepEqual(
      files.filter((f) => !isVisible(f)),
      [],
      "nothing left hidden",
    );
    const buckets = [...new Set(files.map((f) => f.split("/")[0]))].sort();
    assert.deepEqual(buckets, ["mod=0", "mod=1", "mod=2"]);
    for (const [b, bucket] of buckets.entries()) {
      const parts = files
        .filter((f) => f.startsWith(`${bucket}/`))
        .map((f) => ({ f, match: PART.exec(f.slice(bucket.length + 1))! }))
        .sort((x, y) => Number(x.match[3]) - Number(y.match[3]));
      for (const { f, match } of parts) {
        assert.deepEqual([match[1], match[2], match[4]], ["0", "0", "csv"], f);
        const rows = readFileSync(join(dir, f), "utf8").split("\r\n").length - 1;
        assert.ok(rows > 0 && rows <= params.maxRecordsPerPart, `${f} holds ${rows} rows`);
      }
      let expected = "";
      for (let n = b; n < params.count; n += 3) expected += `${n},"row ""${n}"", ok"\r\n`;
      const actual = parts.map(({ f }) => readFileSync(join(dir, f), "utf8")).join("");
      assert.equal(actual, expected, `the parts of ${bucket}, in order, hold its rows`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
