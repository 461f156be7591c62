import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import {
  type Click,
  DEFAULT_CLICKS,
  DEFAULT_GAP_MS,
  SESSIONS,
  type SessionSummary,
} from "./sessionization.job.ts";

const JOB = new URL("./sessionization.job.ts", import.meta.url);

/** Sessions computed with plain array code: per user, sorted clicks split at gaps of `gapMs` or more. */
function oracle(clicks: readonly Click[], gapMs: number): SessionSummary[] {
  const byUser = Map.groupBy(clicks, (c) => c.user);
  const sessions: SessionSummary[] = [];
  for (const [user, userClicks] of byUser) {
    const sorted = [...userClicks].sort(
      (a, b) => a.at - b.at || (a.page < b.page ? -1 : a.page > b.page ? 1 : 0),
    );
    let current: Click[] = [];
    const close = () => {
      const first = current[0]!;
      const last = current.at(-1)!;
      sessions.push({
        user,
        start: first.at,
        lastClick: last.at,
        end: last.at + gapMs,
        clicks: current.length,
        distinctPages: new Set(current.map((c) => c.page)).size,
        entryPage: first.page,
        exitPage: last.page,
      });
    };
    for (const click of sorted) {
      if (current.length > 0 && click.at - current.at(-1)!.at >= gapMs) {
        close();
        current = [];
      }
      current.push(click);
    }
    if (current.length > 0) close();
  }
  return sort(sessions);
}

const sort = (sessions: readonly SessionSummary[]) =>
  [...sessions].sort((a, b) => a.user.localeCompare(b.user) || a.start - b.start);

test("the default clicks are out of order and make several sessions per user", () => {
  const expected = oracle(DEFAULT_CLICKS, DEFAULT_GAP_MS);
  assert.ok(DEFAULT_CLICKS.length > 50);
  for (const [user, sessions] of Map.groupBy(expected, (s) => s.user)) {
    assert.ok(sessions.length >= 2, `${user} has ${sessions.length} session(s)`);
  }
  assert.ok(
    DEFAULT_CLICKS.some((c, i) => i > 0 && c.at < DEFAULT_CLICKS[i - 1]!.at),
    "the input is out of order",
  );
});

for (const parallelism of [1, 2]) {
  test(`sessionization of the default clicks at parallelism ${parallelism}`, async () => {
    const result = await runJob(JOB, { parallelism, params: { collect: true } });
    assert.deepEqual(sort(result.collected(SESSIONS)), oracle(DEFAULT_CLICKS, DEFAULT_GAP_MS));
  });
}

test("a click that arrives late but within the bound joins two sessions into one", async () => {
  const minute = 60_000;
  const clicks: Click[] = [
    { user: "u", page: "/a", at: 0 },
    { user: "u", page: "/b", at: 20 * minute },
    { user: "v", page: "/x", at: 21 * minute },
    { user: "u", page: "/c", at: 10 * minute }, // 11 minutes behind: bridges /a and /b
    { user: "u", page: "/a", at: 45 * minute }, // 25 minutes after /b: a new session
  ];
  const result = await runJob(JOB, {
    parallelism: 2,
    params: { clicks, gapMs: 15 * minute, maxOutOfOrdernessMs: 12 * minute, collect: true },
  });
  const sessions = sort(result.collected(SESSIONS));
  assert.deepEqual(sessions, oracle(clicks, 15 * minute));
  assert.deepEqual(
    sessions.map((s) => [s.user, s.start / minute, s.end / minute, s.clicks, s.entryPage, s.exitPage]),
    [
      ["u", 0, 35, 3, "/a", "/b"],
      ["u", 45, 60, 1, "/a", "/a"],
      ["v", 21, 36, 1, "/x", "/x"],
    ],
  );
});
