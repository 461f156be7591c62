/**
 * `'source.monitor-interval'` end to end through the SQL connector: a partitioned JSON-lines
 * table whose directory receives files while the job runs is copied, continuously, into a Parquet
 * table; every row of every file arrives once, with its partition value.
 */

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runJob } from "@weir/runtime";
import type { LogicalType, ResolvedTable } from "@weir/sql";
import { ParquetFormat } from "../parquet/parquet-format.ts";
import type { FileSplit } from "../source/file-split.ts";

const PROBE = new URL("./filesystem-probe.job.ts", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "weir-fs-monitor-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const BIGINT: LogicalType = { kind: "BIGINT", nullable: true };
const STRING: LogicalType = { kind: "VARCHAR", length: 2147483647, nullable: true };

function table(name: string, options: Record<string, string>): ResolvedTable {
  return {
    kind: "table",
    name,
    columns: [
      { kind: "physical", name: "id", type: BIGINT },
      { kind: "physical", name: "dt", type: STRING },
    ],
    watermark: null,
    primaryKey: null,
    partitionKeys: ["dt"],
    options: { connector: "filesystem", ...options },
    temporary: false,
  };
}

/** The (id, dt) rows of the committed Parquet parts under `root`. */
async function committedRows(root: string): Promise<[bigint, string][]> {
  const rows: [bigint, string][] = [];
  if (!existsSync(root)) return rows;
  const decoder = ParquetFormat.reader({ id: "BIGINT" }).createDecoder();
  for (const partition of readdirSync(root)) {
    for (const file of readdirSync(join(root, partition))) {
      if (file.startsWith(".")) continue;
      const path = join(root, partition, file);
      const split: FileSplit = {
        splitId: path,
        path,
        partition: [],
        size: 0,
        modified: 0,
        start: 0,
        end: Number.POSITIVE_INFINITY,
        position: 0,
        line: null,
      };
      for (let row = 0; ; ) {
        const batch = await decoder.read(split, row);
        for (const r of batch.records) rows.push([r.id as bigint, partition.slice("dt=".length)]);
        if (batch.done) break;
        row = batch.nextRow;
      }
    }
  }
  return rows.sort((a, b) => Number(a[0] - b[0]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a monitored table reads the files that appear while the job runs, each once", async () => {
  const input = join(dir, "in");
  const output = join(dir, "out");
  mkdirSync(join(input, "dt=a"), { recursive: true });
  mkdirSync(join(input, "dt=b"), { recursive: true });
  const publish = (k: number) => {
    const partition = k % 2 === 0 ? "dt=a" : "dt=b";
    const hidden = join(input, partition, `.f${k}.tmp`);
    writeFileSync(hidden, [0, 1, 2].map((i) => `{"id": ${k * 3 + i}}\n`).join(""));
    renameSync(hidden, join(input, partition, `f${k}.json`));
  };
  publish(0);
  let checkpoints = 0;
  const abort = new AbortController();
  const job = runJob(PROBE, {
    params: {
      table: table("src", { path: input, format: "json", "source.monitor-interval": "20 ms" }),
      copyTo: table("dst", { path: output, format: "parquet" }),
    },
    checkpointing: { intervalMs: 40, storage: { kind: "memory" } },
    onCheckpoint: () => {
      checkpoints++;
    },
    signal: abort.signal,
  }).then(
    () => new Error("the job ended on its own"),
    (error: Error) => error,
  );
  const expected: [bigint, string][] = Array.from({ length: 18 }, (_, n) => [
    BigInt(n),
    Math.floor(n / 3) % 2 === 0 ? "a" : "b",
  ]);
  try {
    const deadline = Date.now() + 20_000;
    while (checkpoints === 0 && Date.now() < deadline) await sleep(20);
    for (let k = 1; k < 6; k++) {
      await sleep(50);
      publish(k);
    }
    let rows: [bigint, string][] = [];
    while (Date.now() < deadline) {
      rows = await committedRows(output);
      if (rows.length >= expected.length) break;
      await sleep(50);
    }
    await sleep(200);
    assert.deepEqual(await committedRows(output), expected);
  } finally {
    abort.abort();
    const outcome = await job;
    assert.match(outcome.message, /cancel/i);
  }
});
