/**
 * The event-time temporal join under the two-input harness: each left row is joined with the
 * version valid at its time once the watermark (minimum of both inputs) passes it; deletions end a
 * version; LEFT pads; old versions and emitted left rows leave state. Expected rows are worked out
 * by hand. Left rows: [id, cur, t]; right rows (rates): [cur, rate, t].
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { TwoInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { insert, remove, show, updateAfter, updateBefore } from "../testing/changelog.ts";
import { TemporalJoinFunction, type TemporalJoinSpec } from "./temporal-join-function.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

function joinFunction(spec: Partial<TemporalJoinSpec> = {}) {
  const fn = new TemporalJoinFunction({
    joinType: "INNER",
    leftTimeIndex: 2,
    rightTimeIndex: 2,
    rightArity: 3,
    remaining: null,
    ...spec,
  });
  return EventTimeExtension.wrapProcessFunction(fn);
}

const keySelectors = [
  (row: RowData) => row.fields[1] as string,
  (row: RowData) => row.fields[0] as string,
] as const;

async function harness(spec: Partial<TemporalJoinSpec> = {}) {
  return TwoInputHarness.forFunction(joinFunction(spec), { keySelectors });
}

type Harness = Awaited<ReturnType<typeof harness>>;

function watermark(h: Harness, t: number): void {
  h.processWatermark(0, EVENT_TIME.newWatermark(t));
  h.processWatermark(1, EVENT_TIME.newWatermark(t));
}

describe("TemporalJoinFunction", () => {
  test("joins the version valid at the left row's time, when the watermark passes it", async () => {
    await using h = await harness();
    h.processRecord2(insert("EUR", 114, 100), 100);
    h.processRecord2(updateBefore("EUR", 114, 100), 150);
    h.processRecord2(updateAfter("EUR", 116, 150), 150);
    h.processRecord1(insert(1, "EUR", 120), 120);
    h.processRecord1(insert(2, "EUR", 160), 160);
    h.processRecord1(insert(3, "EUR", 50), 50); // before any version: no match
    h.processRecord1(insert(4, "USD", 130), 130); // no such key
    watermark(h, 119);
    assert.deepEqual(show(h.output()), [], "row 3 had no version (INNER); rows 1 and 2 wait");
    watermark(h, 155);
    assert.deepEqual(show(h.output()), ["+I[1, EUR, 120, EUR, 114, 100]"]);
    h.clearOutput();
    // A version arriving late but before the watermark passed the left row still counts.
    h.processRecord2(updateAfter("EUR", 118, 158), 158);
    watermark(h, 170);
    assert.deepEqual(show(h.output()), ["+I[2, EUR, 160, EUR, 118, 158]"]);
  });

  test("a deletion ends the version; LEFT pads rows without a version or failing the condition", async () => {
    await using h = await harness({
      joinType: "LEFT",
      remaining: (left, right) => (right[1] as number) > (left[0] as number),
    });
    h.processRecord2(insert("EUR", 114, 100), 100);
    h.processRecord2(remove("EUR", 114, 200), 200);
    h.processRecord1(insert(1, "EUR", 150), 150);
    h.processRecord1(insert(2, "EUR", 250), 250); // after the deletion
    h.processRecord1(insert(500, "EUR", 160), 160); // 114 > 500 fails
    h.processRecord1(insert(3, "GBP", 10), 10);
    watermark(h, 300);
    assert.deepEqual(show(h.output()), [
      "+I[3, GBP, 10, null, null, null]",
      "+I[1, EUR, 150, EUR, 114, 100]",
      "+I[500, EUR, 160, null, null, null]",
      "+I[2, EUR, 250, null, null, null]",
    ]);
  });

  test("state keeps only what later rows can see, and nothing once a key is deleted", async () => {
    await using h = await harness();
    h.processRecord2(insert("EUR", 1, 10), 10);
    h.processRecord2(updateAfter("EUR", 2, 20), 20);
    h.processRecord2(updateAfter("EUR", 3, 30), 30);
    h.processRecord1(insert(1, "EUR", 25), 25);
    watermark(h, 25);
    assert.deepEqual(show(h.output()), ["+I[1, EUR, 25, EUR, 2, 20]"]);
    const versions = (): unknown[] => Object.values(h.snapshot().keyed).flat();
    // Left rows are gone; versions 20 (current at the watermark) and 30 remain.
    assert.equal(JSON.stringify(versions()).includes('["EUR",1,10]'), false);
    assert.equal(JSON.stringify(versions()).includes('["EUR",2,20]'), true);
    h.processRecord2(remove("EUR", 3, 40), 40);
    watermark(h, 50);
    assert.deepEqual(versions(), [], "a key whose latest version is a deletion has no state");
    assert.deepEqual(h.snapshot().eventTimers ?? [], [], "nor timers");
  });

  test("pending rows, versions and timers survive a snapshot and restore", async () => {
    await using h = await harness();
    h.processRecord2(insert("EUR", 114, 100), 100);
    h.processRecord2(updateAfter("EUR", 116, 150), 150);
    h.processRecord1(insert(1, "EUR", 120), 120);
    watermark(h, 110);
    await using restored = await TwoInputHarness.restore(joinFunction(), h.snapshot(), { keySelectors });
    restored.processRecord1(insert(2, "EUR", 160), 160);
    watermark(restored, 200);
    assert.deepEqual(show(restored.output()), [
      "+I[1, EUR, 120, EUR, 114, 100]",
      "+I[2, EUR, 160, EUR, 116, 150]",
    ]);
  });
});
