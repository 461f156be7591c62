/**
 * The async operator (`processAsync`) under the async harness: ordered and unordered emission,
 * the watermark barrier, capacity backpressure, timeouts with retry and back-off, the onTimeout
 * fallback, rejections, end of input, snapshot and restore. Every request is settled by hand and
 * processing time moves only on the manual clock, so each test checks one exact sequence.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AsyncProcessFunction,
  resolveAsyncProcessOptions,
  StateDeclarations,
  type Watermark,
  WatermarkDeclarations,
} from "@weir/api";
import { ASYNC_IN_FLIGHT_STATE } from "@weir/runtime/testing";
import { AsyncHarness, AsyncProcessingError, ManualAsyncFunction, UserCodeError } from "./index.ts";

const PROGRESS = WatermarkDeclarations.numeric("progress");
const wm = (value: number): Watermark => PROGRESS.newWatermark(value);

describe("emission order", () => {
  test("ordered: outputs leave in input order, with the input timestamps", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { ordered: true });
    h.processRecord("a", 10);
    h.processRecord("b", 20);
    h.processRecord("c", 30);
    fn.callFor("c").resolve(["C"]);
    fn.callFor("b").resolve(["B1", "B2"]);
    await h.settle();
    assert.deepEqual(h.output(), [], "a is still in flight, so nothing may leave");
    fn.callFor("a").resolve([]);
    await h.settle();
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "B1", timestamp: 20 },
      { value: "B2", timestamp: 20 },
      { value: "C", timestamp: 30 },
    ]);
    assert.equal(h.queuedRecords, 0);
  });

  test("unordered: outputs leave as requests complete", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { ordered: false });
    h.processRecord("a", 10);
    h.processRecord("b", 20);
    h.processRecord("c", 30);
    fn.callFor("c").resolve(["C"]);
    await h.settle();
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "C", timestamp: 30 }]);
    fn.callFor("a").resolve(["A"]);
    fn.callFor("b").resolve(["B"]);
    await h.settle();
    assert.deepEqual(h.output(), ["C", "A", "B"]);
  });

  test("results are emitted through the mailbox, not from the promise callback", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { ordered: false });
    h.processRecord("a");
    fn.callFor("a").resolve(["A"]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(h.output(), [], "the settlement waits in the mailbox");
    h.drain();
    assert.deepEqual(h.output(), ["A"]);
  });
});

describe("watermarks", () => {
  test("unordered: no output crosses a watermark", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { ordered: false });
    h.processRecord("r1", 1);
    h.processRecord("r2", 2);
    h.processWatermark(wm(5));
    h.processRecord("r3", 6);
    h.processRecord("r4", 7);
    fn.callFor("r3").resolve(["r3"]);
    await h.settle();
    assert.deepEqual(h.outputElements(), [], "r3 came after the watermark: it waits for r1 and r2");
    fn.callFor("r2").resolve(["r2"]);
    fn.callFor("r4").resolve(["r4"]);
    await h.settle();
    assert.deepEqual(h.output(), ["r2"], "r2 is before the watermark and may leave; r4 may not");
    fn.callFor("r1").resolve(["r1"]);
    await h.settle();
    assert.deepEqual(h.outputElements(), [
      { record: "r2", timestamp: 2 },
      { record: "r1", timestamp: 1 },
      { watermark: wm(5) },
      { record: "r3", timestamp: 6 },
      { record: "r4", timestamp: 7 },
    ]);
  });

  test("unordered: consecutive watermarks keep their segments apart", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { ordered: false });
    h.processRecord("a");
    h.processWatermark(wm(1));
    h.processWatermark(wm(2));
    h.processRecord("b");
    fn.callFor("b").resolve(["b"]);
    await h.settle();
    assert.deepEqual(h.outputElements(), []);
    fn.callFor("a").resolve(["a"]);
    await h.settle();
    assert.deepEqual(h.outputElements(), [
      { record: "a", timestamp: Number.NEGATIVE_INFINITY },
      { watermark: wm(1) },
      { watermark: wm(2) },
      { record: "b", timestamp: Number.NEGATIVE_INFINITY },
    ]);
  });

  test("ordered: a watermark leaves in its input position; with nothing in flight, at once", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { ordered: true });
    h.processWatermark(wm(1));
    assert.deepEqual(h.outputElements(), [{ watermark: wm(1) }]);
    h.clearOutput();
    h.processRecord("a");
    h.processWatermark(wm(2));
    h.processRecord("b");
    fn.callFor("b").resolve(["b"]);
    await h.settle();
    assert.deepEqual(h.outputElements(), []);
    fn.callFor("a").resolve(["a"]);
    await h.settle();
    assert.deepEqual(
      h.outputElements().map((e) => ("record" in e ? e.record : e.watermark.value)),
      ["a", 2, "b"],
    );
  });

  test("a watermark whose declaration says IGNORE is dropped", async () => {
    const IGNORED = WatermarkDeclarations.numeric("ignored", { defaultHandling: "IGNORE" });
    const fn: AsyncProcessFunction<number, number> = {
      declareWatermarks: () => [IGNORED],
      processRecordAsync: async (n) => [n],
    };
    await using h = await AsyncHarness.forFunction(fn);
    h.processWatermark(IGNORED.newWatermark(3));
    assert.deepEqual(h.outputWatermarks(), []);
  });
});

describe("capacity", () => {
  test("a full operator pauses its input until a request completes", async () => {
    const fn = new ManualAsyncFunction<number, number>();
    await using h = await AsyncHarness.forFunction(fn, { capacity: 2 });
    h.processRecord(1);
    assert.equal(h.inputPaused, false);
    h.processRecord(2);
    assert.equal(h.inputPaused, true, "two requests in flight at capacity 2");
    assert.throws(() => h.processRecord(3), /paused its input .*2 async requests in flight \(capacity\)/);
    assert.throws(() => h.processWatermark(wm(1)), /paused its input/);
    fn.callFor(2).resolve([2]);
    await h.settle();
    assert.equal(h.inputPaused, true, "ordered: 2 completed but waits for 1, so it still holds a slot");
    fn.callFor(1).resolve([1]);
    await h.settle();
    assert.equal(h.inputPaused, false);
    h.processRecord(3);
    assert.deepEqual(
      fn.calls.map((c) => c.record),
      [1, 2, 3],
    );
  });

  test("records of one input batch beyond capacity wait, unstarted, and start in order", async () => {
    const fn = new ManualAsyncFunction<number, number>();
    await using h = await AsyncHarness.forFunction(fn, { capacity: 2, ordered: false });
    h.processBatch([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]);
    assert.equal(h.inputPaused, true);
    assert.equal(h.queuedRecords, 5);
    assert.deepEqual(
      fn.calls.map((c) => c.record),
      [1, 2],
      "only `capacity` calls run",
    );
    let maxRunning = 0;
    while (fn.pending().length > 0) {
      maxRunning = Math.max(maxRunning, h.runningRequests);
      const call = fn.pending().at(-1)!;
      call.resolve([call.record * 10]);
      await h.settle();
    }
    assert.equal(maxRunning, 2);
    assert.deepEqual(
      fn.calls.map((c) => c.record),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(
      h
        .outputWithTimestamps()
        .map((r) => [r.value, r.timestamp])
        .sort(),
      [
        [10, 10],
        [20, 20],
        [30, 30],
        [40, 40],
        [50, 50],
      ],
    );
    assert.equal(h.inputPaused, false);
  });
});

describe("timeouts and retries", () => {
  test("a timed-out attempt is retried after the back-off; the last timeout fails the job", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    const h = await AsyncHarness.forFunction(fn, {
      name: "Lookup",
      timeoutMs: 100,
      retry: { maxAttempts: 3, backoffMs: 50 },
    });
    h.processRecord("a");
    h.advanceBy(99);
    assert.equal(fn.calls.length, 1);
    h.advanceBy(1); // t=100: attempt 1 times out; back-off until t=150
    assert.equal(fn.calls.length, 1);
    h.advanceBy(49);
    assert.equal(fn.calls.length, 1);
    h.advanceBy(1); // t=150: attempt 2
    assert.deepEqual(
      fn.calls.map((c) => c.attempt),
      [1, 2],
    );
    h.advanceBy(150); // t=250 timeout, t=300 attempt 3
    assert.deepEqual(
      fn.calls.map((c) => c.attempt),
      [1, 2, 3],
    );
    const error = (() => {
      try {
        h.advanceBy(100); // t=400: attempt 3 times out
      } catch (e) {
        return e;
      }
      return assert.fail("the last timeout must fail the operator");
    })();
    assert.ok(error instanceof AsyncProcessingError);
    assert.ok(error instanceof UserCodeError);
    assert.equal(error.operatorName, "Lookup");
    assert.equal(error.attempts, 3);
    assert.match(error.message, /^Lookup: async request timed out after 3 attempts of 100 ms each/);
    assert.equal((error.cause as Error).name, "TimeoutError");
    assert.throws(() => h.processRecord("b"), /after the operator failed/);
    await h.close();
  });

  test("a retry that succeeds emits once; a late result of a timed-out attempt is ignored", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, {
      timeoutMs: 10,
      retry: { maxAttempts: 2, backoffMs: 0 },
    });
    h.processRecord("a", 7);
    h.advanceBy(10); // attempt 1 times out; back-off 0 retries at once
    assert.equal(fn.calls.length, 2);
    fn.calls[0]!.resolve(["late"]);
    await h.settle();
    assert.deepEqual(h.output(), []);
    fn.calls[1]!.resolve(["A"]);
    await h.settle();
    h.advanceBy(1_000); // the cancelled timeout of attempt 2 must not fire
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "A", timestamp: 7 }]);
  });

  test("onTimeout supplies the outputs of a record whose last attempt timed out, in order", async () => {
    const seen: [string, number][] = [];
    const fn = new ManualAsyncFunction<string, string>({
      onTimeout: (record, ctx) => {
        seen.push([record, ctx.attempt]);
        return [`${record}?`];
      },
    });
    await using h = await AsyncHarness.forFunction(fn, {
      timeoutMs: 20,
      retry: { maxAttempts: 2, backoffMs: 5 },
    });
    h.processRecord("slow", 1);
    h.advanceBy(10);
    h.processRecord("fast", 2);
    fn.callFor("fast").resolve(["fast!"]);
    await h.settle();
    assert.deepEqual(h.output(), [], "ordered: slow goes first");
    h.advanceBy(10); // t=20: slow attempt 1 times out
    h.advanceBy(5); // t=25: attempt 2
    h.advanceBy(20); // t=45: attempt 2 times out -> onTimeout
    assert.deepEqual(seen, [["slow", 2]]);
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "slow?", timestamp: 1 },
      { value: "fast!", timestamp: 2 },
    ]);
  });

  test("a rejected request is retried, then fails the job with the user's error as cause", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    const h = await AsyncHarness.forFunction(fn, {
      name: "Enrich",
      retry: { maxAttempts: 2, backoffMs: 30 },
    });
    h.processRecord("a");
    fn.calls[0]!.reject(new Error("connection reset"));
    await h.settle();
    assert.equal(fn.calls.length, 1, "waits for the back-off");
    h.advanceBy(30);
    assert.deepEqual(
      fn.calls.map((c) => c.attempt),
      [1, 2],
    );
    const userError = new RangeError("no such customer");
    fn.calls[1]!.reject(userError);
    const error = await h.settle().then(
      () => assert.fail("the last rejection must fail the operator"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AsyncProcessingError);
    assert.equal(error.cause, userError);
    assert.equal(error.attempts, 2);
    assert.equal(error.message, "Enrich: async request failed after 2 attempts: no such customer");
    await h.close();
  });

  test("a synchronous throw counts as a rejection", async () => {
    let calls = 0;
    const fn: AsyncProcessFunction<number, number> = {
      processRecordAsync(n) {
        calls++;
        if (calls === 1) throw new Error("boom");
        return Promise.resolve([n + 1]);
      },
    };
    await using h = await AsyncHarness.forFunction(fn, { retry: { maxAttempts: 2, backoffMs: 0 } });
    h.processRecord(1);
    await h.settle();
    assert.equal(calls, 2);
    assert.deepEqual(h.output(), [2]);
  });
});

describe("end of input", () => {
  test("finish waits for every request in flight, timeouts included, and emits it", async () => {
    const fn = new ManualAsyncFunction<string, string>({ onTimeout: (r) => [`${r}:timeout`] });
    await using h = await AsyncHarness.forFunction(fn, { ordered: false, timeoutMs: 100 });
    h.processRecord("a");
    h.processRecord("b");
    h.processRecord("c");
    h.endInput();
    fn.callFor("b").resolve(["b"]);
    await h.settle();
    assert.equal(h.isFinished, false);
    assert.deepEqual(h.output(), ["b"]);
    fn.callFor("a").resolve(["a"]);
    await h.settle();
    assert.equal(h.isFinished, false, "c is still in flight");
    h.advanceBy(100); // c times out while the operator finishes
    await h.finished();
    assert.equal(h.isFinished, true);
    assert.deepEqual(h.output(), ["b", "a", "c:timeout"]);
  });

  test("a failure while finishing is reported by finished()", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    await using h = await AsyncHarness.forFunction(fn, { name: "Fin" });
    h.processRecord("a");
    h.endInput();
    fn.callFor("a").reject(new Error("gone"));
    await assert.rejects(h.finished(), /Fin: async request failed after 1 attempt: gone/);
  });

  test("closing before the requests complete abandons them", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    const h = await AsyncHarness.forFunction(fn);
    h.processRecord("a");
    h.endInput();
    await h.close();
    fn.callFor("a").resolve(["a"]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(h.output(), []);
  });
});

describe("snapshot and restore", () => {
  test("the snapshot holds the records in flight and held-back watermarks; a restore issues them again", async () => {
    const fn = new ManualAsyncFunction<string, string>();
    const h = await AsyncHarness.forFunction(fn, { operatorId: "enrich" });
    h.processRecord("done-early", 1);
    h.processRecord("a", 2);
    h.processWatermark(wm(3));
    h.processRecord("b", 4);
    fn.callFor("done-early").resolve(["done-early"]);
    fn.callFor("b").resolve(["b"]);
    await h.settle();
    assert.deepEqual(h.output(), ["done-early"]);
    const snapshot = h.snapshot();
    assert.deepEqual(snapshot.operator[ASYNC_IN_FLIGHT_STATE], {
      redistribution: "REDISTRIBUTABLE",
      value: [{ record: "a", timestamp: 2 }, { watermark: wm(3) }, { record: "b", timestamp: 4 }],
    });
    await h.close();

    const again = new ManualAsyncFunction<string, string>();
    await using restored = await AsyncHarness.restore(again, snapshot, { capacity: 1 });
    assert.deepEqual(
      again.calls.map((c) => c.record),
      ["a"],
      "capacity 1: b waits for a slot",
    );
    assert.equal(restored.inputPaused, true);
    again.callFor("a").resolve(["A"]);
    await restored.settle();
    again.callFor("b").resolve(["B"]);
    await restored.settle();
    assert.deepEqual(restored.outputElements(), [
      { record: "A", timestamp: 2 },
      { watermark: wm(3) },
      { record: "B", timestamp: 4 },
    ]);
  });

  test("unordered snapshots keep the segments; a restore at another parallelism splits the records", async () => {
    const fn = new ManualAsyncFunction<number, number>();
    const h = await AsyncHarness.forFunction(fn, { ordered: false });
    h.processBatch([1, 2, 3, 4]);
    fn.callFor(2).resolve([2]);
    await h.settle();
    const snapshot = h.snapshot();
    assert.deepEqual(
      (snapshot.operator[ASYNC_IN_FLIGHT_STATE]!.value as { record: number }[]).map((e) => e.record),
      [1, 3, 4],
    );
    await h.close();
    const issued: number[][] = [];
    for (const subtask of [0, 1]) {
      const again = new ManualAsyncFunction<number, number>();
      await using restored = await AsyncHarness.restore(again, snapshot, {
        ordered: false,
        parallelism: 2,
        subtask,
      });
      issued.push(again.calls.map((c) => c.record));
      assert.equal(restored.queuedRecords, again.calls.length);
    }
    assert.deepEqual(issued, [[1], [3, 4]]);
  });
});

describe("validation", () => {
  test("options are checked with errors that name the option", () => {
    assert.deepEqual(resolveAsyncProcessOptions(), {
      ordered: true,
      capacity: 100,
      timeoutMs: undefined,
      maxAttempts: 1,
      backoffMs: 0,
    });
    assert.throws(
      () => resolveAsyncProcessOptions({ capacity: 0 }),
      /capacity must be a positive integer, got 0/,
    );
    assert.throws(() => resolveAsyncProcessOptions({ capacity: 1.5 }), RangeError);
    assert.throws(() => resolveAsyncProcessOptions({ timeoutMs: -1 }), /timeoutMs must be a positive number/);
    assert.throws(
      () => resolveAsyncProcessOptions({ retry: { maxAttempts: 0, backoffMs: 0 } }),
      /retry.maxAttempts must be a positive integer/,
    );
    assert.throws(
      () => resolveAsyncProcessOptions({ retry: { maxAttempts: 2, backoffMs: Number.NaN } }),
      /retry.backoffMs must be a non-negative number/,
    );
    assert.throws(
      () => resolveAsyncProcessOptions({ timeout: 5 } as never),
      /unknown option "timeout" \(known: ordered, capacity, timeoutMs, retry\)/,
    );
    assert.throws(() => resolveAsyncProcessOptions({ ordered: "yes" } as never), /ordered must be a boolean/);
  });

  test("results that are not iterables of outputs fail clearly", async () => {
    const fn: AsyncProcessFunction<number, string> = {
      processRecordAsync: async (n) => (n === 1 ? "one" : undefined) as never,
    };
    const h = await AsyncHarness.forFunction(fn, { name: "Typo" });
    h.processRecord(1);
    await assert.rejects(
      h.settle(),
      /Typo: processRecordAsync must resolve to an iterable of outputs \(e.g. \[output\], or \[\] for none\), got the string "one"/,
    );
    await h.close();
    const notAsync: AsyncProcessFunction<number, number> = {
      processRecordAsync: ((n: number) => [n]) as never,
    };
    const h2 = await AsyncHarness.forFunction(notAsync, { name: "Sync" });
    assert.throws(() => h2.processRecord(1), /Sync: processRecordAsync must return a promise/);
    await h2.close();
  });

  test("an async function cannot declare state", async () => {
    const fn = {
      usesStates: () => [StateDeclarations.value<number>("n")],
      processRecordAsync: async (n: number) => [n],
    } as unknown as AsyncProcessFunction<number, number>;
    await assert.rejects(AsyncHarness.forFunction(fn), /cannot use state/);
  });

  test("open sees job and task facts; each attempt sees its number", async () => {
    const attempts: number[] = [];
    let taskName = "";
    const fn: AsyncProcessFunction<number, number> = {
      open(ctx) {
        taskName = ctx.taskInfo.taskName;
        assert.throws(() => ctx.stateManager.getState(StateDeclarations.value("x")), /not available/);
      },
      async processRecordAsync(n, ctx) {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error("again");
        return [n];
      },
    };
    await using h = await AsyncHarness.forFunction(fn, {
      name: "Facts",
      retry: { maxAttempts: 3, backoffMs: 0 },
    });
    h.processRecord(5);
    await h.settle();
    assert.equal(taskName, "Facts");
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.deepEqual(h.output(), [5]);
  });
});
