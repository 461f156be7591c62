/**
 * `weir nexmark`: bad flags get clear errors; the generator and the DataStream q5 run and report
 * the shared benchmark shape, whose figures are consistent with each other. Runs the real binary.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));

function weir(...args: string[]) {
  const run = spawnSync(process.execPath, [WEIR, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("bad input: missing or unknown query, bad numbers, a DataStream query that does not exist", () => {
  const cases: [string[], RegExp][] = [
    [["nexmark"], /missing --query/],
    [["nexmark", "--query", "q99"], /unknown query "q99"/],
    [["nexmark", "--query", "q1", "--events", "0"], /--events must be an integer of at least 1, got "0"/],
    [["nexmark", "--query", "q1", "--events", "1e6"], /--events must be an integer/],
    [["nexmark", "--query", "q1", "--api", "flink"], /--api must be sql or datastream/],
    [["nexmark", "--query", "q1", "--api", "datastream"], /--api datastream has q5 and q7 only, not q1/],
  ];
  for (const [args, message] of cases) {
    const run = weir(...args);
    assert.equal(run.code, 2, `${args.join(" ")} exits with 2`);
    assert.match(run.stderr, message);
  }
});

test("--json prints the shared benchmark shape plus the query, with consistent figures", () => {
  for (const args of [
    ["--query", "generator"],
    ["--query", "q5", "--api", "datastream"],
  ]) {
    const run = weir("nexmark", ...args, "--events", "20000", "--rate", "1000", "-p", "2", "--json");
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim()) as Record<string, number | string>;
    assert.deepEqual(Object.keys(result), [
      "name",
      "events",
      "seconds",
      "events_per_second",
      "cores",
      "events_per_second_per_core",
      "query",
    ]);
    assert.equal(result.events, 20_000);
    assert.equal(result.query, args[1]);
    const [seconds, perSecond, cores, perCore] = [
      result.seconds as number,
      result.events_per_second as number,
      result.cores as number,
      result.events_per_second_per_core as number,
    ];
    assert.ok(Math.abs(perSecond - 20_000 / seconds) <= 1, "events/s = events / seconds");
    assert.ok(
      cores > 0 && Math.abs(perCore - perSecond / cores) / perCore < 0.01,
      "per core = events/s / cores",
    );
  }
});
