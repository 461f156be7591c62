/**
 * Property: per-key tumbling counts built on event-time timers equal a plain-array oracle at
 * parallelism 1, 2 and 4, for inputs that respect the declared out-of-orderness bound (so nothing
 * is late): every window fires exactly once, when event time passes its end or at end of input.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import fc from "fast-check";
import { type Click, COUNTS, WINDOW, type WindowCount } from "../jobs/event-time-counts.job.ts";

const JOB = new URL("../jobs/event-time-counts.job.ts", import.meta.url);
const BOUND = 15;

/**
 * Clicks whose timestamps never fall more than BOUND behind the largest timestamp before them in
 * the same source subtask: the collection source gives subtask i of p the items i, i+p, …, so the
 * generator checks the bound per such subsequence.
 */
function clicksArb(parallelism: number) {
  return fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: BOUND }),
      ),
      {
        maxLength: 400,
      },
    )
    .map((steps) => {
      const maxSoFar = new Array<number>(parallelism).fill(0);
      return steps.map(([user, advance, lag], i) => {
        const subtask = i % parallelism;
        const base = maxSoFar[subtask]! + advance;
        maxSoFar[subtask] = base;
        return { user: `u${user}`, at: Math.max(0, base - lag) };
      });
    });
}

function oracle(clicks: readonly Click[]): string[] {
  const counts = new Map<string, number>();
  for (const { user, at } of clicks) {
    const key = `${user}|${Math.floor(at / WINDOW) * WINDOW + WINDOW - 1}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${key}|${count}`).sort();
}

const render = (results: WindowCount[]) => results.map((r) => `${r.user}|${r.windowEnd}|${r.count}`).sort();

for (const parallelism of [1, 2, 4]) {
  for (const emission of ["per-event", "periodic"] as const) {
    test(`event-time tumbling counts equal the oracle (parallelism ${parallelism}, ${emission} watermarks)`, async () => {
      await fc.assert(
        fc.asyncProperty(clicksArb(parallelism), async (clicks) => {
          const result = await runJob(JOB, {
            parallelism,
            batchSize: 32,
            params: { clicks, maxOutOfOrderness: BOUND, emission },
          });
          assert.deepEqual(render(result.collected(COUNTS)), oracle(clicks));
        }),
        { numRuns: 5, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
      );
    });
  }
}
