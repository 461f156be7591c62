/**
 * OVER aggregation under the operator harness: event-time rows wait for the watermark and come out
 * in timestamp order; ROWS frames count rows, RANGE frames span time and treat equal times as peers;
 * late rows (not after the key's last emitted time, as Flink) are dropped; a RANGE frame keeps only the rows a later row could need. Expected rows
 * are worked out by hand from Flink's OVER semantics.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { insert, show } from "../testing/changelog.ts";
import { appendOnlyMinAggregate, call, countAggregate, sumAggregate } from "../testing/test-aggregates.ts";
import { OverAggregateFunction } from "./over-aggregate-function.ts";
import type { OverFrame } from "./over-specs.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

/** Input rows: [key, value, rowtime]; calls COUNT(*), SUM(value). */
async function harness(frame: OverFrame, timeKind: "rowtime" | "proctime" = "rowtime") {
  const fn = new OverAggregateFunction({
    partitionKey: [0],
    timeIndex: 2,
    timeKind,
    frame,
    calls: [call("COUNT(*)", countAggregate, []), call("SUM($1)", sumAggregate, [1])],
    stateTtlMs: 0,
  });
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: (row: RowData) => row.fields[0] as string,
  });
}

describe("event-time OVER aggregation", () => {
  test("ROWS 1 PRECEDING: rows come out in timestamp order when the watermark passes them", async () => {
    await using h = await harness({ kind: "ROWS", preceding: 1 });
    for (const [k, v, t] of [
      ["a", 1n, 1],
      ["a", 10n, 3],
      ["a", 100n, 2],
      ["b", 5n, 2],
    ] as const)
      h.processRecord(insert(k, v, t), t);
    assert.deepEqual(show(h.output()), [], "nothing before the watermark");
    h.processWatermark(EVENT_TIME.newWatermark(2));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 1, 1, 1]", "+I[a, 100, 2, 2, 101]", "+I[b, 5, 2, 1, 5]"]);
    h.clearOutput();
    h.processRecord(insert("a", 7n, 2), 2); // not later than the watermark: dropped
    h.processWatermark(EVENT_TIME.newWatermark(3));
    assert.deepEqual(show(h.output()), ["+I[a, 10, 3, 2, 110]"], "the row at 1 left the frame");
  });

  test("a row behind the watermark but after its key's last emitted time is kept, as Flink does", async () => {
    await using h = await harness({ kind: "ROWS", preceding: 1 });
    h.processRecord(insert("b", 5n, 2), 2);
    h.processWatermark(EVENT_TIME.newWatermark(10));
    assert.deepEqual(show(h.output()), ["+I[b, 5, 2, 1, 5]"]);
    h.clearOutput();
    // Flink's lastTriggeringTs for b is 2: 4 is behind the watermark (10) but not late; 2 is late.
    h.processRecord(insert("b", 6n, 4), 4);
    h.processRecord(insert("b", 8n, 2), 2);
    assert.deepEqual(show(h.output()), [], "it waits for the next watermark, like any row");
    h.processWatermark(EVENT_TIME.newWatermark(11));
    assert.deepEqual(show(h.output()), ["+I[b, 6, 4, 2, 11]"]);
  });

  test("ROWS UNBOUNDED: rows of the same time are folded one by one", async () => {
    await using h = await harness({ kind: "ROWS", preceding: null });
    for (const [v, t] of [
      [1n, 5],
      [2n, 5],
      [4n, 9],
    ] as const)
      h.processRecord(insert("a", v, t), t);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 5, 1, 1]", "+I[a, 2, 5, 2, 3]", "+I[a, 4, 9, 3, 7]"]);
  });

  test("RANGE UNBOUNDED: rows of the same time are peers and share one result", async () => {
    await using h = await harness({ kind: "RANGE", precedingMs: null });
    for (const [v, t] of [
      [1n, 5],
      [2n, 5],
      [4n, 9],
    ] as const)
      h.processRecord(insert("a", v, t), t);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 5, 2, 3]", "+I[a, 2, 5, 2, 3]", "+I[a, 4, 9, 3, 7]"]);
  });

  test("RANGE 10 PRECEDING: the frame is [t - 10, t]; a key keeps only the rows a later row could need", async () => {
    await using h = await harness({ kind: "RANGE", precedingMs: 10 });
    for (const [v, t] of [
      [1n, 0],
      [2n, 10],
      [4n, 11],
      [8n, 30],
    ] as const)
      h.processRecord(insert("a", v, t), t);
    h.processWatermark(EVENT_TIME.newWatermark(30));
    assert.deepEqual(show(h.output()), [
      "+I[a, 1, 0, 1, 1]",
      "+I[a, 2, 10, 2, 3]",
      "+I[a, 4, 11, 2, 6]",
      "+I[a, 8, 30, 1, 8]",
    ]);
    assert.notDeepEqual(
      Object.values(h.snapshot().keyed).flat(),
      [],
      "the row at 30 may still be in a frame",
    );
    h.processWatermark(EVENT_TIME.newWatermark(41));
    // A row at 31..40 may still arrive (behind the watermark, after the last emitted time: not
    // late, as Flink's lastTriggeringTs) and its frame holds the row at 30: that row stays.
    h.clearOutput();
    h.processRecord(insert("a", 16n, 35), 35);
    h.processWatermark(EVENT_TIME.newWatermark(42));
    assert.deepEqual(show(h.output()), ["+I[a, 16, 35, 2, 24]"]);
    assert.deepEqual(h.snapshot().eventTimers ?? [], [], "no timers are left");
  });

  test("a bounded frame refuses an aggregate that cannot take rows back", () => {
    assert.throws(
      () =>
        new OverAggregateFunction({
          partitionKey: [0],
          timeIndex: 2,
          timeKind: "rowtime",
          frame: { kind: "ROWS", preceding: 2 },
          calls: [call("MIN($1)", appendOnlyMinAggregate, [1])],
          stateTtlMs: 0,
        }),
      /MIN\(\$1\) cannot run in a bounded OVER window/,
    );
  });

  test("a restored operator emits the rows it was holding", async () => {
    const options = { keySelector: (row: RowData) => row.fields[0] as string };
    const fn = () =>
      EventTimeExtension.wrapProcessFunction(
        new OverAggregateFunction({
          partitionKey: [0],
          timeIndex: 2,
          timeKind: "rowtime",
          frame: { kind: "ROWS", preceding: 1 },
          calls: [call("SUM($1)", sumAggregate, [1])],
          stateTtlMs: 0,
        }),
      );
    const h = await OneInputHarness.forFunction(fn(), options);
    h.processRecord(insert("a", 5n, 2), 2);
    h.processWatermark(EVENT_TIME.newWatermark(2));
    h.processRecord(insert("a", 6n, 3), 3);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(fn(), snapshot, options);
    restored.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(restored.output()), ["+I[a, 6, 3, 11]"]);
  });
});

describe("processing-time OVER aggregation", () => {
  test("ROWS 1 PRECEDING: each row comes out on arrival", async () => {
    await using h = await harness({ kind: "ROWS", preceding: 1 }, "proctime");
    h.processRecord(insert("a", 1n, null));
    h.processRecord(insert("a", 2n, null));
    h.processRecord(insert("a", 4n, null));
    assert.deepEqual(show(h.output()), [
      "+I[a, 1, null, 1, 1]",
      "+I[a, 2, null, 2, 3]",
      "+I[a, 4, null, 2, 6]",
    ]);
  });

  test("RANGE 100 PRECEDING: rows older than the range leave the frame, and their state is freed", async () => {
    await using h = await harness({ kind: "RANGE", precedingMs: 100 }, "proctime");
    h.advanceProcessingTime(0);
    h.processRecord(insert("a", 1n, null));
    h.advanceProcessingTime(50);
    h.processRecord(insert("a", 2n, null));
    h.advanceProcessingTime(120);
    h.processRecord(insert("a", 4n, null));
    assert.deepEqual(show(h.output()), [
      "+I[a, 1, null, 1, 1]",
      "+I[a, 2, null, 2, 3]",
      "+I[a, 4, null, 2, 6]",
    ]);
    h.advanceProcessingTime(221);
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), []);
  });
});

/** Size of the operator's keyed state as text (Maps and bigints spelled out). */
function stateSize(keyed: unknown): number {
  return JSON.stringify(keyed, (_, v) =>
    typeof v === "bigint" ? String(v) : v instanceof Map ? [...v.entries()] : v,
  ).length;
}

describe("OVER aggregation state on a long input", () => {
  test("ROWS 5 and RANGE 20 frames keep state bounded while the watermark advances", async () => {
    for (const frame of [
      { kind: "ROWS", preceding: 5 },
      { kind: "RANGE", precedingMs: 20 },
    ] as const) {
      await using h = await harness(frame);
      const sizes: number[] = [];
      for (let t = 1; t <= 20_000; t++) {
        h.processRecord(insert(t % 2 === 0 ? "a" : "b", 1n, t), t);
        if (t % 10 === 0) h.processWatermark(EVENT_TIME.newWatermark(t - 5));
        if (t % 100 === 0) h.clearOutput();
        if (t === 2_000 || t === 20_000) sizes.push(stateSize(h.snapshot().keyed));
      }
      assert.ok(sizes[0]! > 100, `${frame.kind}: rows of the frame are held`);
      assert.ok(
        sizes[1]! <= sizes[0]! * 1.5,
        `${frame.kind}: state grew from ${sizes[0]} to ${sizes[1]} characters`,
      );
    }
  });
});
