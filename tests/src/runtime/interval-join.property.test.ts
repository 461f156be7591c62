/**
 * Properties: the interval join and the sliding-window join at parallelism 1, 2 and 4 emit exactly
 * the pairs a nested-loop oracle finds (same key; for the interval join right.at in
 * [left.at + lower, left.at + upper]; for the window join one pair per window containing both),
 * for inputs that respect the declared out-of-orderness, so no record is late.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import fc from "fast-check";
import { type Event, PAIRS } from "../jobs/interval-join.job.ts";
import { PAIRS as WINDOW_PAIRS } from "../jobs/window-join.job.ts";

const JOB = new URL("../jobs/interval-join.job.ts", import.meta.url);
const WINDOW_JOB = new URL("../jobs/window-join.job.ts", import.meta.url);
const BOUND = 20;

/** Events whose timestamps lag the running maximum of their source subtask by at most BOUND. */
function eventsArb(parallelism: number, idBase: number) {
  return fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: BOUND }),
      ),
      {
        maxLength: 150,
      },
    )
    .map((steps) => {
      const maxSoFar = new Array<number>(parallelism).fill(0);
      return steps.map(([user, advance, lag], i): Event => {
        const subtask = i % parallelism;
        maxSoFar[subtask] = maxSoFar[subtask]! + advance;
        return { user: `u${user}`, at: Math.max(0, maxSoFar[subtask]! - lag), id: idBase + i };
      });
    });
}

function oracle(lefts: Event[], rights: Event[], lower: number, upper: number): string[] {
  const pairs: string[] = [];
  for (const l of lefts) {
    for (const r of rights) {
      if (l.user === r.user && r.at >= l.at + lower && r.at <= l.at + upper) pairs.push(`${l.id}-${r.id}`);
    }
  }
  return pairs.sort();
}

for (const parallelism of [1, 2, 4]) {
  test(`interval join equals a nested-loop oracle (parallelism ${parallelism})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        eventsArb(parallelism, 0),
        eventsArb(parallelism, 10_000),
        fc.integer({ min: -10, max: 5 }),
        fc.integer({ min: 0, max: 10 }),
        async (lefts, rights, lower, width) => {
          const upper = lower + width;
          const result = await runJob(JOB, {
            parallelism,
            batchSize: 16,
            params: { lefts, rights, lower, upper, maxOutOfOrderness: BOUND },
          });
          assert.deepEqual(result.collected(PAIRS).sort(), oracle(lefts, rights, lower, upper));
        },
      ),
      { numRuns: 6, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });
}

function windowOracle(lefts: Event[], rights: Event[], size: number, slide: number): string[] {
  const pairs: string[] = [];
  for (const l of lefts) {
    for (const r of rights) {
      if (l.user !== r.user) continue;
      // Windows [start, start + size) with start a multiple of slide containing both timestamps.
      const from = Math.max(l.at, r.at) - size + 1;
      for (let start = Math.ceil(from / slide) * slide; start <= Math.min(l.at, r.at); start += slide) {
        pairs.push(`${l.id}-${r.id}`);
      }
    }
  }
  return pairs.sort();
}

for (const parallelism of [1, 2, 4]) {
  test(`sliding window join equals a nested-loop oracle (parallelism ${parallelism})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        eventsArb(parallelism, 0),
        eventsArb(parallelism, 10_000),
        fc.constantFrom([10, 10], [20, 10], [30, 10], [15, 5]),
        async (lefts, rights, [size, slide]) => {
          const result = await runJob(WINDOW_JOB, {
            parallelism,
            batchSize: 16,
            params: { lefts, rights, size: size!, slide: slide!, maxOutOfOrderness: BOUND },
          });
          assert.deepEqual(result.collected(WINDOW_PAIRS).sort(), windowOracle(lefts, rights, size!, slide!));
        },
      ),
      { numRuns: 5, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });
}
