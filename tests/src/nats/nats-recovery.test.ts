/**
 * NATS end to end on the local mini-cluster: NATS → filter → NATS with periodic checkpoints and a
 * worker failure mid-stream. After the restart from the latest checkpoint the source replays from
 * the checkpointed sequence: no message is lost, and the sink's message ids make JetStream drop the
 * replayed publishes, so the output holds each even record exactly once.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createTestStream, NATS_URL } from "@weir/connector-nats/testing";
import { runJob } from "@weir/runtime";
import type { NatsPipelineParams } from "./nats-pipeline.job.ts";

const JOB = new URL("./nats-pipeline.job.ts", import.meta.url);

test("a failure mid-stream loses no NATS message and stores no duplicate (restart from a checkpoint)", async () => {
  const stream = await createTestStream("RECOVERY");
  try {
    const count = 4000;
    const payloads = Array.from({ length: count }, (_, i) => JSON.stringify({ i }));
    for (let k = 0; k < count; k += 500) await stream.publish(`${stream.subject}.in`, payloads.slice(k, k + 500));
    const log: string[] = [];
    const params: NatsPipelineParams = {
      servers: NATS_URL,
      stream: stream.name,
      durableName: "recovery",
      outSubject: `${stream.subject}.out`,
      messageIdPrefix: `${stream.name}-out`,
      failAt: 3000,
    };
    const result = await runJob(JOB, {
      parallelism: 1,
      batchSize: 50,
      params,
      checkpointing: { intervalMs: 30, storage: { kind: "memory" } },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
      log: (line) => log.push(line),
    });
    assert.equal(result.restarts, 1, "the injected failure caused one restart");
    assert.match(log.join("\n"), /from checkpoint \d+/, "the restart restored a checkpoint");
    const out = (await stream.readAll()).filter((m) => m.subject === params.outSubject);
    const values = out.map((m) => (JSON.parse(new TextDecoder().decode(m.data)) as { i: number }).i);
    const expected = Array.from({ length: count / 2 }, (_, k) => 2 * k);
    assert.deepEqual([...new Set(values)].sort((a, b) => a - b), expected, "no even record lost");
    assert.equal(values.length, expected.length, "no record stored twice");
  } finally {
    await stream.close();
  }
});
