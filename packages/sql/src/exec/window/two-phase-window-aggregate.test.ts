/**
 * Two-phase window aggregation under the operator harness: local partials per (key, slice), the
 * global phase merging slices into windows, freeing slices once their last window fired. The
 * property test feeds the same random rows (out of order, some late) and watermarks to the
 * one-phase `WindowAggregateFunction` and to two local subtasks + the global phase, and asks for
 * the same output multiset; the worked cases are by hand from the slice definitions.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import fc from "fast-check";
import type { RowData } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { insert, show } from "../testing/changelog.ts";
import { call, countAggregate, maxAggregate, sumAggregate } from "../testing/test-aggregates.ts";
import { AttachedWindowAggregateFunction } from "./attached-window-aggregate-function.ts";
import { GlobalAttachedWindowAggregateFunction } from "./global-attached-window-aggregate-function.ts";
import { GlobalWindowAggregateFunction } from "./global-window-aggregate-function.ts";
import { LocalWindowAggregateFunction } from "./local-window-aggregate-function.ts";
import { WindowAggregateFunction } from "./window-aggregate-function.ts";
import type { WindowingStrategy } from "./window-specs.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

/** Input rows: [key, v, rowtime]; `COUNT(*), SUM(v), MAX(v)` per key. */
const CALLS = [
  call("COUNT(*)", countAggregate, []),
  call("SUM($1)", sumAggregate, [1]),
  call("MAX($1)", maxAggregate, [1]),
];

/** With DISTINCT and FILTER calls; rows [key, v, rowtime, flag]. */
const ALL_CALLS = [
  ...CALLS,
  call("COUNT(DISTINCT $1)", countAggregate, [1], { distinct: true }),
  call("SUM(DISTINCT $1)", sumAggregate, [1], { distinct: true }),
  call("COUNT(*) FILTER $3", countAggregate, [], { filterArg: 3 }),
  call("COUNT(DISTINCT $1) FILTER $3", countAggregate, [1], { distinct: true, filterArg: 3 }),
];

type Event = { readonly row: readonly SqlValue[]; readonly subtask: 0 | 1 } | { readonly watermark: number };

async function onePhase(
  strategy: WindowingStrategy,
  events: readonly Event[],
  calls = CALLS,
): Promise<string[]> {
  const fn = new WindowAggregateFunction({
    strategy,
    timeIndex: 2,
    timeKind: "rowtime",
    groupKey: [0],
    calls,
    stateTtlMs: 0,
  });
  await using h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: (row: RowData) => row.fields[0] as string,
  });
  for (const event of events) {
    if ("watermark" in event) h.processWatermark(EVENT_TIME.newWatermark(event.watermark));
    else h.processRecord(insert(...event.row));
  }
  h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
  return show(h.output()).sort();
}

/** Two local subtasks (each row goes to one, every watermark to both) feeding the global phase. */
async function twoPhase(strategy: WindowingStrategy, events: readonly Event[], calls = CALLS) {
  const local = () => new LocalWindowAggregateFunction({ strategy, timeIndex: 2, groupKey: [0], calls });
  await using l0 = await OneInputHarness.forFunction(local());
  await using l1 = await OneInputHarness.forFunction(local());
  const global = new GlobalWindowAggregateFunction({ strategy, keyCount: 1, calls, stateTtlMs: 0 });
  await using g = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(global), {
    keySelector: (row: RowData) => row.fields[0] as string,
  });
  let partials = 0;
  const forward = () => {
    for (const l of [l0, l1]) {
      for (const partial of l.output()) {
        g.processRecord(partial);
        partials++;
      }
      l.clearOutput();
    }
  };
  const watermark = (w: number) => {
    l0.processWatermark(EVENT_TIME.newWatermark(w));
    l1.processWatermark(EVENT_TIME.newWatermark(w));
    forward(); // the partials flushed by the watermark reach the global phase before it
    g.processWatermark(EVENT_TIME.newWatermark(w));
  };
  for (const event of events) {
    if ("watermark" in event) watermark(event.watermark);
    else (event.subtask === 0 ? l0 : l1).processRecord(insert(...event.row));
  }
  watermark(Number.POSITIVE_INFINITY);
  const snapshot = g.snapshot();
  return {
    rows: show(g.output()).sort(),
    partials,
    state: Object.values(snapshot.keyed).flat(),
    timers: snapshot.eventTimers ?? [],
  };
}

/** Random rows (out of order, some without a time) and forward-moving watermarks. */
function propertyEvents() {
  const event = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        row: fc.tuple(
          fc.constantFrom("a", "b", "c"),
          fc.option(fc.bigInt({ min: -5n, max: 5n }), { freq: 8 }),
          fc.option(fc.integer({ min: -20, max: 120 }), { freq: 20 }),
          fc.boolean(),
        ),
        subtask: fc.constantFrom(0 as const, 1 as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ watermark: fc.integer({ min: -10, max: 130 }) }) },
  );
  // Watermarks only move forward, as the runtime guarantees.
  return fc.array(event, { maxLength: 80 }).map((list) => {
    let w = Number.NEGATIVE_INFINITY;
    return list.filter((e) => {
      if (!("watermark" in e)) return true;
      if (e.watermark <= w) return false;
      w = e.watermark;
      return true;
    });
  });
}

const strategies: readonly WindowingStrategy[] = [
  { kind: "TUMBLE", sizeMs: 10, offsetMs: 0 },
  { kind: "TUMBLE", sizeMs: 10, offsetMs: 3 },
  { kind: "HOP", sizeMs: 10, slideMs: 5, offsetMs: 0 },
  { kind: "HOP", sizeMs: 12, slideMs: 4, offsetMs: 1 },
  { kind: "CUMULATE", maxSizeMs: 12, stepMs: 4, offsetMs: 0 },
];

describe("two-phase window aggregation", () => {
  test("HOP 10/5 by hand: partials per slice, windows merged from slices, slices freed", async () => {
    const strategy: WindowingStrategy = { kind: "HOP", sizeMs: 10, slideMs: 5, offsetMs: 0 };
    const events: Event[] = [
      { row: ["a", 1n, 3], subtask: 0 },
      { row: ["a", 2n, 4], subtask: 1 },
      { row: ["a", 4n, 7], subtask: 0 },
      { watermark: 4 },
      { row: ["a", 8n, 1], subtask: 0 }, // late for [-5, 5), counts in [0, 10)
      { watermark: 20 },
    ];
    const result = await twoPhase(strategy, events);
    assert.deepEqual(result.rows, [
      "+I[a, 1, 4, 4, 5, 15, 14]",
      "+I[a, 2, 3, 2, -5, 5, 4]",
      "+I[a, 4, 15, 8, 0, 10, 9]",
    ]);
    assert.equal(
      result.partials,
      4,
      "slice 5 of subtask 0, of subtask 1, slice 10 of subtask 0, then the late one",
    );
    assert.deepEqual(result.state, [], "every slice is freed");
    assert.deepEqual(result.timers, []);
    assert.deepEqual(result.rows, await onePhase(strategy, events));
  });

  test("a partial whose slice's last window has fired is dropped", async () => {
    const strategy: WindowingStrategy = { kind: "TUMBLE", sizeMs: 10, offsetMs: 0 };
    const result = await twoPhase(strategy, [
      { row: ["a", 1n, 3], subtask: 0 },
      { watermark: 9 },
      { row: ["a", 5n, 5], subtask: 1 },
      { watermark: 30 },
    ]);
    assert.deepEqual(result.rows, ["+I[a, 1, 1, 1, 0, 10, 9]"]);
  });

  test("a checkpoint of the local phase holds the partials not sent yet; a restore sends them", async () => {
    const strategy: WindowingStrategy = { kind: "TUMBLE", sizeMs: 10, offsetMs: 0 };
    const fn = () =>
      new LocalWindowAggregateFunction({ strategy, timeIndex: 2, groupKey: [0], calls: CALLS });
    const h = await OneInputHarness.forFunction(fn());
    h.processRecord(insert("a", 1n, 3));
    h.processRecord(insert("a", 2n, 4));
    h.processRecord(insert("b", 5n, 12));
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(fn(), snapshot);
    restored.processRecord(insert("a", 4n, 5));
    restored.processWatermark(EVENT_TIME.newWatermark(1));
    const partials = restored.output().map((r) => [r.fields[0], r.fields[1], r.fields.at(-1)]);
    assert.deepEqual(partials, [
      ["a", 3, 10],
      ["b", 1, 20],
    ]);
  });

  test("the local phase flushes a bounded buffer before the watermark comes", async () => {
    const strategy: WindowingStrategy = { kind: "TUMBLE", sizeMs: 10, offsetMs: 0 };
    await using l = await OneInputHarness.forFunction(
      new LocalWindowAggregateFunction({ strategy, timeIndex: 2, groupKey: [0], calls: CALLS }),
    );
    for (let i = 0; i < 10_000; i++) l.processRecord(insert(`k${i}`, 1n, 5));
    assert.equal(l.output().length, 10_000, "10 000 partials force a flush");
  });

  test("property: one phase and two phases give the same rows on random input, DISTINCT and FILTER too", async () => {
    const events = propertyEvents();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...strategies), events, async (strategy, list) => {
        const two = await twoPhase(strategy, list as Event[], ALL_CALLS);
        assert.deepEqual(two.rows, await onePhase(strategy, list as Event[], ALL_CALLS));
        assert.deepEqual(two.state, []);
      }),
      { numRuns: 150 },
    );
  });

  test("property, attached windows: one phase and two phases give the same rows", async () => {
    // Rows [key, v, window_start, window_end, flag] as a TUMBLE 10 TVF (after a filter) gives them.
    const calls = ALL_CALLS.map((c) => (c.filterArg === 3 ? { ...c, filterArg: 4 } : c));
    const attachedKey = (row: RowData): [string, number, number] => [
      row.fields[0] as string,
      row.fields[2] as number,
      row.fields[3] as number,
    ];
    const run = async (list: readonly Event[]) => {
      const one = new AttachedWindowAggregateFunction({
        groupKey: [0, 2, 3],
        windowEndIndex: 3,
        timeKind: "rowtime",
        calls,
        stateTtlMs: 0,
      });
      await using h1 = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(one), {
        keySelector: attachedKey,
      });
      const local = () =>
        new LocalWindowAggregateFunction({
          strategy: { kind: "TUMBLE", sizeMs: 10, offsetMs: 0 },
          timeIndex: 3,
          windowEndIndex: 3,
          groupKey: [0, 2, 3],
          calls,
        });
      await using l0 = await OneInputHarness.forFunction(local());
      await using l1 = await OneInputHarness.forFunction(local());
      const global = new GlobalAttachedWindowAggregateFunction({ keyCount: 3, calls, stateTtlMs: 0 });
      await using g = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(global), {
        keySelector: (row: RowData) =>
          [row.fields[0] as string, row.fields[1] as number, row.fields[2] as number] as [
            string,
            number,
            number,
          ],
      });
      const watermark = (w: number) => {
        h1.processWatermark(EVENT_TIME.newWatermark(w));
        for (const l of [l0, l1]) {
          l.processWatermark(EVENT_TIME.newWatermark(w));
          for (const partial of l.output()) g.processRecord(partial);
          l.clearOutput();
        }
        g.processWatermark(EVENT_TIME.newWatermark(w));
      };
      for (const event of list) {
        if ("watermark" in event) {
          watermark(event.watermark);
          continue;
        }
        const [k, v, t, flag] = event.row as [string, bigint | null, number | null, boolean];
        if (t === null) continue;
        const start = Math.floor(t / 10) * 10;
        const row = insert(k, v, start, start + 10, flag);
        h1.processRecord(row);
        (event.subtask === 0 ? l0 : l1).processRecord(row);
      }
      watermark(Number.POSITIVE_INFINITY);
      assert.deepEqual(Object.values(g.snapshot().keyed).flat(), [], "every window's state is gone");
      return [show(h1.output()).sort(), show(g.output()).sort()];
    };
    await fc.assert(
      fc.asyncProperty(propertyEvents(), async (list) => {
        const [one, two] = await run(list as Event[]);
        assert.deepEqual(two, one);
      }),
      { numRuns: 100 },
    );
  });
});
