/** Joins under the operator harness: regular inner/outer joins and the event-time interval join. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension, Joins, WindowStrategy } from "@weir/api";
import { TwoInputHarness } from "./index.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

interface Order {
  readonly user: string;
  readonly item: string;
}
interface Payment {
  readonly user: string;
  readonly amount: number;
}

const keys = { keySelectors: [(o: Order) => o.user, (p: Payment) => p.user] as const };

describe("regular join", () => {
  test("inner join emits each matching pair once, when the later record arrives", async () => {
    await using h = await TwoInputHarness.forFunction(
      Joins.join<Order, Payment, string, string>({
        processRecord: (o, p, out) => out.collect(`${o.user}:${o.item}:${p.amount}`),
      }),
      keys,
    );
    h.processRecord1({ user: "a", item: "x" });
    assert.deepEqual(h.output(), []);
    h.processRecord2({ user: "a", amount: 1 });
    h.processRecord2({ user: "b", amount: 2 });
    h.processRecord2({ user: "a", amount: 3 });
    h.processRecord1({ user: "a", item: "y" });
    assert.deepEqual(h.output(), ["a:x:1", "a:x:3", "a:y:1", "a:y:3"]);
    h.endInput(0);
    h.endInput(1);
    assert.equal(h.output().length, 4, "an inner join emits nothing more at the end");
  });

  for (const [type, expected] of [
    ["LEFT", ["a:x:1", "c:z:-"]],
    ["RIGHT", ["a:x:1", "-:-:2"]],
    ["FULL", ["a:x:1", "c:z:-", "-:-:2"]],
  ] as const) {
    test(`${type} outer join emits unmatched records with null once both inputs ended`, async () => {
      await using h = await TwoInputHarness.forFunction(
        Joins.outerJoin<Order, Payment, string, string>(
          {
            processRecord: (o, p, out) =>
              out.collect(`${o?.user ?? "-"}:${o?.item ?? "-"}:${p?.amount ?? "-"}`),
          },
          type,
        ),
        keys,
      );
      h.processRecord1({ user: "a", item: "x" });
      h.processRecord1({ user: "c", item: "z" });
      h.processRecord2({ user: "a", amount: 1 });
      h.processRecord2({ user: "b", amount: 2 });
      h.endInput(0);
      assert.deepEqual(h.output(), ["a:x:1"], "nothing unmatched before both inputs ended");
      h.endInput(1);
      assert.deepEqual([...h.output()].sort(), [...expected].sort());
    });
  }

  test("an outer join does not report a record that matched later as unmatched", async () => {
    await using h = await TwoInputHarness.forFunction(
      Joins.outerJoin<Order, Payment, string, string>(
        { processRecord: (o, p, out) => out.collect(`${o?.item ?? "-"}:${p?.amount ?? "-"}`) },
        "FULL",
      ),
      keys,
    );
    h.processRecord2({ user: "a", amount: 1 });
    h.processRecord1({ user: "a", item: "x" });
    h.endInput(0);
    h.endInput(1);
    assert.deepEqual(h.output(), ["x:1"]);
  });

  test("bad arguments are rejected", () => {
    assert.throws(() => Joins.join(null as never), /Joins.join expects a join function/);
    assert.throws(
      () => Joins.outerJoin({ processRecord() {} }, "SIDEWAYS" as never),
      /INNER, LEFT, RIGHT or FULL/,
    );
    assert.throws(
      () => Joins.intervalJoin({ processRecord() {} }, { lowerBoundMs: 5, upperBoundMs: 1 }),
      /lowerBoundMs <= upperBoundMs/,
    );
  });
});

describe("interval join", () => {
  const join = () =>
    Joins.intervalJoin<Order, Payment, string, string>(
      { processRecord: (o, p, out) => out.collect(`${o.item}:${p.amount}`) },
      { lowerBoundMs: -2, upperBoundMs: 1 },
    );

  test("pairs within the bounds meet once, stamped with the later timestamp; state is dropped as event time passes", async () => {
    await using h = await TwoInputHarness.forFunction(join(), keys);
    h.processRecord1({ user: "k", item: "L5" }, 5);
    h.processRecord2({ user: "k", amount: 4 }, 4); // 4 in [3, 6]
    h.processRecord2({ user: "k", amount: 7 }, 7); // 7 not in [3, 6]
    h.processRecord2({ user: "k", amount: 6 }, 6); // 6 in [3, 6] (inclusive)
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "L5:4", timestamp: 5 },
      { value: "L5:6", timestamp: 6 },
    ]);
    h.processRecord1({ user: "k", item: "L8" }, 8); // meets R in [6, 9]: 6 and 7
    assert.deepEqual(h.output().slice(2).sort(), ["L8:6", "L8:7"]);
    // Event time 100 on both inputs: everything buffered can no longer match and is dropped.
    h.processWatermark(0, EVENT_TIME.newWatermark(100));
    h.processWatermark(1, EVENT_TIME.newWatermark(100));
    const snapshot = h.snapshot();
    assert.deepEqual(snapshot.keyed, { "interval-join-left": [], "interval-join-right": [] });
    // A record at or behind event time is late and dropped.
    h.processRecord2({ user: "k", amount: 99 }, 99);
    h.processRecord1({ user: "k", item: "L101" }, 101);
    assert.equal(h.output().length, 4);
  });

  test("event time is the minimum of both inputs", async () => {
    await using h = await TwoInputHarness.forFunction(join(), keys);
    h.processWatermark(0, EVENT_TIME.newWatermark(50));
    assert.deepEqual(h.outputWatermarks(), [], "no event time until both inputs have one");
    h.processWatermark(1, EVENT_TIME.newWatermark(20));
    h.processWatermark(1, EVENT_TIME.newWatermark(70));
    assert.deepEqual(
      h.outputWatermarks().map((w) => w.value),
      [20, 50],
    );
    // At event time 50, a left record at 40 is late; one at 60 is not.
    h.processRecord2({ user: "k", amount: 1 }, 60);
    h.processRecord1({ user: "k", item: "L40" }, 40);
    h.processRecord1({ user: "k", item: "L60" }, 60);
    assert.deepEqual(h.output(), ["L60:1"]);
  });
});

describe("window join", () => {
  test("pairs of one key in the same tumbling window are emitted when it fires, then dropped", async () => {
    await using h = await TwoInputHarness.forFunction(
      Joins.windowJoin<Order, Payment, string, string>(
        { processRecord: (o, p, out) => out.collect(`${o.item}:${p.amount}`) },
        WindowStrategy.tumbling(10),
      ),
      keys,
    );
    h.processRecord1({ user: "k", item: "L3" }, 3);
    h.processRecord2({ user: "k", amount: 7 }, 7);
    h.processRecord2({ user: "k", amount: 12 }, 12);
    h.processRecord2({ user: "other", amount: 5 }, 5);
    assert.deepEqual(h.output(), [], "nothing before the window fires");
    h.processWatermark(0, EVENT_TIME.newWatermark(9));
    h.processWatermark(1, EVENT_TIME.newWatermark(9));
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "L3:7", timestamp: 9 }]);
    h.processRecord1({ user: "k", item: "L5" }, 5); // its window fired: late, dropped
    h.processRecord1({ user: "k", item: "L15" }, 15);
    h.processWatermark(0, EVENT_TIME.newWatermark(19));
    h.processWatermark(1, EVENT_TIME.newWatermark(19));
    assert.deepEqual(h.output(), ["L3:7", "L15:12"]);
    assert.deepEqual(h.snapshot().keyed, { "window-join-left": [], "window-join-right": [] });
  });

  test("sliding windows pair records once per window they share", async () => {
    await using h = await TwoInputHarness.forFunction(
      Joins.windowJoin<Order, Payment, string, string>(
        { processRecord: (o, p, out) => out.collect(`${o.item}:${p.amount}`) },
        WindowStrategy.sliding(10, 5),
      ),
      keys,
    );
    h.processRecord1({ user: "k", item: "L6" }, 6); // windows [0,10) and [5,15)
    h.processRecord2({ user: "k", amount: 8 }, 8); // windows [0,10) and [5,15)
    h.processRecord2({ user: "k", amount: 12 }, 12); // windows [5,15) and [10,20)
    h.processWatermark(0, EVENT_TIME.newWatermark(100));
    h.processWatermark(1, EVENT_TIME.newWatermark(100));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "L6:8", timestamp: 9 },
      { value: "L6:8", timestamp: 14 },
      { value: "L6:12", timestamp: 14 },
    ]);
  });

  test("only event-time tumbling and sliding windows can be joined", () => {
    const fn = { processRecord() {} };
    assert.throws(
      () => Joins.windowJoin(fn, WindowStrategy.session(10)),
      /supports tumbling and sliding windows/,
    );
    assert.throws(
      () => Joins.windowJoin(fn, WindowStrategy.tumbling(10, { timeType: "PROCESSING" })),
      /joins on event time/,
    );
  });
});
