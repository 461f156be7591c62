/**
 * Transactions left open by subtasks that no longer exist after a restore at a lower parallelism.
 * The self-checking exactly-once job runs at parallelism 3 (`weir run` as a child process, reading
 * records the test keeps producing) until a few checkpoints completed, and is killed with SIGKILL
 * while every sink subtask has a transaction open: subtasks 1 and 2 leave transactions that nobody of a parallelism-1 job writes to again. The
 * job is restored from its newest checkpoint at parallelism 1. While it runs, a read_committed
 * reader must come to see every record (the last stable offset reaches the high watermark: the
 * vanished subtasks' transactions no longer hold it back) exactly once (the pre-committed
 * transactions of the restored checkpoint were committed, the others aborted): `lost=0
 * duplicated=0`. The job is then cancelled and no transaction of its prefix may be open.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { JobCancelledError, runJob } from "@weir/runtime";
import type { Checked, KafkaExactlyOnceParams } from "./jobs/kafka-exactly-once.job.ts";
import { createTopic, openTransactions, produce, readAll, unstableOffsets } from "./support/kafka-data.ts";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const JOB = fileURLToPath(new URL("./jobs/kafka-exactly-once.job.ts", import.meta.url));
const KEYS = 24;
const PREFIX = "rescale-orphans";

let broker: KafkaBroker;
before(async () => {
  broker = await startKafkaBroker();
});
after(async () => {
  await broker?.stop();
});

/** The run directory under `checkpoints` with the newest checkpoint. */
function newestRunDirectory(checkpoints: string): string {
  let best: { dir: string; at: number } | undefined;
  for (const entry of readdirSync(checkpoints, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(checkpoints, entry.name);
    for (const name of readdirSync(dir))
      if (name.startsWith("chk-")) {
        const at = statSync(join(dir, name)).mtimeMs;
        if (best === undefined || at > best.at) best = { dir, at };
      }
  }
  assert.ok(best !== undefined, "the killed run left a checkpoint");
  return best.dir;
}

/**
 * Runs the job at parallelism 3 in a `weir run` process and SIGKILLs it once 3 checkpoints completed
 * and sink subtasks 1 and 2 both have a transaction open.
 */
async function killedRun(params: KafkaExactlyOnceParams, checkpoints: string): Promise<string[]> {
  const args = [
    "run",
    JOB,
    "--parallelism",
    "3",
    "--params",
    JSON.stringify(params),
    "--checkpoint-interval",
    "100",
    "--checkpoint-dir",
    checkpoints,
  ];
  const child = spawn(process.execPath, [WEIR, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let completed = 0;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
    completed += (chunk.toString().match(/checkpoint \d+ completed/g) ?? []).length;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`weir run ended before the kill (${child.exitCode}):\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`no open transactions of subtasks 1 and 2 after 3 checkpoints:\n${stderr}`);
    }
    if (completed >= 3) {
      const open = await openTransactions(broker.bootstrapServers);
      if (
        open.some((id) => id.startsWith(`${PREFIX}-1-`)) &&
        open.some((id) => id.startsWith(`${PREFIX}-2-`))
      ) {
        child.kill("SIGKILL");
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { signal } = await exited;
  assert.equal(signal, "SIGKILL", stderr);
  return openTransactions(broker.bootstrapServers);
}

test("restore at parallelism 1 from 3: transactions of vanished subtasks are ended, read_committed sees each record once", async () => {
  const input = "rescale-numbers";
  const output = "rescale-checked";
  await createTopic(broker.bootstrapServers, input, 4);
  await createTopic(broker.bootstrapServers, output, 3);
  // Key k's sequence goes to partition k % 4, in order, 10 numbers per key every 30 ms until the kill.
  let perKey = 0;
  let producing = true;
  const producer = (async () => {
    while (producing) {
      const rows: { key: string; value: string; partition: number }[] = [];
      for (let seq = perKey; seq < perKey + 10; seq++)
        for (let key = 0; key < KEYS; key++)
          rows.push({ key: String(key), value: JSON.stringify({ key, seq }), partition: key % 4 });
      await produce(broker.bootstrapServers, input, rows);
      perKey += 10;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();

  const work = mkdtempSync(join(tmpdir(), "weir-kafka-rescale-"));
  try {
    const base: KafkaExactlyOnceParams = {
      bootstrap: broker.bootstrapServers,
      input,
      output,
      transactionalIdPrefix: PREFIX,
      parallelism: 3,
      faults: 0,
    };
    const left = await killedRun({ ...base, unbounded: true }, join(work, "checkpoints")).finally(() => {
      producing = false;
    });
    await producer;
    const PER_KEY = perKey;
    const orphans = left.filter((id) => /^rescale-orphans-[12]-/.test(id));
    assert.ok(orphans.length >= 2, `open after the kill: ${left.join(", ")}`);
    assert.ok(
      (await unstableOffsets(broker.bootstrapServers, output)).some((n) => n > 0),
      "the open transactions hold back read_committed readers",
    );

    const savepoint = newestRunDirectory(join(work, "checkpoints"));
    const log: string[] = [];
    const abort = new AbortController();
    const restored = runJob(JOB, {
      parallelism: 1,
      params: { ...base, parallelism: 1, unbounded: true },
      restoreFrom: { path: savepoint },
      checkpointing: { intervalMs: 100, storage: { kind: "memory" } },
      signal: abort.signal,
      log: (line) => log.push(line),
    });
    const failedEarly = restored.then(
      () => new Error("the restored job ended by itself"),
      (error: unknown) => error as Error,
    );

    // The restored job reads the rest of the input; read_committed readers must come to see it all.
    const expected = KEYS * PER_KEY;
    const started = Date.now();
    let records: Awaited<ReturnType<typeof readAll>> = [];
    let unstable: number[] = [];
    while (Date.now() - started < 40_000) {
      const early = await Promise.race([failedEarly, new Promise((r) => setTimeout(r, 200, undefined))]);
      if (early !== undefined)
        throw new Error(`${(early as Error).message}\n${log.join("\n")}`, { cause: early });
      unstable = await unstableOffsets(broker.bootstrapServers, output);
      if (unstable.some((n) => n > 0)) continue;
      records = await readAll(broker.bootstrapServers, output, "read_committed");
      if (records.length >= expected) break;
    }
    const visibleAfterMs = Date.now() - started;
    abort.abort();
    await assert.rejects(restored, JobCancelledError);
    assert.deepEqual(unstable, [0, 0, 0], `read_committed readers are held back:\n${log.join("\n")}`);
    const stillOpen = (await openTransactions(broker.bootstrapServers)).filter((id) => id.startsWith(PREFIX));
    assert.deepEqual(stillOpen, [], "no transaction of the job is left open");

    const seen = new Map<string, number>();
    let stateAnomalies = 0;
    for (const r of records) {
      const value = JSON.parse(r.value!) as Checked;
      const id = `${value.key}:${value.seq}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      if (value.count !== value.seq + 1) stateAnomalies++;
    }
    let lost = 0;
    let duplicated = 0;
    for (let key = 0; key < KEYS; key++)
      for (let seq = 0; seq < PER_KEY; seq++) {
        const times = seen.get(`${key}:${seq}`) ?? 0;
        if (times === 0) lost++;
        if (times > 1) duplicated += times - 1;
      }
    console.log(`open after the kill at parallelism 3: ${left.join(", ")}`);
    console.log(
      `lost=${lost} duplicated=${duplicated} of ${expected} (restored at parallelism 1; all visible to read_committed after ${visibleAfterMs} ms)`,
    );
    assert.equal(lost, 0, "no record lost");
    assert.equal(duplicated, 0, "no record duplicated");
    assert.equal(stateAnomalies, 0, "keyed state restored exactly once");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
