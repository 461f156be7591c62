/**
 * The lookup join operator and the partial lookup cache, over an in-memory table that implements
 * the TableLookup contract and records its calls. Expected outputs are worked out by hand.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TableLookup } from "../../connectors/table-connector.ts";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import { lookupCacheOptions, PartialLookupCache } from "./lookup-cache.ts";
import { LookupJoinFunction } from "./lookup-join-function.ts";
import { lookupMapKey } from "./lookup-key.ts";

/** rates(cur STRING, rate INT) looked up by cur. */
class MemoryTable implements TableLookup {
  readonly calls: SqlValue[][] = [];
  rows: Row[];
  constructor(rows: Row[]) {
    this.rows = rows;
  }
  lookup(keys: readonly SqlValue[]): Promise<readonly Row[]> {
    this.calls.push([...keys]);
    return Promise.resolve(this.rows.filter((r) => r[0] === keys[0]));
  }
}

const RATES: Row[] = [
  ["EUR", 114],
  ["USD", 102],
  ["EUR", 115],
];

async function all(fn: LookupJoinFunction, rows: RowData[]): Promise<RowData[]> {
  const out: RowData[] = [];
  for (const row of rows) out.push(...(await fn.processRecordAsync(row)));
  return out;
}

const ins = (...fields: SqlValue[]): RowData => ({ kind: RowKind.INSERT, fields });

describe("LookupJoinFunction", () => {
  it("INNER: joins each match, skips NULL keys without a lookup, keeps the row kind", async () => {
    const table = new MemoryTable(RATES);
    const fn = new LookupJoinFunction({
      lookup: table,
      leftKeys: (row) => [row[1]!],
      joinType: "INNER",
      rightArity: 2,
      tableCondition: null,
      tableProjection: null,
      remaining: null,
    });
    const out = await all(fn, [
      ins(1, "EUR"),
      ins(2, null),
      ins(3, "JPY"),
      { kind: RowKind.DELETE, fields: [4, "USD"] },
    ]);
    assert.deepEqual(out, [
      ins(1, "EUR", "EUR", 114),
      ins(1, "EUR", "EUR", 115),
      { kind: RowKind.DELETE, fields: [4, "USD", "USD", 102] },
    ]);
    assert.deepEqual(table.calls, [["EUR"], ["JPY"], ["USD"]]);
  });

  it("LEFT: pads with NULLs when nothing matches after the table filter and remaining condition", async () => {
    const fn = new LookupJoinFunction({
      lookup: new MemoryTable(RATES),
      leftKeys: (row) => [row[1]!],
      joinType: "LEFT",
      rightArity: 1,
      // Only rates above 100, projected to the rate; the joined rate must exceed the left amount.
      tableCondition: (row) => (row[1] as number) > 100,
      tableProjection: (row) => [row[1]!],
      remaining: (left, right) => (right[0] as number) > (left[2] as number),
    });
    const out = await all(fn, [ins(1, "EUR", 114), ins(2, "USD", 200), ins(3, null, 0)]);
    assert.deepEqual(out, [ins(1, "EUR", 114, 115), ins(2, "USD", 200, null), ins(3, null, 0, null)]);
  });
});

describe("PartialLookupCache", () => {
  const types = [LogicalTypes.string()];
  const options = {
    maxRows: 2,
    expireAfterWriteMs: 1000,
    expireAfterAccessMs: Infinity,
    cacheMissingKey: true,
  };

  it("serves repeated keys from the cache until they expire, evicting the least recently used", async () => {
    const table = new MemoryTable(RATES);
    let now = 0;
    const cache = new PartialLookupCache(table, types, options, () => now);
    assert.deepEqual(await cache.lookup(["EUR"]), [RATES[0], RATES[2]]);
    assert.deepEqual(await cache.lookup(["EUR"]), [RATES[0], RATES[2]]);
    await cache.lookup(["JPY"]); // a missing key is cached too
    await cache.lookup(["EUR"]); // EUR becomes most recent; JPY is the eviction candidate
    await cache.lookup(["USD"]); // evicts JPY
    assert.equal(cache.size, 2);
    await cache.lookup(["JPY"]); // a miss again, which evicts EUR: the cache holds USD, JPY
    assert.deepEqual(table.calls, [["EUR"], ["JPY"], ["USD"], ["JPY"]]);
    table.rows = [["USD", 99]];
    now = 999;
    assert.deepEqual(await cache.lookup(["USD"]), [RATES[1]]);
    now = 1000; // written at 0: expired after 1000 ms even though just read
    assert.deepEqual(await cache.lookup(["USD"]), [["USD", 99]]);
    assert.equal(table.calls.length, 5);
  });

  it("shares one lookup between concurrent misses of a key", async () => {
    const table = new MemoryTable(RATES);
    const cache = new PartialLookupCache(table, types, options);
    const [a, b] = await Promise.all([cache.lookup(["USD"]), cache.lookup(["USD"])]);
    assert.deepEqual(a, [RATES[1]]);
    assert.deepEqual(b, [RATES[1]]);
    assert.equal(table.calls.length, 1);
  });

  it("reads Flink's options and names the bad one", () => {
    assert.equal(lookupCacheOptions({ name: "t", options: {} }), null);
    assert.deepEqual(
      lookupCacheOptions({
        name: "t",
        options: {
          "lookup.cache": "PARTIAL",
          "lookup.partial-cache.max-rows": "10",
          "lookup.partial-cache.expire-after-write": "10 s",
          "lookup.partial-cache.cache-missing-key": "false",
        },
      }),
      { maxRows: 10, expireAfterWriteMs: 10_000, expireAfterAccessMs: Infinity, cacheMissingKey: false },
    );
    assert.throws(
      () => lookupCacheOptions({ name: "t", options: { "lookup.cache": "PARTIAL" } }),
      /Table 't': 'lookup.partial-cache.max-rows' is required/,
    );
    assert.throws(
      () => lookupCacheOptions({ name: "t", options: { "lookup.cache": "FULL" } }),
      /'lookup.cache' of table 't': 'FULL'/,
    );
  });
});

describe("lookupMapKey", () => {
  it("equal SQL values give equal keys; composite keys are canonical text", () => {
    assert.equal(lookupMapKey(["EUR"], [LogicalTypes.string()]), "EUR");
    assert.equal(lookupMapKey([-0], [LogicalTypes.double()]), 0);
    const types = [LogicalTypes.bigint(), LogicalTypes.string()];
    assert.equal(lookupMapKey([7n, "a"], types), lookupMapKey([7n, "a"], types));
    assert.notEqual(lookupMapKey([7n, "a"], types), lookupMapKey([7n, "b"], types));
    assert.notEqual(
      lookupMapKey([1n, "2"], [LogicalTypes.bigint(), LogicalTypes.string()]),
      lookupMapKey(["1", 2n], [LogicalTypes.string(), LogicalTypes.bigint()]),
    );
  });
});
