/**
 * A slow sink slows the source down: with credit-based flow control the number of records produced
 * but not yet written stays bounded by the exchange's buffers (not by the input size), so memory
 * stays bounded however large the input is.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { MAX_GAP, PRODUCED, WRITES, WRITTEN } from "../jobs/slow-sink.job.ts";

const JOB = new URL("../jobs/slow-sink.job.ts", import.meta.url);

test("a slow sink backpressures a fast source across threads; in-flight records stay bounded", async () => {
  const count = 8000;
  const batchSize = 16;
  const buffersPerChannel = 2;
  const counters = new SharedArrayBuffer(4 * 4);
  const view = new Int32Array(counters);
  const started = Date.now();
  await runJob(JOB, {
    parallelism: 2,
    batchSize,
    buffersPerChannel,
    params: { count, writeDelayMs: 2, counters },
  });
  const elapsed = Date.now() - started;

  assert.equal(Atomics.load(view, PRODUCED), count, "every record was produced");
  assert.equal(Atomics.load(view, WRITTEN), count, "every record was written");
  // Bound: per channel, credits + one backlog batch + one source poll; plus the batch in the sink.
  // 2 channels x (2 + 2) x 16 + 2 x 16 = 160. Without backpressure the gap would approach 8000.
  const maxGap = Atomics.load(view, MAX_GAP);
  assert.ok(maxGap <= 160, `produced-but-unwritten records peaked at ${maxGap}`);
  // The sink writes at most a batch or so per 2 ms write, so the whole run is paced by the sink.
  const writes = Atomics.load(view, WRITES);
  assert.ok(writes >= count / (batchSize * 3), `only ${writes} writes for ${count} records`);
  assert.ok(elapsed >= writes * 2, `run took ${elapsed} ms for ${writes} writes of >= 2 ms`);
});
