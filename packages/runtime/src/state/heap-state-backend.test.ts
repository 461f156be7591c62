import assert from "node:assert/strict";
import { test } from "node:test";
import { type AggregatingState, StateDeclarations, type ValueState } from "@weir/api";
import { HeapStateBackend } from "./heap-state-backend.ts";

const SUM = StateDeclarations.aggregating<number, { sum: number }, number>("sum", {
  createAccumulator: () => ({ sum: 0 }),
  // Mutates the accumulator in place, which the API allows.
  add: (value, acc) => {
    acc.sum += value;
    return acc;
  },
  getResult: (acc) => acc.sum,
});
const COUNT = StateDeclarations.value<number>("count");

test("a snapshot is not changed by later in-place updates, and restores do not share values", () => {
  const backend = new HeapStateBackend("op", true, [SUM]);
  const sum = backend.getState(SUM) as AggregatingState<number, number>;
  backend.setCurrentKey("k");
  sum.add(1);
  const snapshot = backend.snapshotNow();
  sum.add(100);
  assert.deepEqual(snapshot.keyed.sum, [["k", { sum: 1 }]]);

  const a = new HeapStateBackend("a", true, [SUM]);
  const b = new HeapStateBackend("b", true, [SUM]);
  a.restore(snapshot, () => true);
  b.restore(snapshot, () => true);
  a.setCurrentKey("k");
  (a.getState(SUM) as AggregatingState<number, number>).add(5);
  b.setCurrentKey("k");
  assert.equal((b.getState(SUM) as AggregatingState<number, number>).get(), 1);
});

test("string keys never share state with composite keys whose id looks like them", () => {
  const backend = new HeapStateBackend("op", true, [COUNT]);
  const count = backend.getState(COUNT) as ValueState<number>;
  const keys = [[1], "\u0000[n:1]", "\u0000", "", 1, "1", 1n, { a: 1 }] as const;
  for (const key of keys) {
    backend.setCurrentKey(key);
    count.update((count.value() ?? 0) + 1);
  }
  for (const key of keys) {
    backend.setCurrentKey(key);
    assert.equal(count.value(), 1, `key ${JSON.stringify(String(key))}`);
  }
  // keysWithState gives back the original keys, escaped strings included.
  assert.deepEqual(
    new Set(backend.keysWithState().map((k) => (typeof k === "bigint" ? `${k}n` : JSON.stringify(k)))),
    new Set(keys.map((k) => (typeof k === "bigint" ? `${k}n` : JSON.stringify(k)))),
  );
});
