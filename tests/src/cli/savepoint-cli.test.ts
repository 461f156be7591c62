/**
 * The savepoint flow from the command line: an unbounded job with checkpoints is stopped with
 * Ctrl-C and keeps its checkpoints; `--from-savepoint` starts it again from them.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const SENSORS = fileURLToPath(new URL("../../../examples/src/sensor-averages.job.ts", import.meta.url));

/**
 * Runs weir, presses Ctrl-C once stderr matches `stopWhen`, and returns stderr and the exit code.
 */
async function runUntil(args: string[], stopWhen: RegExp): Promise<{ stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [WEIR, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!stopWhen.test(stderr)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`weir exited or timed out before ${String(stopWhen)}; stderr: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGINT");
  const [code] = (await once(child, "exit")) as [number | null];
  return { stderr, code };
}

test("Ctrl-C keeps the checkpoints, and --from-savepoint resumes from them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-cli-savepoint-"));
  try {
    const first = await runUntil(
      [
        "run",
        SENSORS,
        "--parallelism",
        "2",
        "--checkpoint-interval",
        "50",
        "--checkpoint-dir",
        dir,
        "--param",
        "intervalMs=100",
      ],
      // Stop once a few checkpoints are in (a fixed delay is too short on a loaded machine).
      /checkpoint 3 completed/,
    );
    assert.equal(first.code, 130, first.stderr);
    const kept = /checkpoints of the run are kept in (\S+)/.exec(first.stderr)?.[1];
    assert.ok(kept !== undefined, `stderr: ${first.stderr}`);
    assert.ok(readdirSync(kept).some((name) => name.startsWith("chk-")));

    const second = await runUntil(
      ["run", SENSORS, "--parallelism", "3", "--from-savepoint", kept, "--param", "intervalMs=100"],
      /restoring job "sensor-averages" from checkpoint \d+/,
    );
    assert.equal(second.code, 130, second.stderr);
    assert.match(second.stderr, /restoring job "sensor-averages" from checkpoint \d+ in /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
