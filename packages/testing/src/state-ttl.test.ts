/**
 * State TTL (Flink's StateTtlConfig) on every keyed state kind, driven by the harness's manual
 * clock: expiry, OnReadAndWrite refresh, ReturnExpiredIfNotCleanedUp, snapshots without expired
 * values, restores that keep the remaining time to live, and validation errors.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type OneInputStreamProcessFunction, type StateDeclaration, StateDeclarations } from "@weir/api";
import { InvalidJobError } from "@weir/runtime";
import { OneInputHarness } from "./index.ts";

type Ttl = NonNullable<NonNullable<Parameters<typeof StateDeclarations.value>[1]>["ttl"]>;

/** A command: write `n` to the state of `key`, or read it (the read emits what is visible). */
interface Cmd {
  readonly key: string;
  readonly write?: number;
}

/** How one state kind is declared, written, read, and what it holds after two writes. */
interface Kind {
  readonly name: string;
  declare(ttl: Ttl): StateDeclaration;
  write(handle: never, n: number): void;
  read(handle: never): unknown;
  /** What a read shows when nothing is visible. */
  readonly absent: unknown;
  /** What a read shows after writing 1 only. */
  readonly one: unknown;
  /** Read at t=150 after writing 1 at t=0 and 2 at t=80 (ttl 100). */
  readonly afterWritesAt0And80: unknown;
}

const sum = {
  createAccumulator: () => ({ total: 0 }),
  add: (n: number, acc: { total: number }) => {
    acc.total += n;
    return acc;
  },
  getResult: (acc: { total: number }) => acc.total,
};

const KINDS: readonly Kind[] = [
  {
    name: "value",
    declare: (ttl) => StateDeclarations.value<number>("s", { ttl }),
    write: (h: { update(n: number): void }, n) => h.update(n),
    read: (h: { value(): number | undefined }) => h.value(),
    absent: undefined,
    one: 1,
    afterWritesAt0And80: 2,
  },
  {
    name: "list",
    declare: (ttl) => StateDeclarations.list<number>("s", { ttl }),
    write: (h: { add(n: number): void }, n) => h.add(n),
    read: (h: { get(): readonly number[] }) => [...h.get()],
    absent: [],
    one: [1],
    // Each element expires on its own: 1 (written at 0) is gone, 2 (written at 80) lives.
    afterWritesAt0And80: [2],
  },
  {
    name: "map",
    declare: (ttl) => StateDeclarations.map<string, number>("s", { ttl }),
    write: (h: { put(k: string, n: number): void }, n) => h.put(`k${n}`, n),
    read: (h: { entries(): Iterable<[string, number]> }) => Object.fromEntries(h.entries()),
    absent: {},
    one: { k1: 1 },
    // Each entry expires on its own.
    afterWritesAt0And80: { k2: 2 },
  },
  {
    name: "reducing",
    declare: (ttl) => StateDeclarations.reducing<number>("s", (a, b) => a + b, { ttl }),
    write: (h: { add(n: number): void }, n) => h.add(n),
    read: (h: { get(): number | undefined }) => h.get(),
    absent: undefined,
    one: 1,
    // The add at 80 folds into the live value and refreshes it.
    afterWritesAt0And80: 3,
  },
  {
    name: "aggregating",
    declare: (ttl) => StateDeclarations.aggregating("s", sum, { ttl }),
    write: (h: { add(n: number): void }, n) => h.add(n),
    read: (h: { get(): number | undefined }) => h.get(),
    absent: undefined,
    one: 1,
    afterWritesAt0And80: 3,
  },
];

/** Writes or reads the state of the command's key; reads emit what is visible. */
function driver(
  kind: Kind,
  declaration: StateDeclaration,
): OneInputStreamProcessFunction<Cmd, unknown, string> {
  return {
    usesStates: () => [declaration],
    processRecord(cmd, out, ctx) {
      const handle = ctx.stateManager.getState(declaration) as never;
      if (cmd.write === undefined) out.collect(kind.read(handle));
      else kind.write(handle, cmd.write);
    },
  };
}

type Harness = OneInputHarness<Cmd, unknown, string>;

function harness(kind: Kind, ttl: Ttl, startTime = 0): Promise<Harness> {
  return OneInputHarness.forFunction(driver(kind, kind.declare(ttl)), {
    keySelector: (c) => c.key,
    startTime,
  });
}

/** Reads the state of `key` at processing time `at`. */
function readAt(h: Harness, at: number, key = "a"): unknown {
  h.advanceProcessingTime(at);
  h.clearOutput();
  h.processRecord({ key });
  const [value] = h.output();
  h.clearOutput();
  return value;
}

function writeAt(h: Harness, at: number, n: number, key = "a"): void {
  h.advanceProcessingTime(at);
  h.processRecord({ key, write: n });
}

/** The keys the snapshot holds state "s" for. */
function snapshotKeys(h: Harness): unknown[] {
  return (h.snapshot().keyed.s ?? []).map(([key]) => key);
}

for (const kind of KINDS) {
  describe(`${kind.name} state with a TTL`, () => {
    test("is visible until ttl has passed since the write, then reads as absent and is removed", async () => {
      await using h = await harness(kind, { ttlMs: 100 });
      writeAt(h, 0, 1);
      assert.deepEqual(readAt(h, 50), kind.one);
      // OnCreateAndWrite: the read at 50 did not refresh.
      assert.deepEqual(readAt(h, 99), kind.one);
      assert.deepEqual(readAt(h, 100), kind.absent);
      assert.deepEqual(snapshotKeys(h), []);
      // A new write starts afresh.
      writeAt(h, 120, 1);
      assert.deepEqual(readAt(h, 219), kind.one);
      assert.deepEqual(readAt(h, 220), kind.absent);
    });

    test("writes set the timestamp of what they write", async () => {
      await using h = await harness(kind, { ttlMs: 100 });
      writeAt(h, 0, 1);
      writeAt(h, 80, 2);
      assert.deepEqual(readAt(h, 150), kind.afterWritesAt0And80);
      assert.deepEqual(readAt(h, 180), kind.absent);
    });

    test("OnReadAndWrite: reads of unexpired values refresh them", async () => {
      await using h = await harness(kind, { ttlMs: 100, updateType: "OnReadAndWrite" });
      writeAt(h, 0, 1);
      assert.deepEqual(readAt(h, 60), kind.one);
      assert.deepEqual(readAt(h, 150), kind.one, "refreshed at 60, so alive until 160");
      assert.deepEqual(readAt(h, 249), kind.one, "refreshed at 150");
      h.advanceProcessingTime(349);
      assert.deepEqual(snapshotKeys(h), [], "refreshed last at 249: expired at 349");
      assert.deepEqual(readAt(h, 349), kind.absent);
    });

    test("ReturnExpiredIfNotCleanedUp: an expired value is returned once, by the read that removes it", async () => {
      await using h = await harness(kind, { ttlMs: 100, stateVisibility: "ReturnExpiredIfNotCleanedUp" });
      writeAt(h, 0, 1);
      assert.deepEqual(readAt(h, 100), kind.one);
      assert.deepEqual(readAt(h, 100), kind.absent);
    });

    test("snapshots leave out expired values; the restored state has the rest", async () => {
      await using h = await harness(kind, { ttlMs: 100 });
      writeAt(h, 0, 1, "a");
      writeAt(h, 50, 1, "b");
      h.advanceProcessingTime(100);
      // No access since the writes: "a" is still stored, but expired, so not snapshotted.
      const snapshot = h.snapshot();
      assert.deepEqual(
        (snapshot.keyed.s ?? []).map(([key]) => key),
        ["b"],
      );
      await using restored = await OneInputHarness.restore(
        driver(kind, kind.declare({ ttlMs: 100 })),
        snapshot,
        {
          keySelector: (c: Cmd) => c.key,
          startTime: 100,
        },
      );
      assert.deepEqual(readAt(restored, 100, "a"), kind.absent);
      assert.deepEqual(readAt(restored, 100, "b"), kind.one);
    });

    test("a restore keeps the timestamps: the remaining time to live carries over", async () => {
      await using h = await harness(kind, { ttlMs: 100 });
      writeAt(h, 0, 1);
      h.advanceProcessingTime(60);
      const snapshot = h.snapshot();
      await using restored = await OneInputHarness.restore(
        driver(kind, kind.declare({ ttlMs: 100 })),
        snapshot,
        {
          keySelector: (c: Cmd) => c.key,
          startTime: 60,
        },
      );
      assert.deepEqual(readAt(restored, 99), kind.one);
      assert.deepEqual(readAt(restored, 100), kind.absent, "written at 0: expired at 100, not at 160");
    });
  });
}

describe("TTL details per kind", () => {
  test("reducing and aggregating: an add to an expired value starts afresh, whatever the visibility", async () => {
    for (const kind of KINDS.filter((k) => k.name === "reducing" || k.name === "aggregating")) {
      for (const stateVisibility of ["NeverReturnExpired", "ReturnExpiredIfNotCleanedUp"] as const) {
        await using h = await harness(kind, { ttlMs: 100, stateVisibility });
        writeAt(h, 0, 1);
        writeAt(h, 100, 2);
        assert.equal(readAt(h, 100), 2, `${kind.name}, ${stateVisibility}`);
      }
    }
  });

  test("map: entries expire one by one; get, contains, keys, values and isEmpty skip expired ones", async () => {
    const M = StateDeclarations.map<string, number>("m", {
      ttl: { ttlMs: 100, updateType: "OnReadAndWrite" },
    });
    const seen: unknown[] = [];
    const fn: OneInputStreamProcessFunction<{ op: string; at?: string; n?: number }, never, string> = {
      usesStates: () => [M],
      processRecord(cmd, _out, ctx) {
        const m = ctx.stateManager.getState(M);
        if (cmd.op === "put") m.put(cmd.at!, cmd.n!);
        else if (cmd.op === "get") seen.push(m.get(cmd.at!));
        else if (cmd.op === "contains") seen.push(m.contains(cmd.at!));
        else if (cmd.op === "remove") m.remove(cmd.at!);
        else seen.push({ keys: [...m.keys()], values: [...m.values()], empty: m.isEmpty() });
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { keySelector: () => "k" });
    h.processRecord({ op: "put", at: "x", n: 1 });
    h.advanceProcessingTime(50);
    h.processRecord({ op: "put", at: "y", n: 2 });
    h.advanceProcessingTime(90);
    h.processRecord({ op: "get", at: "x" }); // refreshes x only: alive until 190
    h.advanceProcessingTime(160);
    h.processRecord({ op: "contains", at: "y" }); // y written at 50: expired at 150
    h.processRecord({ op: "all" }); // x refreshed again at 160
    h.advanceProcessingTime(260);
    h.processRecord({ op: "all" });
    assert.deepEqual(seen, [
      1,
      false,
      { keys: ["x"], values: [1], empty: false },
      { keys: [], values: [], empty: true },
    ]);
    assert.deepEqual(h.snapshot().keyed.m, []);
  });

  test("user code never sees the timestamps: list get() and map entries are plain values", async () => {
    const L = StateDeclarations.list<{ n: number }>("l", { ttl: { ttlMs: 10 } });
    const seen: unknown[] = [];
    await using h = await OneInputHarness.forFunction<number, never, string>(
      {
        usesStates: () => [L],
        processRecord(n, _out, ctx) {
          const l = ctx.stateManager.getState(L);
          l.addAll([{ n }, { n: n + 1 }]);
          l.update([...l.get(), { n: -n }]);
          seen.push(l.get());
        },
      },
      { keySelector: () => "k" },
    );
    h.processRecord(1);
    assert.deepEqual(seen, [[{ n: 1 }, { n: 2 }, { n: -1 }]]);
  });

  test("restoring state snapshotted without a TTL into a TTL declaration fails naming the state", async () => {
    const plain = StateDeclarations.value<number>("s");
    const withTtl = StateDeclarations.value<number>("s", { ttl: { ttlMs: 100 } });
    const fn = (d: StateDeclaration): OneInputStreamProcessFunction<number, never, string> => ({
      usesStates: () => [d],
      processRecord(n, _out, ctx) {
        ctx.stateManager.getState(d as typeof plain).update(n);
      },
    });
    await using h = await OneInputHarness.forFunction(fn(plain), { keySelector: () => "k" });
    h.processRecord(1);
    await assert.rejects(
      OneInputHarness.restore(fn(withTtl), h.snapshot(), { keySelector: () => "k" }),
      /state "s" declares a TTL, but the snapshot holds it without TTL timestamps/,
    );
  });

  test("restoring state snapshotted with a TTL into a declaration without one fails naming the state", async () => {
    const plain = StateDeclarations.value<number>("s");
    const withTtl = StateDeclarations.value<number>("s", { ttl: { ttlMs: 100 } });
    const fn = (d: StateDeclaration): OneInputStreamProcessFunction<number, never, string> => ({
      usesStates: () => [d],
      processRecord(n, _out, ctx) {
        ctx.stateManager.getState(d as typeof plain).update(n);
      },
    });
    await using h = await OneInputHarness.forFunction(fn(withTtl), { keySelector: () => "k" });
    h.processRecord(1);
    const snapshot = h.snapshot();
    assert.deepEqual(snapshot.ttlStates, ["s"], "the snapshot says which states carry TTL timestamps");
    await assert.rejects(
      OneInputHarness.restore(fn(plain), snapshot, { keySelector: () => "k" }),
      /state "s" was stored with a TTL, but the job declares it without one/,
    );
  });
});

describe("TTL options", () => {
  test("defaults are filled in; declarations without options have no ttl", () => {
    assert.deepEqual(StateDeclarations.value<number>("v", { ttl: { ttlMs: 5 } }).ttl, {
      ttlMs: 5,
      updateType: "OnCreateAndWrite",
      stateVisibility: "NeverReturnExpired",
    });
    assert.equal("ttl" in StateDeclarations.value<number>("v"), false);
    assert.equal("ttl" in StateDeclarations.value<number>("v", {}), false);
    const ttl = {
      ttlMs: 5,
      updateType: "OnReadAndWrite",
      stateVisibility: "ReturnExpiredIfNotCleanedUp",
    } as const;
    assert.deepEqual(StateDeclarations.map<string, number>("m", { ttl }).ttl, ttl);
    assert.deepEqual(StateDeclarations.reducing<number>("r", (a, b) => a + b, { ttl }).ttl, ttl);
    assert.deepEqual(StateDeclarations.aggregating("g", sum, { ttl }).ttl, ttl);
  });

  test("list takes a redistribution mode or an options object", () => {
    assert.equal(StateDeclarations.list<number>("l", "IDENTICAL").redistribution, "IDENTICAL");
    const withTtl = StateDeclarations.list<number>("l", { ttl: { ttlMs: 5 } });
    assert.equal(withTtl.redistribution, "REDISTRIBUTABLE");
    assert.equal(withTtl.ttl?.ttlMs, 5);
    assert.equal(StateDeclarations.list<number>("l", { redistribution: "NONE" }).redistribution, "NONE");
    assert.throws(
      () => StateDeclarations.list<number>("l", { redistribution: "SOMETIMES" as "NONE" }),
      /state "l": redistribution must be one of NONE, REDISTRIBUTABLE, IDENTICAL, got "SOMETIMES"/,
    );
  });

  test("bad options fail with errors naming the state", () => {
    const bad: [unknown, RegExp][] = [
      [{ ttl: { ttlMs: 0 } }, /state "s": ttl.ttlMs must be a positive finite number of milliseconds, got 0/],
      [{ ttl: { ttlMs: -5 } }, /ttl.ttlMs must be a positive finite number.*got -5/],
      [{ ttl: { ttlMs: Number.NaN } }, /ttl.ttlMs .* got NaN/],
      [{ ttl: { ttlMs: Number.POSITIVE_INFINITY } }, /ttl.ttlMs .* got Infinity/],
      [{ ttl: { ttlMs: "100" } }, /ttl.ttlMs .* got 100/],
      [{ ttl: {} }, /ttl.ttlMs .* got undefined/],
      [
        { ttl: { ttlMs: 1, updateType: "OnRead" } },
        /state "s": ttl.updateType must be "OnCreateAndWrite" or "OnReadAndWrite", got "OnRead"/,
      ],
      [
        { ttl: { ttlMs: 1, stateVisibility: "Always" } },
        /state "s": ttl.stateVisibility must be "NeverReturnExpired" or "ReturnExpiredIfNotCleanedUp", got "Always"/,
      ],
      [{ ttl: { ttlMs: 1, ttl: 2 } }, /state "s": unknown ttl option "ttl"/],
      [{ tll: { ttlMs: 1 } }, /state "s": unknown option "tll"/],
      [{ ttl: 100 }, /state "s": ttl must be an object like \{ ttlMs: 60000 \}, got 100/],
      [5, /state "s": options must be an object, got 5/],
    ];
    const factories = [
      (o: unknown) => StateDeclarations.value("s", o as never),
      (o: unknown) => StateDeclarations.list("s", o as never),
      (o: unknown) => StateDeclarations.map("s", o as never),
      (o: unknown) => StateDeclarations.reducing("s", (a: number) => a, o as never),
      (o: unknown) => StateDeclarations.aggregating("s", sum, o as never),
    ];
    for (const [options, message] of bad) {
      for (const factory of factories) {
        // A number is a (bad) redistribution mode for list, checked separately above.
        if (typeof options === "number" && factory === factories[1]) continue;
        assert.throws(() => factory(options), message, JSON.stringify(options));
      }
    }
  });

  test("a TTL on a non-keyed stream is rejected: TTL is keyed-state only", async () => {
    const V = StateDeclarations.value<number>("v", { ttl: { ttlMs: 100 } });
    await assert.rejects(
      OneInputHarness.forFunction<number, never>({ usesStates: () => [V], processRecord() {} }),
      (e: unknown) => {
        assert.ok(e instanceof InvalidJobError);
        assert.match(
          e.message,
          /state "v" has a TTL, but the stream is not keyed; TTL is only supported for keyed state/,
        );
        return true;
      },
    );
  });
});
