/**
 * Snapshot -> restore at another parallelism. Keyed state moves with its key groups: restoring one
 * snapshot at parallelism p splits it so the union of the p restored harnesses is the original
 * state, no key is in two of them, and each key lands on the subtask a keyBy exchange routes it to.
 * Non-keyed state follows its redistribution mode.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type OneInputStreamProcessFunction,
  RedistributionMode,
  StateDeclarations,
  type TwoOutputStreamProcessFunction,
} from "@weir/api";
import { keyGroupForKey, keyGroupRangeForOperator } from "@weir/runtime/testing";
import fc from "fast-check";
import { OneInputHarness, type OperatorSnapshot, subtaskForKey, TwoOutputHarness } from "./index.ts";

type Event = readonly [key: string | number, value: number];

const COUNT = StateDeclarations.value<number>("count");
const VALUES = StateDeclarations.list<number>("values");
const SEEN = StateDeclarations.map<number, boolean>("seen");
const TOTAL = StateDeclarations.reducing<number>("total", (a, b) => a + b);

/** Keeps four kinds of keyed state; emits [key, count, total] per record. */
const tally: OneInputStreamProcessFunction<Event, [string | number, number, number], string | number> = {
  usesStates: () => [COUNT, VALUES, SEEN, TOTAL],
  processRecord([key, value], out, ctx) {
    const sm = ctx.stateManager;
    const count = sm.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
    sm.getState(VALUES).add(value);
    sm.getState(SEEN).put(value, true);
    sm.getState(TOTAL).add(value);
    out.collect([key, count.value()!, sm.getState(TOTAL).get()!]);
  },
};

const keySelector = (e: Event) => e[0];

/** A canonical, order-independent form of a snapshot's keyed state: name -> sorted entry strings. */
function keyedEntries(snapshots: readonly OperatorSnapshot[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const snapshot of snapshots) {
    for (const [name, entries] of Object.entries(snapshot.keyed)) {
      const list = result[name] ?? [];
      result[name] = list;
      for (const entry of entries) list.push(JSON.stringify(entry));
    }
  }
  for (const list of Object.values(result)) list.sort();
  return result;
}

function keysOf(snapshot: OperatorSnapshot): (string | number)[] {
  return [
    ...new Set(
      Object.values(snapshot.keyed).flatMap((entries) => entries.map(([k]) => k as string | number)),
    ),
  ];
}

const eventArb = fc.tuple(
  fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1_000, max: 1_000 })),
  fc.integer({ min: -100, max: 100 }),
);

describe("rescaling keyed state", () => {
  test("restoring at parallelism 2 splits keyed state by key group; the union is the original", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 80 }),
        fc.constantFrom(undefined, 2, 7, 128, 1024),
        async (events, maxParallelism) => {
          const options = { keySelector, maxParallelism };
          await using original = await OneInputHarness.forFunction(tally, options);
          for (const e of events) original.processRecord(e);
          const snapshot = original.snapshot();

          const restored = await Promise.all(
            [0, 1].map((subtask) =>
              OneInputHarness.restore(tally, snapshot, { ...options, parallelism: 2, subtask }),
            ),
          );
          const parts = restored.map((h) => h.snapshot());
          // Union equals the original, and nothing is duplicated.
          assert.deepEqual(keyedEntries(parts), keyedEntries([snapshot]));
          // Each key is on the subtask that owns its key group, and only there.
          const max = maxParallelism ?? 128;
          parts.forEach((part, subtask) => {
            const range = keyGroupRangeForOperator(max, 2, subtask);
            for (const key of keysOf(part)) {
              const group = keyGroupForKey(key, max);
              assert.ok(
                group >= range.start && group <= range.end,
                `key ${String(key)} outside ${subtask}'s range`,
              );
              assert.equal(subtaskForKey(key, { parallelism: 2, maxParallelism: max }), subtask);
            }
          });
          // Behaviour continues where it stopped: the next record of each key sees the old state.
          const expected = new Map<string | number, [number, number]>();
          for (const [key, value] of events) {
            const [count, total] = expected.get(key) ?? [0, 0];
            expected.set(key, [count + 1, total + value]);
          }
          for (const [key, [count, total]] of expected) {
            const owner = restored[subtaskForKey(key, { parallelism: 2, maxParallelism: max })]!;
            owner.processRecord([key, 1]);
            assert.deepEqual(owner.output().at(-1), [key, count + 1, total + 1]);
          }
          // Scaling back in from both halves gives the state of the original plus the new records.
          const merged = await OneInputHarness.restore(
            tally,
            restored.map((h) => h.snapshot()),
            options,
          );
          const mergedKeys = keysOf(merged.snapshot()).map((k) => JSON.stringify(k));
          assert.deepEqual(mergedKeys.sort(), [...expected.keys()].map((k) => JSON.stringify(k)).sort());
          await Promise.all([...restored, merged].map((h) => h.close()));
        },
      ),
      { numRuns: 150 },
    );
  });

  test("restoring p=2 snapshots at p=3 keeps every key exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 60 }), async (events) => {
        const halves = await Promise.all(
          [0, 1].map((subtask) =>
            OneInputHarness.forFunction(tally, { keySelector, parallelism: 2, subtask }),
          ),
        );
        for (const e of events) halves[subtaskForKey(e[0], { parallelism: 2 })]!.processRecord(e);
        const snapshots = halves.map((h) => h.snapshot());
        const thirds = await Promise.all(
          [0, 1, 2].map((subtask) =>
            OneInputHarness.restore(tally, snapshots, { keySelector, parallelism: 3, subtask }),
          ),
        );
        assert.deepEqual(keyedEntries(thirds.map((h) => h.snapshot())), keyedEntries(snapshots));
        await Promise.all([...halves, ...thirds].map((h) => h.close()));
      }),
      { numRuns: 100 },
    );
  });

  test("a restored two-output function keeps its keyed state", async () => {
    const fn: TwoOutputStreamProcessFunction<Event, number, string, string | number> = {
      usesStates: () => [COUNT],
      processRecord([key], counts, firsts, ctx) {
        const count = ctx.stateManager.getState(COUNT);
        if (count.value() === undefined) firsts.collect(`first ${key}`);
        count.update((count.value() ?? 0) + 1);
        counts.collect(count.value()!);
      },
    };
    await using h = await TwoOutputHarness.forFunction(fn, { keySelector });
    h.processRecord(["a", 0]);
    h.processRecord(["b", 0]);
    const snapshot = h.snapshot();
    const owner = subtaskForKey("a", { parallelism: 2 });
    await using restored = await TwoOutputHarness.restore(fn, snapshot, {
      keySelector,
      parallelism: 2,
      subtask: owner,
    });
    restored.processRecord(["a", 0]);
    assert.deepEqual(restored.output1(), [2]);
    assert.deepEqual(restored.output2(), []);
  });
});

describe("rescaling non-keyed state", () => {
  const BUFFER = StateDeclarations.list<number>("buffer", RedistributionMode.REDISTRIBUTABLE);
  const LAST = StateDeclarations.value<number>("last");
  const buffering: OneInputStreamProcessFunction<number, never> = {
    usesStates: () => [BUFFER],
    processRecord(n, _out, ctx) {
      ctx.stateManager.getState(BUFFER).add(n);
    },
  };

  test("REDISTRIBUTABLE lists are pooled and split evenly", async () => {
    const old = await Promise.all(
      [0, 1].map((subtask) => OneInputHarness.forFunction(buffering, { parallelism: 2, subtask })),
    );
    for (const n of [1, 2, 3]) old[0]!.processRecord(n);
    for (const n of [4, 5, 6, 7]) old[1]!.processRecord(n);
    const snapshots = old.map((h) => h.snapshot());
    const lists: unknown[] = [];
    for (const subtask of [0, 1, 2]) {
      await using h = await OneInputHarness.restore(buffering, snapshots, { parallelism: 3, subtask });
      lists.push(h.snapshot().operator.buffer?.value);
    }
    assert.deepEqual(lists, [
      [1, 2],
      [3, 4],
      [5, 6, 7],
    ]);
    // Same parallelism: each subtask gets its own state back.
    await using same = await OneInputHarness.restore(buffering, snapshots, { parallelism: 2, subtask: 1 });
    assert.deepEqual(same.snapshot().operator.buffer?.value, [4, 5, 6, 7]);
    await Promise.all(old.map((h) => h.close()));
  });

  test("state that cannot be redistributed fails the restore at another parallelism, naming the state", async () => {
    const fn: OneInputStreamProcessFunction<number, never> = {
      usesStates: () => [LAST],
      processRecord(n, _out, ctx) {
        ctx.stateManager.getState(LAST).update(n);
      },
    };
    await using h = await OneInputHarness.forFunction(fn, { name: "Last" });
    h.processRecord(1);
    await assert.rejects(
      OneInputHarness.restore(fn, h.snapshot(), { parallelism: 2, name: "Last" }),
      /Last: non-keyed state "last" has redistribution NONE and cannot be restored at parallelism 2 from 1 snapshot/,
    );
    await using same = await OneInputHarness.restore(fn, h.snapshot(), { name: "Last" });
    assert.deepEqual(same.snapshot().operator, { last: { redistribution: "NONE", value: 1 } });
  });
});

test("processing-time timers are part of the snapshot and move with their key", async () => {
  const fn: OneInputStreamProcessFunction<string, string, string> = {
    processRecord(key, _out, ctx) {
      ctx.processingTimeManager.registerTimer(key === "a" ? 100 : 200);
    },
    onProcessingTimer(timestamp, out, ctx) {
      out.collect(`${ctx.stateManager.getCurrentKey()}@${timestamp}`);
    },
  };
  const h = await OneInputHarness.forFunction(fn, { keySelector: (k: string) => k });
  h.processRecord("a");
  h.processRecord("b");
  const snapshot = h.snapshot();
  await h.close();
  assert.deepEqual(snapshot.timers, [
    [100, "a"],
    [200, "b"],
  ]);
  const fired: string[] = [];
  for (const subtask of [0, 1]) {
    const restored = await OneInputHarness.restore(fn, snapshot, {
      keySelector: (k: string) => k,
      parallelism: 2,
      subtask,
    });
    restored.advanceProcessingTime(1000);
    for (const out of restored.output()) {
      assert.equal(
        subtaskForKey(out.split("@")[0]!, { parallelism: 2 }),
        subtask,
        `${out} fired on its key's owner`,
      );
      fired.push(out);
    }
    await restored.close();
  }
  assert.deepEqual(fired.sort(), ["a@100", "b@200"]);
});
