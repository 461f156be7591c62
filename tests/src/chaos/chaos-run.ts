/**
 * `npm run test:chaos`: runs the chaos job (chaos.job.ts) with `weir run` as a child process
 * through a schedule of at least 20 faults — exceptions in processing, in the sink's pre-commit
 * (snapshot) and right after a restore, worker threads ended abruptly, and the whole process killed
 * with SIGKILL and started again from its retained checkpoints — then reads the file sink's
 * visible files and prints one line: `lost=<n> duplicated=<n> faults=<n>`. Exits 1 unless nothing
 * was lost or duplicated (each (key, seq) once, and each key's state counts 1…n once).
 *
 * Usage: `node tests/src/chaos/chaos-run.ts [--keys N] [--count N] [--parallelism P]`
 * @module
 */

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type ChaosJobParams, type CheckedRow, type FaultKind, firedFaults, markFault } from "./chaos.job.ts";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const JOB = fileURLToPath(new URL("./chaos.job.ts", import.meta.url));

/** 22 faults: each kind several times, interleaved so that every kind follows every other. */
export const DEFAULT_SCHEDULE: readonly FaultKind[] = [
  "processing",
  "snapshot",
  "thread-kill",
  "restore",
  "process-kill",
  "processing",
  "thread-kill",
  "snapshot",
  "process-kill",
  "restore",
  "processing",
  "snapshot",
  "restore",
  "thread-kill",
  "process-kill",
  "processing",
  "restore",
  "snapshot",
  "thread-kill",
  "process-kill",
  "processing",
  "thread-kill",
];

export interface ChaosOptions {
  readonly keys: number;
  readonly count: number;
  readonly parallelism: number;
  readonly recordsPerSecond: number;
  readonly schedule: readonly FaultKind[];
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly lost: number;
  readonly duplicated: number;
  readonly faults: number;
  readonly processRuns: number;
}

/**
 * The run directory under `checkpoints` holding the most recent checkpoint (by the time its
 * checkpoint was written, not the directory's: a run directory changes when old checkpoints go).
 */
function latestRunDirectory(checkpoints: string): string | undefined {
  let best: { dir: string; at: number } | undefined;
  for (const entry of readdirSync(checkpoints, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(checkpoints, entry.name);
    for (const name of readdirSync(dir)) {
      if (!name.startsWith("chk-")) continue;
      const at = statSync(join(dir, name)).mtimeMs;
      if (best === undefined || at > best.at) best = { dir, at };
    }
  }
  return best?.dir;
}

/** One `weir run`; SIGKILLs it when the armed fault is a process kill and a checkpoint is in. */
function runOnce(args: string[], markers: string, schedule: readonly FaultKind[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEIR, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let completedSinceStart = 0;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
      completedSinceStart += (chunk.toString().match(/checkpoint \d+ completed/g) ?? []).length;
      const armed = firedFaults(markers);
      // Kill only after two checkpoints of this process, so every run makes progress.
      if (
        schedule[armed] === "process-kill" &&
        completedSinceStart >= 2 &&
        markFault(markers, armed, "process-kill")
      ) {
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`weir run failed (exit ${code}):\n${stderr}`));
      else resolve(code);
    });
  });
}

/** Every visible part file's rows (hidden in-progress or pending files are not output). */
function visibleRows(dir: string): CheckedRow[] {
  const rows: CheckedRow[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) rows.push(...visibleRows(path));
    else
      for (const line of readFileSync(path, "utf8").split("\n"))
        if (line !== "") rows.push(JSON.parse(line) as CheckedRow);
  }
  return rows;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), "weir-chaos-"));
  try {
    const params: ChaosJobParams = {
      out: join(work, "out"),
      markers: join(work, "faults"),
      schedule: options.schedule,
      keys: options.keys,
      count: options.count,
      recordsPerSecond: options.recordsPerSecond,
    };
    const checkpoints = join(work, "checkpoints");
    for (const dir of [params.out, params.markers, checkpoints]) mkdirSync(dir, { recursive: true });
    let processRuns = 0;
    for (;;) {
      const from = processRuns === 0 ? undefined : latestRunDirectory(checkpoints);
      const args = [
        "run",
        JOB,
        "--parallelism",
        String(options.parallelism),
        "--params",
        JSON.stringify(params),
        "--checkpoint-interval",
        "100",
        "--checkpoint-dir",
        checkpoints,
        "--restart-attempts",
        String(options.schedule.length + 5),
        ...(from === undefined ? [] : ["--from-savepoint", from]),
      ];
      processRuns++;
      log(
        `run ${processRuns}${from === undefined ? "" : ` from ${from}`} (faults so far: ${firedFaults(params.markers)})`,
      );
      const code = await runOnce(args, params.markers, options.schedule);
      if (code === 0) break;
      if (processRuns > options.schedule.length + 5) throw new Error("chaos: too many process runs");
    }
    const rows = visibleRows(params.out);
    const seqs = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const row of rows) {
      seqs.set(`${row.key}:${row.seq}`, (seqs.get(`${row.key}:${row.seq}`) ?? 0) + 1);
      counts.set(`${row.key}:${row.count}`, (counts.get(`${row.key}:${row.count}`) ?? 0) + 1);
    }
    let lost = 0;
    let duplicated = 0;
    for (let i = 0; i < options.count; i++) {
      const key = i % options.keys;
      const n = Math.floor(i / options.keys);
      const seen = seqs.get(`${key}:${n}`) ?? 0;
      // The state must have counted each record once too: counts 1…n per key, each once.
      const counted = counts.get(`${key}:${n + 1}`) ?? 0;
      if (seen === 0 || counted === 0) lost++;
      duplicated += Math.max(0, seen - 1) + Math.max(0, counted - 1);
    }
    return { lost, duplicated, faults: firedFaults(params.markers), processRuns };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      keys: { type: "string", default: "12" },
      count: { type: "string", default: "240000" },
      parallelism: { type: "string", default: "2" },
    },
  });
  const result = await runChaos({
    keys: Number(values.keys),
    count: Number(values.count),
    parallelism: Number(values.parallelism),
    recordsPerSecond: 20_000,
    schedule: DEFAULT_SCHEDULE,
    log: (line) => process.stderr.write(`chaos: ${line}\n`),
  });
  process.stdout.write(`lost=${result.lost} duplicated=${result.duplicated} faults=${result.faults}\n`);
  process.exitCode = result.lost === 0 && result.duplicated === 0 && result.faults >= 20 ? 0 : 1;
}
