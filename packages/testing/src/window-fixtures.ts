/**
 * Test support shared by the window test files (not exported by the package): the record type,
 * the key selector, a counting aggregate and a labelling window function, so every file describes
 * windows the same way.
 * @module
 */

import assert from "node:assert/strict";
import { type AggregateFunction, EventTimeExtension, type ProcessWindowFunction } from "@weir/api";
import type { OperatorSnapshot } from "./index.ts";

export interface Click {
  readonly user: string;
  readonly at: number;
}

export const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

export const byUser = { keySelector: (c: Click) => c.user };

/** Counts records; mergeable, so it also serves session windows. */
export const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_record, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

/** Renders each firing as `user[start,end)=value`. */
export const LABEL: ProcessWindowFunction<number, string, string> = {
  process(user, window, [value], out) {
    out.collect(`${user}[${window.start},${window.end})=${value}`);
  },
};

/** Window state and timers are gone once every window has expired. */
export function assertNoWindowState(snapshot: OperatorSnapshot): void {
  for (const [name, entries] of Object.entries(snapshot.keyed)) {
    assert.deepEqual(entries, [], `keyed state "${name}" is not empty`);
  }
  assert.deepEqual(snapshot.timers ?? [], [], "processing-time timers remain");
  assert.deepEqual(snapshot.eventTimers ?? [], [], "event-time timers remain");
}
