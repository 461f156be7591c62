/**
 * NATS end to end on the local mini-cluster: NATS → filter → NATS with periodic checkpoints and a
 * worker failure mid-stream. After the restart from the latest checkpoint the source replays from
 * the checkpointed sequence: no message is lost, and the sink's message ids make JetStream drop the
 * replayed publishes, so the output holds each even record exactly once.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createTestStream, NATS_URL } from "@weir/connector-nats/testing";
import { runJob } from "@weir/runtime";
import type { NatsPipelineParams } from "./nats-pipeline.job.ts";

const JOB = new URL("./nats-pipeline.job.ts", import.meta.url);

for (const parallelism of [1, 2]) {
  test(`a failure mid-stream loses no NATS message and stores no duplicate (parallelism ${parallelism})`, async (t) => {
    const stream = await createTestStream("RECOVERY");
    const marker = mkdtempSync(join(tmpdir(), "weir-nats-recovery-"));
    try {
      const count = 4000;
      // Parallelism 2 reads two subject filters (odd and even records), one split per subtask.
      const subjectOf = (i: number) =>
        parallelism === 1 ? `${stream.subject}.in` : `${stream.subject}.in.${i % 2}`;
      for (let k = 0; k < count; k += 500)
        for (const half of [0, 1]) {
          const batch: string[] = [];
          for (let i = k + half; i < k + 500; i += 2) batch.push(JSON.stringify({ i }));
          await stream.publish(subjectOf(half), batch);
        }
      const log: string[] = [];
      const params: NatsPipelineParams = {
        servers: NATS_URL,
        stream: stream.name,
        durableName: "recovery",
        ...(parallelism === 1 ? {} : { subjects: [subjectOf(0), subjectOf(1)] }),
        outSubject: `${stream.subject}.out`,
        messageIdPrefix: `${stream.name}-out`,
        failAt: 3000,
        checkpointMarker: join(marker, "checkpointed"),
      };
      const result = await runJob(JOB, {
        parallelism,
        batchSize: 50,
        params,
        checkpointing: { intervalMs: 30, storage: { kind: "memory" } },
        restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
        log: (line) => log.push(line),
        onCheckpoint: () => writeFileSync(params.checkpointMarker!, ""),
      });
      assert.equal(result.restarts, 1, "the injected failure caused one restart");
      assert.match(log.join("\n"), /from checkpoint \d+/, "the restart restored a checkpoint");
      // The restart recreated the failed reader's durable consumer at the checkpointed sequence:
      // the messages after it were delivered again. At parallelism 2 each subtask is its own
      // pipelined region, so only the one that read the failing (even) record restarted; the
      // other kept its consumer and its progress (region failover).
      const restartedDurable = parallelism === 1 ? "recovery" : "recovery-0";
      const restarted = await stream.jsm.consumers.info(stream.name, restartedDurable);
      const replayedFrom = [restarted.config.opt_start_seq ?? 0];
      assert.equal(
        restarted.config.deliver_policy,
        "by_start_sequence",
        "the restored consumer starts at a sequence",
      );
      if (parallelism === 2) {
        const untouched = await stream.jsm.consumers.info(stream.name, "recovery-1");
        assert.notEqual(
          untouched.config.deliver_policy,
          "by_start_sequence",
          "the other region was not restarted",
        );
      }
      // Which sequence depends on how far the readers got before the checkpoint the restart used;
      // under load that checkpoint may precede the first fetch (sequence 1), so it is reported,
      // not asserted. What must hold whatever it is: nothing lost, nothing stored twice (below).
      t.diagnostic(`replayed from stream sequence(s) ${replayedFrom.join(", ")}`);
      const out = (await stream.readAll()).filter((m) => m.subject === params.outSubject);
      const values = out.map((m) => (JSON.parse(new TextDecoder().decode(m.data)) as { i: number }).i);
      const expected = Array.from({ length: count / 2 }, (_, k) => 2 * k);
      assert.deepEqual(
        [...new Set(values)].sort((a, b) => a - b),
        expected,
        "no even record lost",
      );
      assert.equal(values.length, expected.length, "no record stored twice");
    } finally {
      rmSync(marker, { recursive: true, force: true });
      await stream.close();
    }
  });
}
