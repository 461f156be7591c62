/**
 * `onCollected`: collect sinks' records reach the client while the job runs, each exactly once —
 * per completed checkpoint with checkpointing, across a restart too; at once without
 * checkpointing, where a restart strategy is refused (it would deliver records twice).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { collectSinkName, runJob } from "@weir/runtime";
import { type CollectLiveParams, NUMBERS } from "../jobs/collect-live.job.ts";

const JOB = new URL("../jobs/collect-live.job.ts", import.meta.url);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test("with checkpointing and a failure, every record is delivered once, per completed checkpoint", async () => {
  const params: CollectLiveParams = { count: 3_000, recordsPerSecond: 3_000, failAt: 1_700 };
  const delivered: number[] = [];
  const deliveries: { checkpointsSoFar: number; size: number }[] = [];
  let checkpoints = 0;
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 64,
    params,
    checkpointing: { intervalMs: 50, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    onCheckpoint: () => checkpoints++,
    onCollected: (sink, records) => {
      assert.equal(sink, collectSinkName(NUMBERS));
      deliveries.push({ checkpointsSoFar: checkpoints, size: records.length });
      delivered.push(...(records as number[]));
    },
  });
  assert.equal(result.restarts, 1, "the injected failure caused a restart");
  assert.deepEqual(
    [...delivered].sort((a, b) => a - b),
    range(params.count),
  );
  // Live: most records arrived while the job ran, each batch after some checkpoint completed.
  assert.ok(deliveries.length >= 3, `deliveries: ${deliveries.length}`);
  assert.ok(
    deliveries[0]!.checkpointsSoFar >= 0 && deliveries.slice(0, -1).every((d) => d.checkpointsSoFar > 0),
  );
  assert.deepEqual(result.collected(NUMBERS), [], "delivered records are not kept for collected()");
});

test("without checkpointing, records are delivered as they arrive", async () => {
  const params: CollectLiveParams = { count: 600, recordsPerSecond: 1_000, failAt: -1 };
  const arrivals: number[] = [];
  const delivered: number[] = [];
  const started = Date.now();
  await runJob(JOB, {
    parallelism: 1,
    batchSize: 16,
    params,
    onCollected: (_sink, records) => {
      arrivals.push(Date.now() - started);
      delivered.push(...(records as number[]));
    },
  });
  const finished = Date.now() - started;
  assert.deepEqual(delivered, range(params.count));
  assert.ok(
    arrivals.length > 1 && arrivals[0]! < finished - 200,
    `first delivery at ${arrivals[0]} ms of ${finished}`,
  );
});

test("without checkpointing, onCollected refuses a restart strategy", async () => {
  await assert.rejects(
    runJob(JOB, {
      params: { count: 10, recordsPerSecond: 1_000, failAt: -1 },
      restartStrategy: { kind: "fixed-delay", attempts: 1, delayMs: 10 },
      onCollected: () => {},
    }),
    /onCollected without checkpointing delivers records as they arrive, and a restart would deliver them again/,
  );
});
