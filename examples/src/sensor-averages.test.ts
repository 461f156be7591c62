import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { IntervalReport } from "./sensor-averages.job.ts";

const WEIR = fileURLToPath(new URL("../../packages/cli/bin/weir.js", import.meta.url));
const JOB = fileURLToPath(new URL("./sensor-averages.job.ts", import.meta.url));

test("the unbounded sensor job reports per-interval averages from timers and stops cleanly on Ctrl-C", async () => {
  const intervalMs = 200;
  const child = spawn(
    process.execPath,
    [
      WEIR,
      "run",
      JOB,
      "--parallelism",
      "2",
      "--param",
      `intervalMs=${intervalMs}`,
      "--param",
      "recordsPerSecond=2000",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const reports: IntervalReport[] = [];
  let buffered = "";
  const enough = new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`no reports after 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        // Parallelism 2: the print sink prefixes each line with the subtask number.
        const match = /^([12])> (.*)$/.exec(line);
        assert.ok(match, `unexpected output line: ${line}`);
        reports.push(JSON.parse(match[2]!) as IntervalReport);
      }
      const sensors = new Set(reports.map((r) => r.sensor));
      if (sensors.size === 4 && reports.length >= 12) {
        clearTimeout(timeout);
        resolve();
      }
    });
    child.on("exit", () => reject(new Error(`job exited early; stderr: ${stderr}`)));
  });
  await enough;
  child.kill("SIGINT");
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 130, `exit code; stderr: ${stderr}`);
  assert.match(stderr, /was cancelled/);

  for (const report of reports) {
    assert.match(report.sensor, /^sensor-[0-3]$/);
    assert.equal(report.intervalEnd % intervalMs, 0, "timers fire at interval boundaries");
    assert.ok(report.count > 0);
    assert.ok(report.average >= 0 && report.average < 100);
  }
  // Each sensor reports each interval at most once: the timer is per key and deduplicated.
  const seen = new Set(reports.map((r) => `${r.sensor}@${r.intervalEnd}`));
  assert.equal(seen.size, reports.length);
  // Later intervals are full: at 2000 readings/s over 4 sensors, ~100 readings per 200 ms interval.
  const full = reports.filter((r) => r.count > 60);
  assert.ok(full.length >= 4, `expected full intervals, got counts ${reports.map((r) => r.count).join(",")}`);
});
