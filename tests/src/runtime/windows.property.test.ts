/**
 * Property: windowed aggregation of the window extension (tumbling, sliding and session windows,
 * with an incremental aggregate or a full-window function) equals a plain-array oracle at
 * parallelism 1, 2 and 4, for inputs that respect the declared out-of-orderness bound (so nothing is
 * late): every window fires exactly once, with the count and sum of exactly its records.
 * Plus: late records of a real job leave through the second output of `splitLateRecords`.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import fc from "fast-check";
import {
  type Click,
  GAP,
  LATE,
  SIZE,
  SLIDE,
  SUMMARIES,
  type WindowKind,
  type WindowSummary,
} from "../jobs/windows.job.ts";

const JOB = new URL("../jobs/windows.job.ts", import.meta.url);
const BOUND = 15;

/**
 * Clicks whose timestamps never fall more than BOUND behind the largest timestamp before them in
 * the same source subtask (the collection source gives subtask i of p the items i, i+p, …).
 */
function clicksArb(parallelism: number) {
  return fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: BOUND }),
      ),
      { maxLength: 300 },
    )
    .map((steps) => {
      const maxSoFar = new Array<number>(parallelism).fill(0);
      return steps.map(([user, advance, lag], i): Click => {
        const subtask = i % parallelism;
        const base = maxSoFar[subtask]! + advance;
        maxSoFar[subtask] = base;
        return { user: `u${user}`, at: Math.max(0, base - lag) };
      });
    });
}

/** `user|start|end` -> [count, sum], computed from all clicks at once. */
type Oracle = Map<string, [number, number]>;

function add(oracle: Oracle, user: string, start: number, end: number, at: number): void {
  const key = `${user}|${start}|${end}`;
  const [count, sum] = oracle.get(key) ?? [0, 0];
  oracle.set(key, [count + 1, sum + at]);
}

function alignedOracle(clicks: readonly Click[], size: number, slide: number): Oracle {
  const oracle: Oracle = new Map();
  for (const { user, at } of clicks) {
    // Every multiple of `slide` in (at - size, at] starts a window containing `at`.
    for (let start = Math.ceil((at - size + 1) / slide) * slide; start <= at; start += slide) {
      add(oracle, user, start, start + size, at);
    }
  }
  return oracle;
}

/** Per user, sorted timestamps split wherever two neighbours are GAP or more apart. */
function sessionOracle(clicks: readonly Click[]): Oracle {
  const byUser = new Map<string, number[]>();
  for (const { user, at } of clicks) byUser.set(user, [...(byUser.get(user) ?? []), at]);
  const oracle: Oracle = new Map();
  for (const [user, times] of byUser) {
    times.sort((a, b) => a - b);
    let session: number[] = [];
    const close = () => {
      const start = session[0]!;
      const end = session.at(-1)! + GAP;
      for (const at of session) add(oracle, user, start, end, at);
    };
    for (const at of times) {
      if (session.length > 0 && at - session.at(-1)! >= GAP) {
        close();
        session = [];
      }
      session.push(at);
    }
    if (session.length > 0) close();
  }
  return oracle;
}

function expected(kind: WindowKind, clicks: readonly Click[]): string[] {
  const oracle =
    kind === "tumbling"
      ? alignedOracle(clicks, SIZE, SIZE)
      : kind === "sliding"
        ? alignedOracle(clicks, SIZE, SLIDE)
        : sessionOracle(clicks);
  return [...oracle].map(([key, [count, sum]]) => `${key}|${count}|${sum}`).sort();
}

const render = (results: readonly WindowSummary[]) =>
  results.map((r) => `${r.user}|${r.start}|${r.end}|${r.count}|${r.sum}`).sort();

for (const kind of ["tumbling", "sliding", "session"] as const) {
  for (const parallelism of [1, 2, 4]) {
    test(`event-time ${kind} windows equal the oracle (parallelism ${parallelism})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          clicksArb(parallelism),
          fc.constantFrom("aggregate" as const, "process" as const),
          fc.constantFrom("per-event" as const, "periodic" as const),
          async (clicks, windowFunction, emission) => {
            const result = await runJob(JOB, {
              parallelism,
              batchSize: 32,
              params: { clicks, maxOutOfOrderness: BOUND, kind, emission, windowFunction },
            });
            assert.deepEqual(render(result.collected(SUMMARIES)), expected(kind, clicks));
          },
        ),
        { numRuns: 4, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
      );
    });
  }
}

test("late records of a running job leave through the second output; lateness re-fires windows", async () => {
  // One source subtask and per-event watermarks: watermark = largest timestamp - 1, in order with data.
  const clicks: Click[] = [
    { user: "a", at: 3 },
    { user: "a", at: 25 }, // event time 24: [0,10) fired at 9, kept until 9 + 20
    { user: "a", at: 7 }, // within the lateness of [0,10): re-fires it with 2 records
    { user: "b", at: 40 }, // event time 39: [0,10) was cleaned up at 29
    { user: "a", at: 8 }, // late
  ];
  const result = await runJob(JOB, {
    parallelism: 1,
    params: {
      clicks,
      maxOutOfOrderness: 0,
      kind: "tumbling",
      emission: "per-event",
      windowFunction: "aggregate",
      lateOutput: true,
      allowedLatenessMs: 20,
    },
  });
  assert.deepEqual(render(result.collected(SUMMARIES)), [
    "a|0|10|1|3",
    "a|0|10|2|10",
    "a|20|30|1|25",
    "b|40|50|1|40",
  ]);
  assert.deepEqual(result.collected(LATE), [{ user: "a", at: 8 }]);
});
