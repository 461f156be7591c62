/**
 * The Nexmark source on the local mini-cluster: at any parallelism it emits exactly the events the
 * generator defines for the split layout, and after a failure it resumes from the checkpointed
 * position without losing or repeating events.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { DEFAULT_NEXMARK_CONFIG, splitGenerators } from "./generator/generator-config.ts";
import { NexmarkGenerator } from "./generator/nexmark-generator.ts";
import { EVENTS } from "./nexmark-source.fixture.ts";

const JOB = new URL("./nexmark-source.fixture.ts", import.meta.url);

function expectedEvents(eventsNum: number, parallelism: number): string[] {
  const config = { ...DEFAULT_NEXMARK_CONFIG, eventsNum, numEventGenerators: parallelism };
  const out: string[] = [];
  for (const split of splitGenerators(config, parallelism)) {
    const generator = new NexmarkGenerator(config, split);
    for (let k = 0; k < split.maxEvents; k++) out.push(JSON.stringify(generator.event(k)));
  }
  return out.sort();
}

test("parallelism 3 emits each split's contiguous block of events exactly once", async () => {
  const result = await runJob(JOB, { parallelism: 3, params: { eventsNum: 3_001, failAfter: -1 } });
  const got = result
    .collected(EVENTS)
    .map((e) => JSON.stringify(e))
    .sort();
  assert.equal(got.length, 3_001);
  assert.deepEqual(got, expectedEvents(3_001, 3));
});

test("after a failure the job restarts from a checkpoint and the output has no gaps or repeats", async () => {
  const result = await runJob(JOB, {
    parallelism: 2,
    params: { eventsNum: 40_000, failAfter: 15_000 },
    checkpointing: { intervalMs: 20 },
    restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 10 },
    batchSize: 256,
  });
  assert.ok(result.restarts >= 1, "the injected failure restarted the job");
  const got = result
    .collected(EVENTS)
    .map((e) => JSON.stringify(e))
    .sort();
  assert.equal(got.length, 40_000);
  assert.deepEqual(got, expectedEvents(40_000, 2));
});
