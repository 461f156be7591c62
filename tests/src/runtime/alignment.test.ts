/**
 * Watermark alignment keeps a fast source from running ahead of a slow one in the same group:
 * the fast one pauses while its watermark is more than maxDrift ahead. Without alignment the same
 * job shows the fast source thousands of milliseconds of event time ahead.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { DRIFT } from "../jobs/alignment.job.ts";

const JOB = new URL("../jobs/alignment.job.ts", import.meta.url);
const params = { maxDriftMs: 100, fastCount: 10_000, slowCount: 1_500, slowRate: 2_000 };
const batchSize = 64;

test("aligned sources stay within the allowed drift, give or take a few batches", async () => {
  const aligned = await runJob(JOB, { parallelism: 1, batchSize, params: { ...params, align: true } });
  const [drift] = aligned.collected(DRIFT);
  // The fast source pauses at the first batch past the allowed watermark; the allowed value it
  // compares with is at most one 10 ms update round old (the slow source moves ~20 ms of event time
  // per round). So the overshoot is a few batches at most.
  const bound = params.maxDriftMs + 4 * batchSize + 40;
  assert.ok(drift !== undefined && drift <= bound, `aligned drift reached ${drift} (bound ${bound})`);

  const unaligned = await runJob(JOB, { parallelism: 1, batchSize, params: { ...params, align: false } });
  const [free] = unaligned.collected(DRIFT);
  assert.ok(free !== undefined && free > 3_000, `without alignment the drift only reached ${free}`);
});
