/**
 * Tests of the broadcast harness: broadcast state is writable only on the broadcast side, readable
 * on both, the broadcast side reaches every key through applyToAllPartitions, and broadcast state
 * is copied to every subtask on restore.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StateDeclarations, type TwoInputBroadcastStreamProcessFunction } from "@weir/api";
import { BroadcastHarness, subtaskForKey, UserCodeError } from "./index.ts";

interface Txn {
  readonly user: string;
  readonly amount: number;
}
type Limit = readonly [user: string, limit: number];

const LIMITS = StateDeclarations.broadcast<string, number>("limits");
const SPENT = StateDeclarations.value<number>("spent");

/** Flags users whose total spending goes over their broadcast limit. */
const overLimit: TwoInputBroadcastStreamProcessFunction<Txn, Limit, string, string> = {
  usesStates: () => [LIMITS, SPENT],
  processRecordFromBroadcastInput([user, limit], ctx) {
    ctx.stateManager.getState(LIMITS).put(user, limit);
    // Re-check every user already seen against the new limits.
    ctx.applyToAllPartitions((out, pctx) => {
      const key = pctx.stateManager.getCurrentKey() as string;
      const spent = pctx.stateManager.getState(SPENT).value() ?? 0;
      if (key === user && spent > limit) out.collect(`${key} over new limit ${limit}`);
    });
  },
  processRecordFromNonBroadcastInput(txn, out, ctx) {
    const spent = ctx.stateManager.getState(SPENT);
    const total = (spent.value() ?? 0) + txn.amount;
    spent.update(total);
    const limit = ctx.stateManager.getState(LIMITS).get(txn.user);
    if (limit !== undefined && total > limit) out.collect(`${txn.user} over limit ${limit}`);
  },
};

describe("BroadcastHarness", () => {
  test("broadcast updates are seen by every key; the broadcast side can visit all keys", async () => {
    await using h = await BroadcastHarness.forFunction(overLimit, { keySelector: (t) => t.user });
    h.processBroadcastRecord(["a", 10]);
    h.processRecord({ user: "a", amount: 8 });
    h.processRecord({ user: "b", amount: 50 });
    h.processRecord({ user: "a", amount: 5 });
    assert.deepEqual(h.output(), ["a over limit 10"]);
    h.processBroadcastRecord(["b", 40], 77);
    assert.deepEqual(h.outputWithTimestamps().at(-1), { value: "b over new limit 40", timestamp: 77 });
    assert.equal(h.operatorName, "BroadcastProcess");
  });

  test("broadcast state is read-only outside the broadcast side", async () => {
    const fn: TwoInputBroadcastStreamProcessFunction<string, string, string, string> = {
      usesStates: () => [LIMITS],
      processRecordFromBroadcastInput(user, ctx) {
        ctx.stateManager.getState(LIMITS).put(user, 1);
      },
      processRecordFromNonBroadcastInput(user, out, ctx) {
        const limits = ctx.stateManager.getState(LIMITS);
        out.collect(`${user}=${limits.get(user)}`);
        limits.remove(user);
      },
    };
    await using h = await BroadcastHarness.forFunction(fn, { keySelector: (u) => u, name: "Rules" });
    h.processBroadcastRecord("a");
    assert.throws(
      () => h.processRecord("a"),
      (e: unknown) =>
        e instanceof UserCodeError &&
        e.operatorName === "Rules" &&
        /broadcast state "limits" is read-only outside processRecordFromBroadcastInput/.test(e.message),
    );
    assert.deepEqual(h.output(), ["a=1"], "reading worked before the write failed");
  });

  test("broadcast state is read-only in open and endInput as well", async () => {
    const fn: TwoInputBroadcastStreamProcessFunction<string, string, string> = {
      usesStates: () => [LIMITS],
      processRecordFromBroadcastInput() {},
      processRecordFromNonBroadcastInput() {},
      endNonBroadcastInput(ctx) {
        ctx.stateManager.getState(LIMITS).clear();
      },
    };
    await using h = await BroadcastHarness.forFunction(fn);
    assert.throws(() => h.endInput(0), /read-only/);
    const writesInOpen: TwoInputBroadcastStreamProcessFunction<string, string, string> = {
      ...fn,
      open(ctx) {
        ctx.stateManager.getState(LIMITS).put("x", 1);
      },
    };
    await assert.rejects(
      BroadcastHarness.forFunction(writesInOpen),
      /^UserCodeError: BroadcastProcess: broadcast state "limits" is read-only/,
    );
  });

  test("on restore at parallelism 2 every subtask gets the broadcast state; keyed state is split", async () => {
    await using h = await BroadcastHarness.forFunction(overLimit, { keySelector: (t) => t.user });
    h.processBroadcastRecord(["a", 10]);
    h.processBroadcastRecord(["b", 20]);
    h.processRecord({ user: "a", amount: 6 });
    h.processRecord({ user: "b", amount: 15 });
    const snapshot = h.snapshot();
    for (const subtask of [0, 1]) {
      await using r = await BroadcastHarness.restore(overLimit, snapshot, {
        keySelector: (t) => t.user,
        parallelism: 2,
        subtask,
      });
      const snap = r.snapshot();
      assert.deepEqual(snap.operator, snapshot.operator, "broadcast state is identical everywhere");
      const keys = snap.keyed.spent!.map(([k]) => k);
      assert.deepEqual(
        keys,
        ["a", "b"].filter((k) => subtaskForKey(k, { parallelism: 2 }) === subtask),
      );
      for (const user of keys as string[]) r.processRecord({ user, amount: 5 });
      assert.deepEqual(
        r.output(),
        keys.includes("a") ? ["a over limit 10"] : [],
        "restored spending and limits combine",
      );
    }
  });
});
