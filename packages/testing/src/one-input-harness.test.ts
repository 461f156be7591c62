/**
 * Tests of the one-input harness on real process functions: keyed state of every kind, processing
 * timers under the manual clock, applyToAllPartitions, declare-first errors, error wrapping, the
 * lifecycle, output timestamps and snapshot isolation.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AggregateFunction,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  StateDeclarations,
  type TaskInfo,
} from "@weir/api";
import { InvalidJobError } from "@weir/runtime";
import { NO_TIMESTAMP, OneInputHarness, UserCodeError } from "./index.ts";

interface Event {
  readonly key: string;
  readonly n: number;
}

const byKey = (e: Event) => e.key;

/** Runs `fn`, which must throw a UserCodeError, and returns that error. */
function userError(fn: () => void): UserCodeError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UserCodeError, `expected a UserCodeError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected an exception");
}

const LAST = StateDeclarations.value<number>("last");
const HISTORY = StateDeclarations.list<number>("history");
const PARITY = StateDeclarations.map<string, number>("parity");
const SUM = StateDeclarations.reducing<number>("sum", (a, b) => a + b);
const average: AggregateFunction<number, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add(value, acc) {
    acc.sum += value;
    acc.count += 1;
    return acc;
  },
  getResult: (acc) => acc.sum / acc.count,
};
const AVERAGE = StateDeclarations.aggregating("average", average);

interface Summary {
  readonly key: string;
  readonly last: number | undefined;
  readonly history: readonly number[];
  readonly parity: Record<string, number>;
  readonly sum: number | undefined;
  readonly average: number | undefined;
}

function summarize(key: string, ctx: PartitionedContext<unknown, string>): Summary {
  const sm = ctx.stateManager;
  return {
    key,
    last: sm.getState(LAST).value(),
    history: [...sm.getState(HISTORY).get()],
    parity: Object.fromEntries(sm.getState(PARITY).entries()),
    sum: sm.getState(SUM).get(),
    average: sm.getState(AVERAGE).get(),
  };
}

/** Updates every kind of keyed state and emits what the current key now holds. */
class AllStates implements OneInputStreamProcessFunction<Event, Summary, string> {
  usesStates() {
    return [LAST, HISTORY, PARITY, SUM, AVERAGE];
  }

  processRecord(
    e: Event,
    out: { collect(s: Summary): void },
    ctx: PartitionedContext<Summary, string>,
  ): void {
    const sm = ctx.stateManager;
    sm.getState(LAST).update(e.n);
    sm.getState(HISTORY).add(e.n);
    const parity = sm.getState(PARITY);
    const bucket = e.n % 2 === 0 ? "even" : "odd";
    parity.put(bucket, (parity.get(bucket) ?? 0) + 1);
    sm.getState(SUM).add(e.n);
    sm.getState(AVERAGE).add(e.n);
    out.collect(summarize(sm.getCurrentKey(), ctx));
  }
}

describe("keyed state", () => {
  test("every state kind is kept per key", async () => {
    await using h = await OneInputHarness.forFunction(new AllStates(), { keySelector: byKey });
    h.processRecord({ key: "a", n: 1 });
    h.processRecord({ key: "b", n: 10 });
    h.processRecord({ key: "a", n: 4 });
    h.processRecord({ key: "b", n: 20 });
    h.processRecord({ key: "a", n: 7 });
    const last = (key: string) => h.output().findLast((s) => s.key === key);
    assert.deepEqual(last("a"), {
      key: "a",
      last: 7,
      history: [1, 4, 7],
      parity: { odd: 2, even: 1 },
      sum: 12,
      average: 4,
    });
    assert.deepEqual(last("b"), {
      key: "b",
      last: 20,
      history: [10, 20],
      parity: { even: 2 },
      sum: 30,
      average: 15,
    });
    assert.equal(h.operatorName, "AllStates", "a class-based function is named after its class");
  });

  test("clear() and update(undefined) remove a key's state; other keys keep theirs", async () => {
    const fn: OneInputStreamProcessFunction<Event, number | undefined, string> = {
      usesStates: () => [LAST, HISTORY],
      processRecord(e, out, ctx) {
        const last = ctx.stateManager.getState(LAST);
        const history = ctx.stateManager.getState(HISTORY);
        if (e.n < 0) {
          last.clear();
          history.update([]);
        } else {
          last.update(e.n);
          history.add(e.n);
        }
        out.collect(last.value());
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey });
    h.processRecord({ key: "a", n: 1 });
    h.processRecord({ key: "b", n: 2 });
    h.processRecord({ key: "a", n: -1 });
    assert.deepEqual(h.output(), [1, 2, undefined]);
    assert.deepEqual(h.snapshot().keyed, { last: [["b", 2]], history: [["b", [2]]] });
  });

  test("composite keys (tuples, objects) are one key regardless of field order", async () => {
    const COUNT = StateDeclarations.value<number>("count");
    const fn: OneInputStreamProcessFunction<{ k: { x: number; y: string } }, number> = {
      usesStates: () => [COUNT],
      processRecord(_r, out, ctx) {
        const count = ctx.stateManager.getState(COUNT);
        count.update((count.value() ?? 0) + 1);
        out.collect(count.value()!);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: (r) => r.k });
    h.processRecord({ k: { x: 1, y: "a" } });
    h.processRecord({ k: { y: "a", x: 1 } } as { k: { x: number; y: string } });
    h.processRecord({ k: { x: 2, y: "a" } });
    assert.deepEqual(h.output(), [1, 2, 1]);
  });

  test("a state not listed in usesStates() fails with an error naming the state and the operator", async () => {
    const UNDECLARED = StateDeclarations.value<number>("undeclared");
    const fn: OneInputStreamProcessFunction<Event, number> = {
      usesStates: () => [LAST],
      processRecord(_e, _out, ctx) {
        ctx.stateManager.getState(UNDECLARED).update(1);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey, name: "Counter" });
    const error = userError(() => h.processRecord({ key: "a", n: 1 }));
    assert.equal(error.operatorName, "Counter");
    assert.match(error.message, /^Counter: /);
    assert.match(error.message, /state "undeclared" was not declared in usesStates\(\) \(declared: "last"\)/);
  });

  test("a declaration of another kind under a declared name is not the declared state", async () => {
    const SAME_NAME_LIST = StateDeclarations.list<number>("last");
    const fn: OneInputStreamProcessFunction<Event, number> = {
      usesStates: () => [LAST],
      processRecord(_e, _out, ctx) {
        ctx.stateManager.getState(SAME_NAME_LIST).add(1);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey });
    assert.throws(() => h.processRecord({ key: "a", n: 1 }), /state "last" was not declared/);
  });

  test("usesStates() is validated like the job graph does: duplicates and broadcast state are rejected", async () => {
    const twice: OneInputStreamProcessFunction<Event, number> = {
      usesStates: () => [LAST, StateDeclarations.value<number>("last")],
      processRecord() {},
    };
    await assert.rejects(OneInputHarness.forFunction(twice), (e: unknown) => {
      assert.ok(e instanceof InvalidJobError);
      assert.match(e.message, /"Process": state "last" is declared twice/);
      return true;
    });
    const broadcast: OneInputStreamProcessFunction<Event, number> = {
      usesStates: () => [StateDeclarations.broadcast<string, number>("rules")],
      processRecord() {},
    };
    await assert.rejects(
      OneInputHarness.forFunction(broadcast),
      /broadcast state "rules" needs a function connected/,
    );
  });

  test("keyed state is not reachable from the non-partitioned context", async () => {
    const fn: OneInputStreamProcessFunction<Event, number> = {
      usesStates: () => [LAST],
      processRecord() {},
      endInput(ctx) {
        ctx.stateManager.getState(LAST);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey });
    assert.throws(() => h.endInput(), /keyed state "last" is not accessible without a current key/);
  });
});

describe("non-keyed functions", () => {
  test("state is per subtask; getCurrentKey() throws", async () => {
    const fn: OneInputStreamProcessFunction<number, number> = {
      usesStates: () => [SUM],
      processRecord(n, out, ctx) {
        const sum = ctx.stateManager.getState(SUM);
        sum.add(n);
        out.collect(sum.get()!);
      },
    };
    await using h = await OneInputHarness.forFunction(fn);
    h.processRecord(1);
    h.processRecord(2);
    h.processRecord(3);
    assert.deepEqual(h.output(), [1, 3, 6]);
    assert.equal(h.keyed, false);
    assert.deepEqual(h.snapshot().operator, { sum: { redistribution: "NONE", value: 6 } });

    const keyReader: OneInputStreamProcessFunction<number, unknown> = {
      processRecord(_n, out, ctx) {
        out.collect(ctx.stateManager.getCurrentKey());
      },
    };
    await using h2 = await OneInputHarness.forFunction(keyReader);
    assert.throws(() => h2.processRecord(1), /getCurrentKey\(\) is only available on keyed streams/);
  });

  test("registerTimer on a non-keyed stream is a clear error", async () => {
    const fn: OneInputStreamProcessFunction<number, number> = {
      processRecord(n, _out, ctx) {
        ctx.processingTimeManager.registerTimer(n);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { name: "NoKeys" });
    const error = userError(() => h.processRecord(5));
    assert.equal(error.operatorName, "NoKeys");
    assert.match(
      error.message,
      /processing-time timers are only available on keyed streams \(use keyBy first\)/,
    );
  });

  test("applyToAllPartitions visits the subtask once", async () => {
    const fn: OneInputStreamProcessFunction<number, string> = {
      usesStates: () => [SUM],
      processRecord(n, _out, ctx) {
        ctx.stateManager.getState(SUM).add(n);
      },
      endInput(ctx) {
        ctx.applyToAllPartitions((out, pctx) => out.collect(`sum ${pctx.stateManager.getState(SUM).get()}`));
      },
    };
    await using h = await OneInputHarness.forFunction(fn);
    h.processRecord(2);
    h.processRecord(3);
    h.endInput();
    assert.deepEqual(h.output(), ["sum 5"]);
  });
});

/** Registers a timer `delay` ms after now per record; on firing emits key, timer time and key state. */
class Delayed implements OneInputStreamProcessFunction<Event, string, string> {
  usesStates() {
    return [HISTORY];
  }

  processRecord(e: Event, _out: unknown, ctx: PartitionedContext<string, string>): void {
    ctx.stateManager.getState(HISTORY).add(e.n);
    const timers = ctx.processingTimeManager;
    if (e.n >= 0) timers.registerTimer(e.n);
    else timers.deleteTimer(-e.n);
  }

  onProcessingTimer(
    timestamp: number,
    out: { collect(s: string): void },
    ctx: PartitionedContext<string, string>,
  ): void {
    const key = ctx.stateManager.getCurrentKey();
    const now = ctx.processingTimeManager.currentTime();
    out.collect(
      `${key}@${timestamp} now=${now} history=${ctx.stateManager.getState(HISTORY).get().join(",")}`,
    );
  }
}

describe("processing-time timers", () => {
  test("fire in timestamp order, only when the clock reaches them, with their key current", async () => {
    await using h = await OneInputHarness.forFunction(new Delayed(), { keySelector: byKey, startTime: 10 });
    h.processRecord({ key: "c", n: 300 });
    h.processRecord({ key: "a", n: 100 });
    h.processRecord({ key: "b", n: 200 });
    h.processRecord({ key: "a", n: 150 });
    assert.deepEqual(h.output(), []);
    h.advanceProcessingTime(99);
    assert.deepEqual(h.output(), []);
    h.advanceProcessingTime(250);
    assert.deepEqual(h.output(), [
      "a@100 now=100 history=100,150",
      "a@150 now=150 history=100,150",
      "b@200 now=200 history=200",
    ]);
    assert.equal(h.currentProcessingTime(), 250);
    h.clearOutput();
    h.advanceBy(1_000);
    assert.deepEqual(h.output(), ["c@300 now=300 history=300"]);
    assert.equal(h.currentProcessingTime(), 1_250);
  });

  test("are deduplicated per (key, timestamp), not across keys", async () => {
    await using h = await OneInputHarness.forFunction(new Delayed(), { keySelector: byKey });
    h.processRecord({ key: "a", n: 100 });
    h.processRecord({ key: "a", n: 100 });
    h.processRecord({ key: "b", n: 100 });
    h.advanceProcessingTime(100);
    assert.deepEqual(h.output(), ["a@100 now=100 history=100,100", "b@100 now=100 history=100"]);
    h.advanceProcessingTime(1_000);
    assert.equal(h.output().length, 2, "a timer fires once");
  });

  test("deleteTimer removes only the current key's timer", async () => {
    await using h = await OneInputHarness.forFunction(new Delayed(), { keySelector: byKey });
    h.processRecord({ key: "a", n: 100 });
    h.processRecord({ key: "b", n: 100 });
    h.processRecord({ key: "a", n: 200 });
    h.processRecord({ key: "a", n: -100 }); // deletes a@100
    h.advanceProcessingTime(500);
    assert.deepEqual(h.output(), ["b@100 now=100 history=100", "a@200 now=200 history=100,200,-100"]);
  });

  test("a timer registered for now or earlier fires right after the record, not inside it", async () => {
    const fn: OneInputStreamProcessFunction<Event, string, string> = {
      processRecord(e, out, ctx) {
        ctx.processingTimeManager.registerTimer(ctx.processingTimeManager.currentTime() - e.n);
        out.collect(`record ${e.key}`);
      },
      onProcessingTimer(t, out, ctx) {
        out.collect(`timer ${ctx.stateManager.getCurrentKey()}@${t}`);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey, startTime: 1_000 });
    h.processRecord({ key: "a", n: 0 });
    h.processRecord({ key: "b", n: 500 });
    assert.deepEqual(h.output(), ["record a", "timer a@1000", "record b", "timer b@500"]);
  });

  test("a timer registered by a timer fires in the same advance when due", async () => {
    const fn: OneInputStreamProcessFunction<Event, number, string> = {
      processRecord(e, _out, ctx) {
        ctx.processingTimeManager.registerTimer(e.n);
      },
      onProcessingTimer(t, out, ctx) {
        out.collect(t);
        if (t < 400) ctx.processingTimeManager.registerTimer(t + 100);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey });
    h.processRecord({ key: "a", n: 100 });
    h.processRecord({ key: "b", n: 250 });
    h.advanceProcessingTime(350);
    assert.deepEqual(h.output(), [100, 200, 250, 300, 350]);
  });

  test("records emitted from timers and endInput have no timestamp; records keep their input's", async () => {
    const fn: OneInputStreamProcessFunction<Event, string, string> = {
      processRecord(e, out, ctx) {
        out.collect(`in ${e.n}`);
        out.collectAndOverwriteTimestamp(`moved ${e.n}`, 42);
        ctx.processingTimeManager.registerTimer(e.n);
      },
      onProcessingTimer(t, out) {
        out.collect(`timer ${t}`);
      },
      endInput(ctx) {
        ctx.applyToAllPartitions((out) => out.collect("end"));
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey });
    h.processRecord({ key: "a", n: 5 }, 1_000);
    h.processRecord({ key: "b", n: 6 });
    h.advanceProcessingTime(5);
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "in 5", timestamp: 1_000 },
      { value: "moved 5", timestamp: 42 },
      { value: "in 6", timestamp: NO_TIMESTAMP },
      { value: "moved 6", timestamp: 42 },
      { value: "timer 5", timestamp: NO_TIMESTAMP },
    ]);
    h.clearOutput();
    // Timers only create state if the function writes some: no key has state, so nothing is visited.
    h.endInput();
    assert.deepEqual(h.output(), []);
  });

  test("after endInput the operator has finished: later clock moves fire no timers", async () => {
    await using h = await OneInputHarness.forFunction(new Delayed(), { keySelector: byKey });
    h.processRecord({ key: "a", n: 100 });
    h.endInput();
    h.advanceProcessingTime(1_000);
    assert.deepEqual(h.output(), []);
    assert.throws(() => h.processRecord({ key: "a", n: 1 }), /processRecord after input 0 ended/);
    assert.throws(() => h.endInput(), /input 0 has already ended/);
  });

  test("the clock never goes backwards", async () => {
    await using h = await OneInputHarness.forFunction(new Delayed(), { keySelector: byKey, startTime: 100 });
    assert.throws(() => h.advanceProcessingTime(99), RangeError);
    assert.throws(() => h.advanceProcessingTime(Number.NaN), RangeError);
    h.advanceBy(0);
    h.processRecord({ key: "a", n: 150 }); // the harness is still usable
    h.advanceBy(50);
    assert.equal(h.output().length, 1);
  });
});

describe("applyToAllPartitions", () => {
  test("endInput visits every key with state, once each, with that key current", async () => {
    const fn: OneInputStreamProcessFunction<Event, string, string> = {
      usesStates: () => [SUM, HISTORY],
      processRecord(e, _out, ctx) {
        if (e.n === 0) {
          ctx.stateManager.getState(SUM).clear();
          return;
        }
        ctx.stateManager.getState(e.key === "list-only" ? HISTORY : SUM).add(e.n);
      },
      endInput(ctx) {
        ctx.applyToAllPartitions((out, pctx) => {
          const key = pctx.stateManager.getCurrentKey();
          out.collect(`${key}: sum=${pctx.stateManager.getState(SUM).get()}`);
        });
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: byKey });
    for (const [key, n] of [
      ["a", 1],
      ["b", 2],
      ["a", 3],
      ["gone", 5],
      ["gone", 0],
      ["list-only", 9],
      ["c", 4],
    ] as const) {
      h.processRecord({ key, n });
    }
    h.endInput();
    assert.deepEqual(h.output().sort(), ["a: sum=4", "b: sum=2", "c: sum=4", "list-only: sum=undefined"]);
  });
});

describe("errors and lifecycle", () => {
  test("a user exception is wrapped with the operator's name and keeps the original error and stack", async () => {
    class Boom extends Error {}
    let closed = 0;
    const fn: OneInputStreamProcessFunction<Event, number> = {
      processRecord(e) {
        if (e.n === 13) throw new Boom(`unlucky ${e.key}`);
      },
      close() {
        closed++;
      },
    };
    const h = await OneInputHarness.forFunction(fn, { keySelector: byKey, name: "Picky" });
    h.processRecord({ key: "a", n: 1 });
    const error = userError(() => h.processRecord({ key: "a", n: 13 }));
    assert.equal(error.message, "Picky: unlucky a");
    assert.equal(error.operatorName, "Picky");
    assert.ok(error.cause instanceof Boom);
    assert.ok(error.stack?.includes((error.cause as Boom).stack!), "the user's stack is kept");
    assert.match(error.stack ?? "", /one-input-harness\.test\.ts/);
    // A failed operator only closes, like a failed task.
    assert.throws(
      () => h.processRecord({ key: "a", n: 1 }),
      (e: unknown) => e instanceof Error && /after the operator failed/.test(e.message) && e.cause === error,
    );
    assert.throws(() => h.snapshot(), /after the operator failed/);
    await h.close();
    await h.close();
    assert.equal(closed, 1);
  });

  test("errors in timers, key selectors and endInput name the operator and the hook", async () => {
    const fn: OneInputStreamProcessFunction<Event, number, string> = {
      processRecord(e, _out, ctx) {
        ctx.processingTimeManager.registerTimer(e.n);
      },
      onProcessingTimer() {
        throw new TypeError("bad timer");
      },
      endInput() {
        throw new Error("bad end");
      },
    };
    const h1 = await OneInputHarness.forFunction(fn, { keySelector: byKey, name: "T" });
    h1.processRecord({ key: "a", n: 10 });
    assert.throws(() => h1.advanceBy(10), {
      name: "UserCodeError",
      message: "T (onProcessingTimer): bad timer",
    });
    await h1.close();
    const h2 = await OneInputHarness.forFunction(fn, { keySelector: byKey, name: "T" });
    assert.throws(() => h2.endInput(), { message: "T (endInput): bad end" });
    await h2.close();
    const h3 = await OneInputHarness.forFunction(fn, {
      keySelector: () => {
        throw new Error("no key");
      },
      name: "T",
    });
    assert.throws(() => h3.processRecord({ key: "a", n: 1 }), { message: "T (key selector): no key" });
    await h3.close();
    const h4 = await OneInputHarness.forFunction(fn, { keySelector: () => new Date() as never, name: "T" });
    assert.throws(() => h4.processRecord({ key: "a", n: 1 }), /The key selector of T returned a Date/);
    await h4.close();
  });

  test("open runs (and is awaited) before the first record, with the task facts; close runs once", async () => {
    const calls: string[] = [];
    let seen: TaskInfo | undefined;
    const fn: OneInputStreamProcessFunction<number, number> = {
      async open(ctx) {
        await new Promise((resolve) => setImmediate(resolve));
        seen = ctx.taskInfo;
        calls.push(`open ${ctx.jobInfo.jobName} ${ctx.jobInfo.executionMode}`);
      },
      processRecord(n, out) {
        calls.push(`record ${n}`);
        out.collect(n);
      },
      close() {
        calls.push("close");
      },
    };
    {
      await using h = await OneInputHarness.forFunction(fn, {
        parallelism: 4,
        subtask: 3,
        maxParallelism: 64,
        jobName: "j",
        attemptNumber: 2,
      });
      h.processRecord(1);
      assert.deepEqual(h.keyGroupRange, { start: 48, end: 63 });
    }
    assert.deepEqual(calls, ["open j STREAMING", "record 1", "close"]);
    assert.deepEqual(seen, {
      taskName: "Process",
      parallelism: 4,
      maxParallelism: 64,
      indexOfThisSubtask: 3,
      attemptNumber: 2,
    });
  });

  test("a failing open rejects the factory with the operator's name, and still closes the function", async () => {
    let closed = 0;
    const fn: OneInputStreamProcessFunction<number, number> = {
      open() {
        throw new Error("cannot connect");
      },
      processRecord() {},
      close() {
        closed++;
      },
    };
    await assert.rejects(OneInputHarness.forFunction(fn, { name: "Db" }), {
      name: "UserCodeError",
      message: "Db (open): cannot connect",
    });
    assert.equal(closed, 1);
  });

  test("nothing works after close()", async () => {
    const h = await OneInputHarness.forFunction<number, number>({ processRecord() {} });
    await h.close();
    assert.throws(() => h.processRecord(1), /processRecord after close\(\)/);
    assert.throws(() => h.advanceBy(1), /after close\(\)/);
  });

  test("invalid parallelism settings are rejected", async () => {
    const fn: OneInputStreamProcessFunction<number, number> = { processRecord() {} };
    await assert.rejects(OneInputHarness.forFunction(fn, { parallelism: 2, subtask: 2 }), RangeError);
    await assert.rejects(
      OneInputHarness.forFunction(fn, { parallelism: 200, maxParallelism: 128 }),
      RangeError,
    );
  });
});

describe("snapshots", () => {
  test("a snapshot is a copy: later processing does not change it, even when state is mutated in place", async () => {
    await using h = await OneInputHarness.forFunction(new AllStates(), { keySelector: byKey });
    h.processRecord({ key: "a", n: 2 });
    const snap = h.snapshot();
    const before = structuredClone(snap);
    h.processRecord({ key: "a", n: 4 }); // the aggregate function mutates its accumulator
    assert.deepEqual(snap, before);
    await using restored = await OneInputHarness.restore(new AllStates(), snap, { keySelector: byKey });
    restored.processRecord({ key: "a", n: 8 });
    assert.deepEqual(restored.output(), [
      { key: "a", last: 8, history: [2, 8], parity: { even: 2 }, sum: 10, average: 5 },
    ]);
    assert.equal(restored.operatorId, "AllStates", "the operator id comes from the snapshot");
  });

  test("restoring keyed state into a non-keyed harness is refused", async () => {
    await using h = await OneInputHarness.forFunction(new AllStates(), { keySelector: byKey });
    h.processRecord({ key: "a", n: 2 });
    await assert.rejects(OneInputHarness.restore(new AllStates(), h.snapshot()), /this harness is not keyed/);
  });
});
