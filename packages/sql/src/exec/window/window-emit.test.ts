/**
 * Early and late firing of window aggregations (legacy group windows' `table.exec.emit.*`) under
 * the operator harness, with out-of-order and late rows, a hand-driven processing-time clock for
 * delayed firings, and state that is freed once the watermark passes end − 1 + allowed lateness.
 * Expected changelogs are worked out by hand from Flink's AfterEndOfWindow trigger with early and
 * late firings (ElementTriggers.every for delay 0, ProcessingTimeTriggers.every otherwise).
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { insert, materialize, show } from "../testing/changelog.ts";
import { call, countAggregate, sumAggregate } from "../testing/test-aggregates.ts";
import { AttachedWindowAggregateFunction } from "./attached-window-aggregate-function.ts";
import { WindowAggregateFunction } from "./window-aggregate-function.ts";
import type { WindowEmitStrategy, WindowTimeKind } from "./window-specs.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

function emit(
  early: number | null,
  late: number | null,
  allowLatenessMs = 0,
  generateUpdateBefore = true,
): WindowEmitStrategy {
  return { earlyFireDelayMs: early, lateFireDelayMs: late, allowLatenessMs, generateUpdateBefore };
}

/** TUMBLE 10 ms, `COUNT(*), SUM(v)` per key; rows [key, v, rowtime]. */
async function tumble(strategy: WindowEmitStrategy, timeKind: WindowTimeKind = "rowtime") {
  const fn = new WindowAggregateFunction({
    strategy: { kind: "TUMBLE", sizeMs: 10, offsetMs: 0 },
    timeIndex: 2,
    timeKind,
    groupKey: [0],
    calls: [call("COUNT(*)", countAggregate, []), call("SUM($1)", sumAggregate, [1])],
    stateTtlMs: 0,
    emit: strategy,
  });
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: (row: RowData) => row.fields[0] as string,
  });
}

type Harness = Awaited<ReturnType<typeof tumble>>;

function row(h: Harness, k: string, v: number, t: number): void {
  h.processRecord(insert(k, BigInt(v), t), t);
}

function take(h: Harness): string[] {
  const out = show(h.output());
  h.clearOutput();
  return out;
}

const stateLeft = (h: { snapshot(): { keyed: Record<string, unknown[]> } }) =>
  Object.values(h.snapshot().keyed).flat();

describe("early firing", () => {
  test("delay 0: every row fires; out-of-order rows update; the close with no change emits nothing", async () => {
    await using h = await tumble(emit(0, null));
    row(h, "a", 1, 5);
    assert.deepEqual(take(h), ["+I[a, 1, 1, 0, 10, 9]"]);
    row(h, "a", 2, 3); // out of order, same window
    assert.deepEqual(take(h), ["-U[a, 1, 1, 0, 10, 9]", "+U[a, 2, 3, 0, 10, 9]"]);
    row(h, "a", 4, 12); // next window
    assert.deepEqual(take(h), ["+I[a, 1, 4, 10, 20, 19]"]);
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(take(h), [], "closing [0, 10) changes nothing already emitted");
    row(h, "a", 8, 7); // late, no allowed lateness: dropped
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(take(h), []);
    assert.deepEqual(stateLeft(h), [], "windows are freed when they close");
  });

  test("an upsert consumer gets +U without -U", async () => {
    await using h = await tumble(emit(0, null, 0, false));
    row(h, "a", 1, 1);
    row(h, "a", 1, 2);
    assert.deepEqual(take(h), ["+I[a, 1, 1, 0, 10, 9]", "+U[a, 2, 2, 0, 10, 9]"]);
  });

  test("delay 100 ms: fires 100 ms of processing time after the first row since the last firing", async () => {
    await using h = await tumble(emit(100, null));
    h.advanceProcessingTime(1_000);
    row(h, "a", 1, 1); // arms a firing at 1100
    h.advanceProcessingTime(1_050);
    row(h, "a", 2, 2); // already armed
    assert.deepEqual(take(h), []);
    h.advanceProcessingTime(1_100);
    assert.deepEqual(take(h), ["+I[a, 2, 3, 0, 10, 9]"]);
    h.advanceProcessingTime(1_500);
    assert.deepEqual(take(h), [], "nothing armed: no firing");
    row(h, "a", 4, 4); // arms 1600
    h.advanceProcessingTime(1_599);
    assert.deepEqual(take(h), []);
    h.advanceProcessingTime(1_600);
    assert.deepEqual(take(h), ["-U[a, 2, 3, 0, 10, 9]", "+U[a, 3, 7, 0, 10, 9]"]);
    row(h, "a", 8, 5); // arms 1700, but the window closes first
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(take(h), ["-U[a, 3, 7, 0, 10, 9]", "+U[a, 4, 15, 0, 10, 9]"]);
    h.advanceProcessingTime(1_700);
    assert.deepEqual(take(h), [], "the early firing armed before the close is gone with the window");
  });

  test("processing-time windows: early firings, then the close on the clock", async () => {
    await using h = await tumble(emit(0, null), "proctime");
    h.advanceProcessingTime(500);
    h.processRecord(insert("a", 1n, null));
    h.processRecord(insert("a", 2n, null));
    assert.deepEqual(take(h), [
      "+I[a, 1, 1, 500, 510, 509]",
      "-U[a, 1, 1, 500, 510, 509]",
      "+U[a, 2, 3, 500, 510, 509]",
    ]);
    h.advanceProcessingTime(510);
    assert.deepEqual(take(h), [], "the close changes nothing");
    assert.deepEqual(stateLeft(h), []);
  });
});

describe("late firing", () => {
  test("delay 0, lateness 5: late rows within it update the fired window; then it is freed and later rows dropped", async () => {
    await using h = await tumble(emit(null, 0, 5));
    row(h, "a", 1, 2);
    row(h, "a", 2, 1);
    assert.deepEqual(take(h), [], "no early firing: nothing before the close");
    h.processWatermark(EVENT_TIME.newWatermark(10));
    assert.deepEqual(take(h), ["+I[a, 2, 3, 0, 10, 9]"]);
    row(h, "a", 4, 3); // late by 7, within end - 1 + 5 = 14
    assert.deepEqual(take(h), ["-U[a, 2, 3, 0, 10, 9]", "+U[a, 3, 7, 0, 10, 9]"]);
    h.processWatermark(EVENT_TIME.newWatermark(13));
    row(h, "a", 8, 9);
    assert.deepEqual(take(h), ["-U[a, 3, 7, 0, 10, 9]", "+U[a, 4, 15, 0, 10, 9]"]);
    h.processWatermark(EVENT_TIME.newWatermark(14)); // end - 1 + 5: freed
    assert.deepEqual(stateLeft(h), []);
    row(h, "a", 16, 4); // too late now
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(take(h), []);
  });

  test("a late row for a window that never had a row fires it at once (+I), as Flink's trigger does", async () => {
    await using h = await tumble(emit(null, 0, 50));
    h.processWatermark(EVENT_TIME.newWatermark(30));
    row(h, "b", 1, 5);
    assert.deepEqual(take(h), ["+I[b, 1, 1, 0, 10, 9]"]);
    row(h, "b", 1, 6);
    assert.deepEqual(take(h), ["-U[b, 1, 1, 0, 10, 9]", "+U[b, 2, 2, 0, 10, 9]"]);
  });

  test("delay 100 ms: late rows fire together 100 ms after the first of them", async () => {
    await using h = await tumble(emit(null, 100, 1_000));
    h.advanceProcessingTime(0);
    row(h, "a", 1, 1);
    h.processWatermark(EVENT_TIME.newWatermark(20));
    assert.deepEqual(take(h), ["+I[a, 1, 1, 0, 10, 9]"]);
    row(h, "a", 1, 2);
    row(h, "a", 1, 3);
    h.advanceProcessingTime(100);
    assert.deepEqual(take(h), ["-U[a, 1, 1, 0, 10, 9]", "+U[a, 3, 3, 0, 10, 9]"]);
  });

  test("attached windows: early and late firing per (group, window)", async () => {
    const fn = new AttachedWindowAggregateFunction({
      groupKey: [0, 1, 2],
      windowEndIndex: 2,
      timeKind: "rowtime",
      calls: [call("COUNT(*)", countAggregate, [])],
      stateTtlMs: 0,
      emit: emit(0, 0, 5),
    });
    await using h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
      keySelector: (r: RowData) => [r.fields[0] as string, r.fields[1] as number, r.fields[2] as number],
    });
    h.processRecord(insert("x", 0, 10), 9);
    h.processRecord(insert("x", 0, 10), 9);
    h.processWatermark(EVENT_TIME.newWatermark(12));
    h.processRecord(insert("x", 0, 10), 9); // late, within 5
    h.processWatermark(EVENT_TIME.newWatermark(14));
    h.processRecord(insert("x", 0, 10), 9); // too late
    assert.deepEqual(show(h.output()), [
      "+I[x, 0, 10, 1]",
      "-U[x, 0, 10, 1]",
      "+U[x, 0, 10, 2]",
      "-U[x, 0, 10, 2]",
      "+U[x, 0, 10, 3]",
    ]);
    assert.deepEqual(stateLeft(h), []);
  });
});

describe("bounded state with early and late firing", () => {
  test("windows are freed as the watermark passes end - 1 + lateness over 20 000 out-of-order rows", async () => {
    await using h = await tumble(emit(0, 0, 30));
    const sizes: number[] = [];
    let now = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = i + ((i * 7919) % 40) - 20; // up to 20 ms out of order
      row(h, `k${i % 5}`, 1, t);
      if (i % 10 === 0) h.processWatermark(EVENT_TIME.newWatermark(i - 25));
      if (i % 500 === 0) {
        now += 10;
        h.advanceProcessingTime(now);
      }
      if (i % 1_000 === 0) {
        const changelog = h.output();
        assert.ok(materialize(changelog).length > 0);
        h.clearOutput();
      }
      if (i === 2_000 || i === 19_999)
        sizes.push(JSON.stringify(stateLeft(h), (_, v) => (typeof v === "bigint" ? String(v) : v)).length);
    }
    assert.ok(sizes[0]! > 100, "open windows are held");
    assert.ok(sizes[1]! <= sizes[0]! * 1.5, `state grew from ${sizes[0]} to ${sizes[1]} characters`);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(stateLeft(h), []);
    assert.deepEqual(h.snapshot().eventTimers ?? [], []);
  });
});
