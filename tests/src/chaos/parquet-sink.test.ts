/**
 * End-to-end exactly-once through the file sink with Parquet, a bulk format: after a failure
 * while a checkpoint is pre-committed but not complete, the visible Parquet files — read back by
 * DuckDB, an independent reader — hold every record exactly once, each file complete.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { runJob } from "@weir/runtime";
import type { ParquetSinkJobParams } from "../jobs/parquet-sink.job.ts";

const JOB = new URL("../jobs/parquet-sink.job.ts", import.meta.url);

function allFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    return e.isDirectory() ? allFiles(dir, rel) : [rel];
  });
}

test("the Parquet file sink makes every record visible exactly once across a failure and restore", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-parquet-sink-"));
  const duckdb = await DuckDBInstance.create(":memory:");
  try {
    const params: ParquetSinkJobParams = {
      dir,
      count: 6_000,
      failAt: 3_001,
      recordsPerSecond: 8_000,
      slowMs: 0.3,
    };
    const result = await runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params,
      checkpointing: { intervalMs: 50, storage: { kind: "memory" } },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    });
    assert.equal(result.restarts, 1, "the failure struck once, while a checkpoint was pending");
    const files = allFiles(dir);
    assert.ok(
      files.some((f) => /\/\.part-\d+-0-\d+\.inprogress$/.test(f)),
      "the failed attempt left hidden parts behind",
    );
    const visible = files.filter((f) => f.split("/").every((s) => !s.startsWith(".")));
    assert.ok(visible.length > 0);
    assert.ok(
      visible.every((f) => /^mod=[012]\/part-\d+-[01]-\d+\.parquet$/.test(f)),
      visible.join(" "),
    );
    const connection = await duckdb.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS rows, count(DISTINCT n)::INTEGER AS distinct_n, min(n)::INTEGER AS lo,
                max(n)::INTEGER AS hi, count(*) FILTER (WHERE mod::INTEGER <> n % 3)::INTEGER AS misplaced,
                count(*) FILTER (WHERE label <> 'row ' || n)::INTEGER AS mislabeled
         FROM read_parquet('${dir}/*/*.parquet', hive_partitioning = true)`,
      );
      assert.deepEqual(reader.getRowObjectsJson(), [
        {
          rows: params.count,
          distinct_n: params.count,
          lo: 0,
          hi: params.count - 1,
          misplaced: 0,
          mislabeled: 0,
        },
      ]);
    } finally {
      connection.closeSync();
    }
  } finally {
    duckdb.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});
