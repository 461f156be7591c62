/**
 * The benchmark result shape and the cores computation, on synthetic figures and on tiny real runs
 * (10 000 events) of both benchmarks in their verifying variants, plus the `--json` command line.
 * Cheap enough for CI: no timing assertions, only consistency of the reported figures.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type BenchmarkResult, computeResult, timeRun, toJsonLine } from "@weir/runtime";
import { runBenchmark } from "./benchmark.ts";
import { chainedMapFilter } from "./benchmarks/chained-map-filter.ts";
import { keyedCountExchange } from "./benchmarks/keyed-count-exchange.ts";

const FIELDS = ["name", "events", "seconds", "events_per_second", "cores", "events_per_second_per_core"];
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

function assertClose(actual: number, expected: number, relative: number, what: string): void {
  const tolerance = Math.abs(expected) * relative + 1;
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${relative * 100}% of ${expected}`,
  );
}

/** The figures of a result agree with each other (up to the documented rounding). */
function assertConsistent(result: BenchmarkResult, cpuSeconds: number): void {
  assert.ok(result.seconds > 0, "seconds > 0");
  assertClose(result.events_per_second, result.events / result.seconds, 1e-3, "events_per_second");
  assertClose(result.cores, cpuSeconds / result.seconds, 1e-3, "cores");
  assert.ok(result.cores > 0, `cores > 0, got ${result.cores}`);
  // CPU time cannot exceed wall time on every CPU this process may use (plus clock granularity).
  assert.ok(result.cores <= availableParallelism() * 1.05 + 0.05, `cores ${result.cores} exceeds the CPUs`);
  assertClose(
    result.events_per_second_per_core,
    result.events / cpuSeconds,
    1e-3,
    "events_per_second_per_core",
  );
}

describe("computeResult", () => {
  test("derives events/s, cores and events/s per core from events, wall and CPU seconds", () => {
    // 3 CPU seconds in 2 wall seconds: 1.5 cores; 6 M events -> 3 M/s, 2 M/s per core.
    assert.deepEqual(computeResult("x", 6_000_000, 2, 3), {
      name: "x",
      events: 6_000_000,
      seconds: 2,
      events_per_second: 3_000_000,
      cores: 1.5,
      events_per_second_per_core: 2_000_000,
    });
  });

  test("an idle process (less than one core busy) gets more events per core than per second", () => {
    const result = computeResult("idle", 1000, 4, 1);
    assert.equal(result.cores, 0.25);
    assert.equal(result.events_per_second, 250);
    assert.equal(result.events_per_second_per_core, 1000);
  });

  test("rejects a zero wall time instead of reporting Infinity", () => {
    assert.throws(() => computeResult("x", 1, 0, 0), RangeError);
  });

  test("toJsonLine writes exactly the documented fields, in order, on one line", () => {
    const line = toJsonLine(computeResult("x", 10, 0.5, 0.25));
    assert.ok(!line.includes("\n"));
    assert.deepEqual(Object.keys(JSON.parse(line)), FIELDS);
  });
});

describe("timeRun", () => {
  test("counts the CPU time spent while the run is pending", async () => {
    // Busy until the process has used 50 ms of CPU (by wall time alone, a loaded machine would
    // give it less): the measured CPU time must include it, and the measured wall time cannot be
    // shorter than the busy loop's own. (Process CPU counts every thread — the compiler's and the
    // collector's too — so it can pass 50 ms in less than 50 ms of wall time.)
    let loopWallMs = 0;
    const timed = await timeRun(async () => {
      const start = process.cpuUsage();
      const wallStart = performance.now();
      for (;;) {
        const used = process.cpuUsage(start);
        if (used.user + used.system >= 50_000) break;
      }
      loopWallMs = performance.now() - wallStart;
      return "done";
    });
    assert.equal(timed.value, "done");
    assert.ok(timed.cpuSeconds >= 0.05, `cpu ${timed.cpuSeconds}`);
    assert.ok(
      timed.wallSeconds * 1000 >= loopWallMs - 0.5,
      `wall ${timed.wallSeconds} s, loop ${loopWallMs} ms`,
    );
  });
});

describe("tiny runs (verifying variants)", () => {
  test("chained-map-filter: every record that passes the filter reaches the end, once", async () => {
    const events = 10_000;
    const run = await runBenchmark(chainedMapFilter, { events, verify: true });
    let passing = 0;
    for (let i = 0; i < events; i++) if ((i * 2) % 3 !== 0) passing++;
    assert.equal(run.sinkRecords, passing);
    assert.equal(run.result.name, "chained-map-filter");
    assert.equal(run.result.events, events);
    assert.deepEqual(Object.keys(JSON.parse(toJsonLine(run.result))), FIELDS);
    assertConsistent(run.result, run.cpuSeconds);
  });

  test("keyed-count-exchange: the per-key counts across both subtasks add up to the events", async () => {
    const events = 10_000;
    const run = await runBenchmark(keyedCountExchange, { events, verify: true });
    assert.equal(run.sinkRecords, events);
    assert.equal(run.result.events, events);
    assertConsistent(run.result, run.cpuSeconds);
  });
});

describe("command line", () => {
  const bench = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });

  test("--json prints one JSON object per benchmark and nothing else on stdout", () => {
    const out = bench("chained-map-filter", "--json", "--events", "10000");
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.split("\n").filter((line) => line !== "");
    assert.equal(lines.length, 1);
    const result = JSON.parse(lines[0]!) as BenchmarkResult;
    assert.deepEqual(Object.keys(result), FIELDS);
    assert.equal(result.name, "chained-map-filter");
    assert.equal(result.events, 10_000);
    assertClose(result.events_per_second, result.events / result.seconds, 1e-3, "events_per_second");
    assertClose(result.events_per_second_per_core * result.cores, result.events_per_second, 2e-3, "per core");
  });

  test("an unknown benchmark name exits with 2 and lists the valid ones", () => {
    const out = bench("no-such-benchmark");
    assert.equal(out.status, 2);
    assert.match(out.stderr, /unknown benchmark "no-such-benchmark"/);
    assert.match(out.stderr, /chained-map-filter, keyed-count-exchange/);
    assert.equal(out.stdout, "");
  });
});
