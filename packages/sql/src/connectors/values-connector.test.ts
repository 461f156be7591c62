import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks } from "@weir/api";
import { runJob } from "@weir/runtime";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { type RowData, RowKind } from "../data/row.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { physicalTypeOf } from "./connector-probe.job.ts";
import { getLoadedTableConnector } from "./connector-registry.ts";
import { ConnectorOptionError } from "./table-connector.ts";
import { valuesConnector } from "./values-connector.ts";

const PROBE = new URL("./connector-probe.job.ts", import.meta.url);

function table(
  columns: [string, LogicalType][],
  options: Record<string, string>,
  primaryKey: string[] | null = null,
): ResolvedTable {
  return {
    kind: "table",
    name: "t",
    columns: columns.map(([name, type]) => ({ kind: "physical", name, type })),
    watermark: null,
    primaryKey,
    partitionKeys: [],
    options: { connector: "values", ...options },
    temporary: false,
  };
}

function source(t: ResolvedTable) {
  return valuesConnector.createSource!({
    table: t,
    physicalType: physicalTypeOf(t),
    metadata: [],
    projectedFields: null,
    env: undefined as never, // only createStream touches the environment
    config: new Map([["table.local-time-zone", "UTC"]]),
  });
}

const COLUMNS: [string, LogicalType][] = [
  ["id", T.bigint(false)],
  ["amount", T.decimal(10, 2)],
  ["at", T.timestamp(3)],
  ["who", T.string()],
];

test("'values' is a built-in connector", () => {
  assert.equal(getLoadedTableConnector("values"), valuesConnector);
});

test("rows are read by the column types through the real runtime", async () => {
  const t = table(COLUMNS, {
    data: [
      '[1, 12.5, "2020-04-15 08:05:00.123", "alice"]',
      "",
      '  +I ["9007199254740993", "0.25", null, null]  ',
      '[3, -1, "2020-04-15T08:05:00", "carol"]',
    ].join("\n"),
  });
  const result = await runJob(PROBE, {
    parallelism: 2,
    params: { table: t, config: { "table.local-time-zone": "UTC" } },
  });
  // Two sink subtasks interleave what they collect: compare by id.
  const rows = result.collected(Sinks.collect<RowData>("rows"));
  rows.sort((a, b) => Number((a.fields[0] as bigint) - (b.fields[0] as bigint)));
  assert.deepEqual(rows, [
    { kind: RowKind.INSERT, fields: [1n, 1250n, Date.UTC(2020, 3, 15, 8, 5, 0, 123), "alice"] },
    { kind: RowKind.INSERT, fields: [3n, -100n, Date.UTC(2020, 3, 15, 8, 5, 0), "carol"] },
    { kind: RowKind.INSERT, fields: [9007199254740993n, 25n, null, null] },
  ]);
  const s = source(t);
  assert.deepEqual(s.changelogMode, { kind: "insert-only" });
  assert.equal(s.bounded, true);
});

test("a retract changelog keeps its row kinds and order", async () => {
  const t = table(
    [
      ["k", T.string()],
      ["v", T.int()],
    ],
    {
      "changelog-mode": "I,UB,UA,D",
      data: '+I ["a", 1]\n+I ["b", 2]\n-U ["a", 1]\n+U ["a", 3]\n-D ["b", 2]',
    },
  );
  const result = await runJob(PROBE, { parallelism: 1, params: { table: t } });
  assert.deepEqual(result.collected(Sinks.collect<RowData>("rows")), [
    { kind: RowKind.INSERT, fields: ["a", 1] },
    { kind: RowKind.INSERT, fields: ["b", 2] },
    { kind: RowKind.UPDATE_BEFORE, fields: ["a", 1] },
    { kind: RowKind.UPDATE_AFTER, fields: ["a", 3] },
    { kind: RowKind.DELETE, fields: ["b", 2] },
  ]);
  assert.deepEqual(source(t).changelogMode, { kind: "retract" });
});

test("changelog-mode and bounded are read as Flink spells them", () => {
  const cols: [string, LogicalType][] = [
    ["v", T.int()],
    ["k", T.string(false)],
  ];
  assert.deepEqual(source(table(cols, { "changelog-mode": " d, ua ,i" }, ["k"])).changelogMode, {
    kind: "upsert",
    upsertKey: [1],
  });
  assert.deepEqual(source(table(cols, { "changelog-mode": "i" })).changelogMode, { kind: "insert-only" });
  assert.equal(source(table(cols, { bounded: "false" })).bounded, false);
  assert.throws(
    () => source(table(cols, { "changelog-mode": "I,UA,D" })),
    (e: Error) => e instanceof ConnectorOptionError && /needs a PRIMARY KEY/.test(e.message),
  );
  assert.throws(
    () => source(table(cols, { "changelog-mode": "I,D" })),
    /Invalid value for option 'changelog-mode' of table 't': 'I,D' \(expected I, I,UB,UA,D or I,UA,D\)/,
  );
  assert.throws(() => source(table(cols, { bounded: "yes" })), /option 'bounded' of table 't': 'yes'/);
  assert.throws(
    () => source(table(cols, { "data-id": "x" })),
    /Unsupported options found for 'values'.*'data-id'/,
  );
});

test("a row kind the mode does not allow is an error naming the line", () => {
  const cols: [string, LogicalType][] = [["k", T.string(false)]];
  assert.throws(
    () => source(table(cols, { data: '["a"]\n\n-D ["a"]' })),
    (e: Error) =>
      e instanceof ConnectorOptionError &&
      e.message ===
        "Table 't', option 'data', line 3: a -D row, but 'changelog-mode' = 'I' does not allow it",
  );
  assert.throws(
    () => source(table(cols, { "changelog-mode": "I,UA,D", data: '+I ["a"]\n-U ["a"]' }, ["k"])),
    /line 2: a -U row, but 'changelog-mode' = 'I,UA,D' does not allow it/,
  );
});

test("bad data names the line and column", () => {
  const cases: [string, RegExp][] = [
    ['[1, "x", null, null]', /line 1, column 'amount': /],
    ['[1, 1, "not a time", null]', /line 1, column 'at': /],
    ["[null, 1, null, null]", /line 1, column 'id': NULL for a NOT NULL column/],
    ['\n[1, 1, null, "a"]\n[2, 1, null]', /line 3: 3 values for 4 columns \(id, amount, at, who\)/],
    ["[1, 1, null, 'a']", /line 1: not valid JSON/],
    ['{"id": 1}', /line 1: expected a JSON array, optionally after a row kind/],
    ['+X [1, 1, null, "a"]', /line 1: expected a JSON array, optionally after a row kind/],
    ['1, 1, null, "a"', /line 1: expected a JSON array/],
  ];
  for (const [data, message] of cases)
    assert.throws(
      () => source(table(COLUMNS, { data })),
      (e: Error) => e instanceof ConnectorOptionError && message.test(e.message),
      data,
    );
});

test("no data is an empty table", async () => {
  const result = await runJob(PROBE, { parallelism: 1, params: { table: table(COLUMNS, {}) } });
  assert.deepEqual(result.collected(Sinks.collect<RowData>("rows")), []);
});
