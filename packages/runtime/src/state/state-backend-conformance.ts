/**
 * The behaviour every state backend must show, as a suite run against each backend (heap, LMDB
 * with blob snapshots, LMDB with inline snapshots): every state kind, TTL, batches, snapshot and
 * restore (also across backends), key-group filtering on restore. Expected values are written out
 * here, never produced by a backend.
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AggregatingState,
  type KeyValue,
  type ListState,
  type MapState,
  type ReducingState,
  type StateDeclaration,
  StateDeclarations,
  type ValueState,
} from "@weir/api";
import { keyGroupForKey } from "../keys/key-hash.ts";
import type { BackendSnapshot, RestorableState, StateBackend } from "./state-backend.ts";

export interface BackendFactoryOptions {
  readonly keyed: boolean;
  readonly states: readonly StateDeclaration[];
  readonly now: () => number;
  /** The subtask's key groups of 128 (default all); a restore keeps only these. */
  readonly keyGroupRange?: { readonly start: number; readonly end: number };
}

export type BackendFactory = (options: BackendFactoryOptions) => StateBackend;

/** The snapshot's finished form and what a backend restores from it. */
export async function takeSnapshot(backend: StateBackend, checkpointId: number): Promise<RestorableState> {
  return restorable(await backend.snapshot(checkpointId).materialize());
}

export function restorable(snapshot: BackendSnapshot): RestorableState {
  return {
    keyed: snapshot.keyed,
    operator: snapshot.operator,
    ttlStates: snapshot.ttlStates,
    ...(snapshot.keyedHandle !== undefined ? { keyedHandles: [snapshot.keyedHandle] } : {}),
  };
}

const VALUE = StateDeclarations.value<unknown>("value");
const LIST = StateDeclarations.list<number>("list");
const MAP = StateDeclarations.map<KeyValue, unknown>("map");
const SUM = StateDeclarations.reducing<number>("sum", (a, b) => a + b);
const AVG = StateDeclarations.aggregating<number, { sum: number; n: number }, number>("avg", {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  // Mutates the accumulator in place, which the API allows.
  add: (value, acc) => {
    acc.sum += value;
    acc.n++;
    return acc;
  },
  getResult: (acc) => acc.sum / acc.n,
});
const ALL = [VALUE, LIST, MAP, SUM, AVG];
const TTL_VALUE = StateDeclarations.value<string>("tv", { ttl: { ttlMs: 100 } });
const TTL_READ = StateDeclarations.value<string>("tr", { ttl: { ttlMs: 100, updateType: "OnReadAndWrite" } });
const TTL_VISIBLE = StateDeclarations.value<string>("tx", {
  ttl: { ttlMs: 100, stateVisibility: "ReturnExpiredIfNotCleanedUp" },
});
const TTL_LIST = StateDeclarations.list<string>("tl", { ttl: { ttlMs: 100 } });
const TTL_MAP = StateDeclarations.map<string, number>("tm", { ttl: { ttlMs: 100 } });
const TTL_ALL = [TTL_VALUE, TTL_READ, TTL_VISIBLE, TTL_LIST, TTL_MAP];

const KEYS: KeyValue[] = ["a", "", 1, 2.5, -0.5, 7n, true, false, null, [1, "x"], { id: 3, region: "eu" }];

const show = (key: unknown) => JSON.stringify(key, (_, v) => (typeof v === "bigint" ? `${v}n` : v));

function handles(backend: StateBackend) {
  return {
    value: backend.getState(VALUE) as ValueState<unknown>,
    list: backend.getState(LIST) as ListState<number>,
    map: backend.getState(MAP) as MapState<KeyValue, unknown>,
    sum: backend.getState(SUM) as ReducingState<number>,
    avg: backend.getState(AVG) as AggregatingState<number, number>,
  };
}

/** Writes state for every key of KEYS; key i gets values derived from i. */
function fill(backend: StateBackend): void {
  const h = handles(backend);
  KEYS.forEach((key, i) => {
    backend.setCurrentKey(key);
    h.value.update({ i, big: BigInt(i) * 10n, when: new Date(1000 * i), tags: new Map([["k", i]]) });
    h.list.add(i);
    h.list.addAll([i + 1, i + 2]);
    h.map.put("plain", i);
    h.map.put([i, "tuple"], `t${i}`);
    h.sum.add(i);
    h.sum.add(10);
    h.avg.add(i);
    h.avg.add(i + 2);
    if (i % 3 === 0) backend.endOfBatch();
  });
  backend.endOfBatch();
}

/** Checks what `fill` wrote, for the keys `owned` accepts (others must be absent). */
function checkFilled(backend: StateBackend, owned: (key: KeyValue) => boolean = () => true): void {
  const h = handles(backend);
  KEYS.forEach((key, i) => {
    backend.setCurrentKey(key);
    if (!owned(key)) {
      assert.equal(h.value.value(), undefined, `key ${show(key)} must not be restored`);
      assert.deepEqual([...h.list.get()], []);
      return;
    }
    assert.deepEqual(
      h.value.value(),
      { i, big: BigInt(i) * 10n, when: new Date(1000 * i), tags: new Map([["k", i]]) },
      `value of key ${show(key)}`,
    );
    assert.deepEqual([...h.list.get()], [i, i + 1, i + 2], `list of key ${show(key)}`);
    assert.equal(h.map.get("plain"), i);
    assert.equal(h.map.get([i, "tuple"]), `t${i}`);
    assert.equal(h.map.contains([i, "other"]), false);
    assert.deepEqual(new Set([...h.map.keys()].map(show)), new Set([show("plain"), show([i, "tuple"])]));
    assert.equal(h.sum.get(), i + 10);
    assert.equal(h.avg.get(), i + 1);
  });
  backend.endOfBatch();
}

/** Registers the suite for one backend. `other` builds the backend restores are crossed with. */
export function stateBackendConformance(
  name: string,
  create: BackendFactory,
  other: { name: string; create: BackendFactory },
): void {
  const disposing: StateBackend[] = [];
  const make = (options: BackendFactoryOptions, factory: BackendFactory = create) => {
    const backend = factory(options);
    disposing.push(backend);
    return backend;
  };
  const cleanup = async () => {
    for (const backend of disposing.splice(0)) await backend.dispose();
  };
  const keyed = (states: readonly StateDeclaration[], now: () => number = () => 0) =>
    make({ keyed: true, states, now });

  test(`${name}: every state kind keeps a value per key across batches`, async () => {
    try {
      const backend = keyed(ALL);
      fill(backend);
      checkFilled(backend);
      assert.deepEqual(new Set(backend.keysWithState().map(show)), new Set(KEYS.map(show)));
    } finally {
      await cleanup();
    }
  });

  test(`${name}: updates, removals and clears, within a batch and across batches`, async () => {
    try {
      const backend = keyed(ALL);
      const h = handles(backend);
      backend.setCurrentKey("k");
      h.value.update(1);
      h.value.update(2);
      h.list.update([5, 6]);
      h.list.add(7);
      h.map.put("x", 1);
      h.map.put("y", 2);
      h.map.remove("x");
      h.sum.add(3);
      h.avg.add(4);
      assert.equal(h.value.value(), 2);
      assert.deepEqual([...h.list.get()], [5, 6, 7]);
      backend.endOfBatch();
      backend.setCurrentKey("k");
      assert.equal(h.value.value(), 2);
      assert.deepEqual([...h.list.get()], [5, 6, 7]);
      assert.deepEqual([...h.map.entries()], [["y", 2]]);
      assert.equal(h.map.isEmpty(), false);
      h.map.remove("y");
      assert.equal(h.map.isEmpty(), true);
      h.value.update(undefined);
      h.list.update([]);
      h.sum.clear();
      h.avg.add(6);
      backend.endOfBatch();
      backend.setCurrentKey("k");
      assert.equal(h.value.value(), undefined);
      assert.deepEqual([...h.list.get()], []);
      assert.equal(h.sum.get(), undefined);
      assert.equal(h.avg.get(), 5);
      h.avg.clear();
      h.map.put("z", 1);
      h.map.clear();
      backend.endOfBatch();
      assert.deepEqual(backend.keysWithState(), []);
    } finally {
      await cleanup();
    }
  });

  test(`${name}: TTL expires values, refreshes on read when asked, and shows expired ones once if visible`, async () => {
    try {
      let now = 0;
      const backend = keyed(TTL_ALL, () => now);
      const tv = backend.getState(TTL_VALUE) as ValueState<string>;
      const tr = backend.getState(TTL_READ) as ValueState<string>;
      const tx = backend.getState(TTL_VISIBLE) as ValueState<string>;
      const tl = backend.getState(TTL_LIST) as ListState<string>;
      const tm = backend.getState(TTL_MAP) as MapState<string, number>;
      backend.setCurrentKey("k");
      tv.update("v");
      tr.update("r");
      tx.update("x");
      tl.add("first");
      tm.put("old", 1);
      backend.endOfBatch();
      now = 60;
      backend.setCurrentKey("k");
      assert.equal(tv.value(), "v");
      assert.equal(tr.value(), "r"); // refreshed to 60
      tl.add("second");
      tm.put("new", 2);
      backend.endOfBatch();
      now = 100;
      backend.setCurrentKey("k");
      assert.equal(tv.value(), undefined);
      assert.equal(tr.value(), "r");
      assert.equal(tx.value(), "x"); // expired, not cleaned up: visible once
      assert.deepEqual([...tl.get()], ["second"]);
      assert.deepEqual([...tm.entries()], [["new", 2]]);
      backend.endOfBatch();
      backend.setCurrentKey("k");
      assert.equal(tx.value(), undefined);
      now = 199;
      assert.deepEqual([...tl.get()], []);
      assert.equal(tm.isEmpty(), true);
      now = 200; // the read at 100 refreshed it: it expires now
      assert.equal(tr.value(), undefined);
      backend.endOfBatch();
    } finally {
      await cleanup();
    }
  });

  for (const target of [
    { name, create },
    { name: other.name, create: other.create },
  ]) {
    test(`${name}: a snapshot restores into ${target.name}, unchanged by later updates`, async () => {
      try {
        const backend = keyed(ALL);
        fill(backend);
        const capture = backend.snapshot(1);
        // Updates after the barrier must not reach the snapshot.
        const h = handles(backend);
        backend.setCurrentKey("a");
        h.avg.add(1000);
        h.value.update("later");
        h.list.add(99);
        backend.setCurrentKey("new key");
        h.value.update(1);
        backend.endOfBatch();
        const snapshot = restorable(await capture.materialize());
        const restored = make({ keyed: true, states: ALL, now: () => 0 }, target.create);
        await restored.restore(snapshot, () => true);
        checkFilled(restored);
        restored.setCurrentKey("new key");
        assert.equal(handles(restored).value.value(), undefined);
        // Restores from one snapshot do not share values.
        const twin = make({ keyed: true, states: ALL, now: () => 0 }, target.create);
        await twin.restore(snapshot, () => true);
        restored.setCurrentKey("a");
        handles(restored).list.add(5);
        restored.endOfBatch();
        twin.setCurrentKey("a");
        assert.deepEqual([...handles(twin).list.get()], [0, 1, 2]);
      } finally {
        await cleanup();
      }
    });
  }

  test(`${name}: a restore keeps only the key groups of its subtask`, async () => {
    try {
      const backend = keyed(ALL);
      fill(backend);
      const snapshot = await takeSnapshot(backend, 1);
      const keyGroupRange = { start: 0, end: 63 };
      const restored = make({ keyed: true, states: ALL, now: () => 0, keyGroupRange });
      const owned = (key: KeyValue) => keyGroupForKey(key, 128) <= keyGroupRange.end;
      // Both halves hold keys, so the filter is exercised both ways.
      assert.ok(KEYS.some(owned) && !KEYS.every(owned));
      await restored.restore(snapshot, owned);
      checkFilled(restored, owned);
    } finally {
      await cleanup();
    }
  });

  test(`${name}: snapshots leave out expired TTL values and keep timestamps of the rest`, async () => {
    try {
      let now = 0;
      const backend = keyed(TTL_ALL, () => now);
      const tv = backend.getState(TTL_VALUE) as ValueState<string>;
      const tx = backend.getState(TTL_VISIBLE) as ValueState<string>;
      const tl = backend.getState(TTL_LIST) as ListState<string>;
      backend.setCurrentKey("old");
      tv.update("o");
      tx.update("o");
      tl.add("o1");
      backend.endOfBatch();
      now = 50;
      backend.setCurrentKey("old");
      tl.add("o2");
      backend.setCurrentKey("young");
      tv.update("y");
      backend.endOfBatch();
      now = 120;
      const snapshot = await takeSnapshot(backend, 1);
      assert.deepEqual([...(snapshot.ttlStates ?? [])].sort(), ["tl", "tm", "tr", "tv", "tx"]);
      const restored = keyed(TTL_ALL, () => now);
      await restored.restore(snapshot, () => true);
      const rv = restored.getState(TTL_VALUE) as ValueState<string>;
      const rx = restored.getState(TTL_VISIBLE) as ValueState<string>;
      const rl = restored.getState(TTL_LIST) as ListState<string>;
      restored.setCurrentKey("old");
      assert.equal(rv.value(), undefined);
      // Left out of the snapshot, so not even visible as "expired, not cleaned up".
      assert.equal(rx.value(), undefined);
      assert.deepEqual([...rl.get()], ["o2"]);
      restored.setCurrentKey("young");
      assert.equal(rv.value(), "y");
      now = 150;
      assert.equal(rv.value(), undefined, "the restored value kept its timestamp (50)");
      restored.endOfBatch();
    } finally {
      await cleanup();
    }
  });

  test(`${name}: a TTL can be neither added to nor removed from stored state`, async () => {
    try {
      const plain = StateDeclarations.value<string>("tv");
      const withoutTtl = keyed([plain]);
      withoutTtl.setCurrentKey("k");
      (withoutTtl.getState(plain) as ValueState<string>).update("v");
      withoutTtl.endOfBatch();
      const withTtl = keyed([TTL_VALUE]);
      withTtl.setCurrentKey("k");
      (withTtl.getState(TTL_VALUE) as ValueState<string>).update("v");
      withTtl.endOfBatch();
      await assert.rejects(
        async () => keyed([TTL_VALUE]).restore(await takeSnapshot(withoutTtl, 1), () => true),
        /declares a TTL, but the snapshot holds it without TTL timestamps/,
      );
      await assert.rejects(
        async () => keyed([plain]).restore(await takeSnapshot(withTtl, 1), () => true),
        /was stored with a TTL, but the job declares it without one/,
      );
    } finally {
      await cleanup();
    }
  });

  test(`${name}: non-keyed and broadcast state live beside keyed state and are snapshotted`, async () => {
    try {
      const counter = StateDeclarations.value<number>("counter");
      const rules = StateDeclarations.broadcast<string, string>("rules");
      const nonKeyed = make({ keyed: false, states: [counter], now: () => 0 });
      (nonKeyed.getState(counter) as ValueState<number>).update(42);
      const withBroadcast = keyed([VALUE, rules]);
      const rulesState = withBroadcast.getState(rules) as MapState<string, string>;
      withBroadcast.broadcastWritable = true;
      rulesState.put("r", "rule");
      withBroadcast.broadcastWritable = false;
      assert.throws(() => rulesState.put("s", "x"), /read-only/);
      withBroadcast.setCurrentKey("k");
      (withBroadcast.getState(VALUE) as ValueState<unknown>).update("v");
      const a = await takeSnapshot(nonKeyed, 1);
      const b = await takeSnapshot(withBroadcast, 1);
      const nonKeyedBack = make({ keyed: false, states: [counter], now: () => 0 });
      await nonKeyedBack.restore(a, () => true);
      assert.equal((nonKeyedBack.getState(counter) as ValueState<number>).value(), 42);
      const back = keyed([VALUE, rules]);
      await back.restore(b, () => true);
      assert.equal((back.getState(rules) as MapState<string, string>).get("r"), "rule");
      back.setCurrentKey("k");
      assert.equal((back.getState(VALUE) as ValueState<unknown>).value(), "v");
    } finally {
      await cleanup();
    }
  });

  test(`${name}: undeclared state in a snapshot and undeclared handles are errors`, async () => {
    try {
      const backend = keyed([VALUE]);
      backend.setCurrentKey("k");
      (backend.getState(VALUE) as ValueState<unknown>).update(1);
      const snapshot = await takeSnapshot(backend, 1);
      await assert.rejects(async () => keyed([LIST]).restore(snapshot, () => true), /does not declare/);
      assert.throws(() => backend.getState(LIST), /was not declared in usesStates\(\)/);
    } finally {
      await cleanup();
    }
  });
}
