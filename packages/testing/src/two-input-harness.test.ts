/**
 * Tests of the two-input harness: both inputs of a keyed connect share one key's state, each
 * input ends on its own, and timers belong to keys regardless of which input registered them.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StateDeclarations, type TwoInputNonBroadcastStreamProcessFunction } from "@weir/api";
import { TwoInputHarness, UserCodeError } from "./index.ts";

interface Order {
  readonly id: string;
  readonly item: string;
}
interface Payment {
  readonly orderId: string;
  readonly amount: number;
}

const ORDER = StateDeclarations.value<string>("order");
const PAYMENTS = StateDeclarations.list<number>("payments");

/** Joins orders with payments by order id; a payment without its order times out after 1 s. */
const join: TwoInputNonBroadcastStreamProcessFunction<Order, Payment, string, string> = {
  usesStates: () => [ORDER, PAYMENTS],
  processRecordFromFirstInput(order, out, ctx) {
    ctx.stateManager.getState(ORDER).update(order.item);
    for (const amount of ctx.stateManager.getState(PAYMENTS).get())
      out.collect(`${order.item} paid ${amount}`);
    ctx.stateManager.getState(PAYMENTS).clear();
  },
  processRecordFromSecondInput(payment, out, ctx) {
    const item = ctx.stateManager.getState(ORDER).value();
    if (item !== undefined) {
      out.collect(`${item} paid ${payment.amount}`);
      return;
    }
    ctx.stateManager.getState(PAYMENTS).add(payment.amount);
    ctx.processingTimeManager.registerTimer(ctx.processingTimeManager.currentTime() + 1_000);
  },
  onProcessingTimer(_t, out, ctx) {
    const pending = ctx.stateManager.getState(PAYMENTS).get();
    if (pending.length > 0)
      out.collect(`order ${ctx.stateManager.getCurrentKey()} missing for ${pending.join("+")}`);
  },
  endFirstInput(ctx) {
    ctx.applyToAllPartitions((out, pctx) =>
      out.collect(`first ended, key ${pctx.stateManager.getCurrentKey()}`),
    );
  },
  endSecondInput(ctx) {
    ctx.applyToAllPartitions((out) => out.collect("second ended"));
  },
};

const keySelectors = [(o: Order) => o.id, (p: Payment) => p.orderId] as const;

describe("TwoInputHarness", () => {
  test("both inputs share the state of a key, whichever comes first", async () => {
    await using h = await TwoInputHarness.forFunction(join, { keySelectors });
    h.processRecord1({ id: "1", item: "book" });
    h.processRecord2({ orderId: "1", amount: 12 });
    h.processRecord2({ orderId: "2", amount: 7 });
    h.processRecord2({ orderId: "2", amount: 3 });
    h.processRecord1({ id: "2", item: "pen" });
    assert.deepEqual(h.output(), ["book paid 12", "pen paid 7", "pen paid 3"]);
  });

  test("timers registered from the second input fire with that key current", async () => {
    await using h = await TwoInputHarness.forFunction(join, { keySelectors, startTime: 500 });
    h.processRecord2({ orderId: "9", amount: 5 });
    h.advanceBy(999);
    assert.deepEqual(h.output(), []);
    h.advanceBy(1);
    assert.deepEqual(h.output(), ["order 9 missing for 5"]);
  });

  test("inputs end one at a time; the operator finishes when both have", async () => {
    await using h = await TwoInputHarness.forFunction(join, { keySelectors });
    h.processRecord2({ orderId: "3", amount: 1 });
    h.endInput(0);
    assert.deepEqual(h.output(), ["first ended, key 3"]);
    assert.throws(() => h.processRecord1({ id: "3", item: "cup" }), /processRecord1 after input 0 ended/);
    // Input 1 is still open: records and timers still run.
    h.processRecord2({ orderId: "4", amount: 2 });
    h.advanceBy(1_000);
    assert.deepEqual(h.output().slice(1), ["order 3 missing for 1", "order 4 missing for 2"]);
    h.endInput(1);
    assert.deepEqual(h.output().at(-1), "second ended");
    assert.throws(() => h.endInput(1), /already ended/);
  });

  test("non-keyed: no current key, and errors name the input's operator", async () => {
    const fn: TwoInputNonBroadcastStreamProcessFunction<number, number, number> = {
      processRecordFromFirstInput(n, out) {
        out.collect(n);
      },
      processRecordFromSecondInput(_n, _out, ctx) {
        ctx.stateManager.getCurrentKey();
      },
    };
    await using h = await TwoInputHarness.forFunction(fn, { name: "Merge" });
    h.processRecord1(1);
    assert.deepEqual(h.output(), [1]);
    assert.throws(
      () => h.processRecord2(2),
      (e: unknown) => e instanceof UserCodeError && e.operatorName === "Merge",
    );
  });
});
