/**
 * `weir savepoint` and `weir stop` end to end, against the REST API of a local `weir run
 * --rest-port` (the same API a JobManager serves): run a job, take a savepoint, stop it with
 * another, resume with `weir run --from-savepoint` — the printed result equals an uninterrupted
 * run's; `weir stop --drain` ends the input first, so the run prints its partial result. Bad input
 * gets clear errors: a malformed or unknown job id, an unreachable server, a
 * target directory the server cannot write. Runs the real binary.
 */

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const JOB = fileURLToPath(new URL("./key-counts.job.ts", import.meta.url));
const PARAMS = JSON.stringify({ count: 6_000, keys: 6, recordsPerSecond: 2_000 });
/** The same job unthrottled: the rate changes when records come, not what the job computes. */
const FAST = JSON.stringify({ count: 6_000, keys: 6, recordsPerSecond: 1e9 });

function weir(...args: string[]) {
  const run = spawnSync(process.execPath, [WEIR, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Starts `weir run` and waits until it prints its REST address and job id. */
async function startRun(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [WEIR, "run", JOB, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, "exit") as Promise<[number | null]>;
  const deadline = Date.now() + 30_000;
  const served = () => /REST API at (\S+) \(job id ([a-f0-9]{32})\)/.exec(stderr);
  let match = served();
  while (match === null) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`weir run did not serve its REST API; stderr: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    match = served();
  }
  return {
    url: match[1]!,
    jobId: match[2]!,
    child,
    output: () => ({ stdout, stderr }),
    exit: async () => (await exited)[0],
  };
}

/** The printed `key,count,sum` lines, sorted (print prefixes `n> ` at parallelism > 1). */
const resultLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/^\d+> /, ""))
    .sort();

test("run, savepoint, stop with savepoint, resume: the result equals an uninterrupted run's", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-savepoint-cli-"));
  try {
    const uninterrupted = weir("run", JOB, "-p", "2", "--params", FAST);
    assert.equal(uninterrupted.code, 0, uninterrupted.stderr);
    const expected = resultLines(uninterrupted.stdout);
    assert.equal(expected.length, 6, uninterrupted.stdout);

    const run = await startRun([
      "-p",
      "2",
      "--params",
      PARAMS,
      "--checkpoint-interval",
      "100",
      "--checkpoint-dir",
      join(dir, "checkpoints"),
      "--rest-port",
      "0",
    ]);
    const savepoint = spawnSync(
      process.execPath,
      [WEIR, "savepoint", run.jobId, join(dir, "sp"), "--jobmanager", run.url],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(savepoint.status, 0, savepoint.stderr);
    const first = /Savepoint completed\. Path: (\S+)/.exec(savepoint.stdout)?.[1] ?? "";
    assert.ok(first.startsWith(join(dir, "sp", `savepoint-${run.jobId}-`)), savepoint.stdout);
    assert.ok(
      readdirSync(first).some((name) => name.startsWith("chk-")),
      "the savepoint holds a checkpoint",
    );

    const stop = spawnSync(
      process.execPath,
      [WEIR, "stop", run.jobId, "--savepoint-path", join(dir, "stop"), "--jobmanager", run.url],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(stop.status, 0, stop.stderr);
    const stopped = /Savepoint completed\. Path: (\S+)/.exec(stop.stdout)?.[1];
    assert.ok(stopped !== undefined, stop.stdout);
    assert.equal(await run.exit(), 0, run.output().stderr);
    assert.match(run.output().stderr, /job stopped with a savepoint at /);
    assert.deepEqual(
      resultLines(run.output().stdout),
      [],
      "the stopped run did not reach the end of its input",
    );

    const resumed = weir("run", JOB, "-p", "2", "--params", FAST, "--from-savepoint", stopped);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /restoring job "key-counts" from checkpoint \d+/);
    assert.deepEqual(resultLines(resumed.stdout), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("weir stop --drain ends the input first: the stopped run prints its (partial) result", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-drain-cli-"));
  try {
    // Long enough that only the drain ends it; stopped once it has counted for a while.
    const params = JSON.stringify({ count: 600_000, keys: 6, recordsPerSecond: 2_000 });
    const run = await startRun([
      "-p",
      "2",
      "--params",
      params,
      "--checkpoint-interval",
      "100",
      "--rest-port",
      "0",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stop = spawnSync(
      process.execPath,
      [WEIR, "stop", run.jobId, "--drain", "--savepoint-path", join(dir, "stop"), "--jobmanager", run.url],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /Savepoint completed\. Path: /);
    assert.equal(await run.exit(), 0, run.output().stderr);
    const lines = resultLines(run.output().stdout);
    assert.equal(lines.length, 6, `end of input ran: one line per key\n${run.output().stdout}`);
    const counted = lines.reduce((sum, line) => sum + Number(line.split(",")[1]), 0);
    assert.ok(counted > 0 && counted < 600_000, `the drained run counted ${counted} of 600000 records`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input: malformed and unknown job ids, an unreachable server, an unwritable directory", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-savepoint-cli-"));
  // A free port nobody listens on: bind, read, close.
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const freePort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const run = await startRun(["--params", PARAMS, "--checkpoint-interval", "100", "--rest-port", "0"]);
  try {
    const malformed = weir("savepoint", "not-a-job", "--jobmanager", run.url);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /"not-a-job" is not a job id: expected 32 hexadecimal characters/);

    const missing = weir("stop", "--jobmanager", run.url);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing the job id/);

    const unknown = weir("savepoint", "0".repeat(32), "--jobmanager", run.url);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, new RegExp(`no job ${"0".repeat(32)} at ${run.url}`));

    const unreachable = weir("stop", run.jobId, "--jobmanager", `http://127.0.0.1:${freePort}`);
    assert.equal(unreachable.code, 1);
    assert.match(
      unreachable.stderr,
      new RegExp(`cannot reach the jobmanager at http://127.0.0.1:${freePort}`),
    );

    const file = join(dir, "a-file");
    writeFileSync(file, "not a directory");
    const badDir = weir("savepoint", run.jobId, join(file, "sp"), "--jobmanager", run.url);
    assert.equal(badDir.code, 1);
    assert.match(
      badDir.stderr,
      /savepoint of job [a-f0-9]{32} refused: the target directory cannot be written \(ENOTDIR\)/,
    );
    assert.ok(!existsSync(join(file, "sp")));
  } finally {
    run.child.kill("SIGINT");
    await run.exit();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a job without checkpointing cannot take a savepoint, and says why", async () => {
  const run = await startRun(["--params", PARAMS, "--rest-port", "0"]);
  try {
    const refused = weir("savepoint", run.jobId, "--jobmanager", run.url);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the savepoint of job [a-f0-9]{32} failed: .*without checkpointing/);
  } finally {
    run.child.kill("SIGINT");
    await run.exit();
  }
});
