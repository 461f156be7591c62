/**
 * The window join operator under the two-input harness: each window's rows of both sides are
 * joined once when the watermark (minimum of both inputs) passes window_end - 1, for every join
 * type; late rows are dropped; state and timers are gone afterwards. Rows: [id, v, window_end];
 * keyed by [id, window_end]. Expected rows are worked out by hand.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { TwoInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { insert, show } from "../testing/changelog.ts";
import { WindowJoinFunction, type WindowJoinSpec } from "./window-join-function.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

async function harness(spec: Partial<WindowJoinSpec>) {
  const fn = new WindowJoinFunction({
    joinType: "INNER",
    leftWindowEndIndex: 2,
    rightWindowEndIndex: 2,
    leftArity: 3,
    rightArity: 3,
    condition: null,
    timeKind: "rowtime",
    ...spec,
  });
  const key = (row: RowData) => `${row.fields[0]}@${row.fields[2]}`;
  return TwoInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelectors: [key, key],
  });
}

type Harness = Awaited<ReturnType<typeof harness>>;

function watermark(h: Harness, t: number): void {
  h.processWatermark(0, EVENT_TIME.newWatermark(t));
  h.processWatermark(1, EVENT_TIME.newWatermark(t));
}

/** Window 10: id 1 on both sides (one left, two right), id 2 left only, id 4 right only. */
function feed(h: Harness): void {
  h.processRecord1(insert(1, "L1", 10), 1);
  h.processRecord1(insert(2, "L2", 10), 3);
  h.processRecord2(insert(1, "R1", 10), 2);
  h.processRecord2(insert(1, "R2", 10), 4);
  h.processRecord2(insert(4, "R3", 10), 5);
}

describe("WindowJoinFunction", () => {
  test("INNER joins a window's rows once it closes; late rows dropped; state freed", async () => {
    await using h = await harness({});
    feed(h);
    h.processRecord1(insert(1, "L9", 20), 12);
    watermark(h, 8);
    assert.deepEqual(show(h.output()), []);
    watermark(h, 9);
    assert.deepEqual(show(h.output()).sort(), ["+I[1, L1, 10, 1, R1, 10]", "+I[1, L1, 10, 1, R2, 10]"]);
    h.clearOutput();
    h.processRecord2(insert(1, "late", 10), 6);
    h.processRecord2(insert(1, "R9", 20), 13);
    watermark(h, Number.POSITIVE_INFINITY);
    assert.deepEqual(show(h.output()), ["+I[1, L9, 20, 1, R9, 20]"]);
    const snapshot = h.snapshot();
    assert.deepEqual(Object.values(snapshot.keyed).flat(), [], "no window state after every window fired");
    assert.deepEqual(snapshot.eventTimers ?? [], [], "nor timers");
  });

  test("outer, semi and anti joins pad or filter per window", async () => {
    const cases: [WindowJoinSpec["joinType"], string[]][] = [
      ["LEFT", ["+I[1, L1, 10, 1, R1, 10]", "+I[1, L1, 10, 1, R2, 10]", "+I[2, L2, 10, null, null, null]"]],
      ["RIGHT", ["+I[1, L1, 10, 1, R1, 10]", "+I[1, L1, 10, 1, R2, 10]", "+I[null, null, null, 4, R3, 10]"]],
      [
        "FULL",
        [
          "+I[1, L1, 10, 1, R1, 10]",
          "+I[1, L1, 10, 1, R2, 10]",
          "+I[2, L2, 10, null, null, null]",
          "+I[null, null, null, 4, R3, 10]",
        ],
      ],
      ["SEMI", ["+I[1, L1, 10]"]],
      ["ANTI", ["+I[2, L2, 10]"]],
    ];
    for (const [joinType, expected] of cases) {
      await using h = await harness({ joinType });
      feed(h);
      watermark(h, 9);
      assert.deepEqual(show(h.output()).sort(), [...expected].sort(), joinType);
    }
  });

  test("the remaining condition decides matches", async () => {
    await using h = await harness({ joinType: "LEFT", condition: (_l, r) => r[1] === "R2" });
    feed(h);
    watermark(h, 9);
    assert.deepEqual(show(h.output()).sort(), [
      "+I[1, L1, 10, 1, R2, 10]",
      "+I[2, L2, 10, null, null, null]",
    ]);
  });
});
