import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks } from "@weir/api";
import { runJob } from "@weir/runtime";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import type { RowData } from "../data/row.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { physicalTypeOf } from "./connector-probe.job.ts";
import { datagenConnector } from "./datagen-connector.ts";
import { randomGenerator } from "./datagen-fields.ts";
import { RowRandom } from "./row-random.ts";

const PROBE = new URL("./connector-probe.job.ts", import.meta.url);

function table(columns: [string, LogicalType][], options: Record<string, string>): ResolvedTable {
  return {
    kind: "table",
    name: "gen",
    columns: columns.map(([name, type]) => ({ kind: "physical", name, type })),
    watermark: null,
    primaryKey: null,
    partitionKeys: [],
    options: { connector: "datagen", ...options },
    temporary: false,
  };
}

async function read(t: ResolvedTable, parallelism: number): Promise<RowData[]> {
  const result = await runJob(PROBE, { parallelism, params: { table: t } });
  return result.collected(Sinks.collect<RowData>("rows"));
}

function validate(t: ResolvedTable) {
  return datagenConnector.createSource!({
    table: t,
    physicalType: physicalTypeOf(t),
    metadata: [],
    projectedFields: null,
    env: undefined as never, // only createStream touches the environment
    config: new Map(),
  });
}

const SEEDED = table(
  [
    ["id", T.bigint(false)],
    ["v", T.int()],
    ["s", T.string()],
    ["d", T.decimal(5, 2)],
  ],
  {
    seed: "42",
    "rows-per-second": "1000000",
    "fields.id.kind": "sequence",
    "fields.id.start": "1",
    "fields.id.end": "40",
    "fields.v.min": "0",
    "fields.v.max": "9",
    "fields.v.null-rate": "0.2",
    "fields.s.length": "4",
    "fields.d.min": "-1.5",
    "fields.d.max": "1.5",
  },
);

test("a seeded datagen table is the same at every parallelism and respects its options", async () => {
  const byId = (rows: RowData[]) =>
    rows.map((r) => r.fields).sort((a, b) => Number((a[0] as bigint) - (b[0] as bigint)));
  const one = byId(await read(SEEDED, 1));
  const two = byId(await read(SEEDED, 2));
  assert.equal(one.length, 40);
  assert.deepEqual(two, one);
  assert.deepEqual(
    one.map((r) => r[0]),
    Array.from({ length: 40 }, (_, i) => BigInt(i + 1)),
  );
  for (const [, v, s, d] of one) {
    assert.ok(v === null || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 9), `v=${v}`);
    assert.match(s as string, /^[0-9a-f]{4}$/);
    assert.ok((d as bigint) >= -150n && (d as bigint) <= 150n, `d=${d}`);
  }
  const nulls = one.filter((r) => r[1] === null).length;
  assert.ok(nulls > 0 && nulls < 20, `null-rate 0.2 gave ${nulls} NULLs of 40`);
  assert.ok(new Set(one.map((r) => r[1])).size > 3, "random values vary");
});

test("number-of-rows bounds a random table; the shortest bound wins", async () => {
  const rows = await read(
    table([["b", T.boolean()]], { "number-of-rows": "7", "rows-per-second": "100000" }),
    2,
  );
  assert.equal(rows.length, 7);
  assert.ok(rows.every((r) => typeof r.fields[0] === "boolean"));
  const source = validate(
    table([["id", T.int()]], {
      "number-of-rows": "100",
      "fields.id.kind": "sequence",
      "fields.id.start": "5",
      "fields.id.end": "9",
    }),
  );
  assert.equal(source.bounded, true);
  assert.equal(validate(table([["id", T.int()]], {})).bounded, false);
});

test("bad options fail with the option's name and the supported options", () => {
  assert.throws(
    () => validate(table([["id", T.int()]], { "row-per-second": "5" })),
    /Unsupported options found for 'datagen' in table 'gen': 'row-per-second'\.\nSupported options: .*rows-per-second/,
  );
  assert.throws(
    () => validate(table([["id", T.int()]], { "fields.nope.kind": "random" })),
    /Unsupported options found for 'datagen' in table 'gen': 'fields.nope.kind'/,
  );
  assert.throws(
    () => validate(table([["id", T.int()]], { "fields.id.kind": "sequential" })),
    /'fields.id.kind' of table 'gen': 'sequential' \(expected random or sequence\)/,
  );
  assert.throws(
    () => validate(table([["id", T.int()]], { "fields.id.kind": "sequence", "fields.id.start": "1" })),
    /'fields.id.start' and 'fields.id.end' are required/,
  );
  assert.throws(
    () => validate(table([["id", T.int()]], { "fields.id.min": "9", "fields.id.max": "1" })),
    /min \(9\) is greater than max \(1\)/,
  );
  assert.throws(
    () => validate(table([["id", T.int()]], { "number-of-rows": "-1" })),
    /'number-of-rows' of table 'gen': '-1' \(expected an integer of at least 0\)/,
  );
  assert.throws(
    () => validate(table([["id", T.int()]], { "fields.id.null-rate": "2" })),
    /'fields.id.null-rate' of table 'gen': '2' \(expected a number from 0 to 1\)/,
  );
});

test("temporal random values stay within 'max-past' of now", () => {
  const random = new RowRandom(1);
  const options = (values: Record<string, string>) => ({
    table: "gen",
    field: "ts",
    get: (o: string) => values[o],
  });
  const generate = randomGenerator(T.timestamp(0), options({ "max-past": "1 min" }));
  const before = Date.now();
  for (let i = 0; i < 50; i++) {
    random.reset(i);
    const ts = generate(i, random) as number;
    assert.ok(ts <= Date.now() && ts >= before - 61_000, `ts=${ts}`);
    assert.equal(ts % 1000, 0, "TIMESTAMP(0) keeps whole seconds");
  }
  assert.throws(
    () => randomGenerator(T.date(), options({ "max-past": "soon" })),
    /'fields.ts.max-past' of table 'gen': 'soon'/,
  );
});
