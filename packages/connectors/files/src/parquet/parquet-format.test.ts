import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Sink } from "@weir/api";
import type { LogicalRowType, SqlValue } from "@weir/sql";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { type FileCommittable, FileSink } from "../file-sink.ts";
import type { FileSplit } from "../source/file-split.ts";
import { ParquetFormat } from "./parquet-format.ts";
import { decimalBytes } from "./parquet-schema.ts";

const dir = mkdtempSync(join(tmpdir(), "weir-parquet-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 };

async function write<T>(sink: Sink<T, FileCommittable>, batches: T[][]): Promise<FileCommittable[]> {
  const writer = sink.createWriter(ctx);
  const committables: FileCommittable[] = [];
  for (const batch of batches) {
    await writer.write(batch);
    await writer.flush(false);
    committables.push(...((await writer.prepareCommit?.()) ?? []));
  }
  await writer.close();
  await sink.createCommitter?.().commit(committables);
  return committables;
}

function splitOf(path: string): FileSplit {
  return {
    splitId: path,
    path,
    partition: [],
    size: 0,
    modified: 0,
    start: 0,
    end: Number.POSITIVE_INFINITY,
    position: 0,
    line: null,
  };
}

async function readAll(path: string, schema: Record<string, string>, from = 0) {
  const decoder = ParquetFormat.reader(schema).createDecoder();
  const rows: Record<string, SqlValue>[] = [];
  for (let row = from; ; ) {
    const batch = await decoder.read(splitOf(path), row);
    rows.push(...batch.records);
    if (batch.done) return rows;
    row = batch.nextRow;
  }
}

const SCHEMA = {
  id: "BIGINT NOT NULL",
  small: "SMALLINT",
  n: "INT",
  ok: "BOOLEAN",
  name: "STRING",
  price: "DECIMAL(10, 2)",
  big: "DECIMAL(38, 4)",
  ratio: "DOUBLE",
  f: "FLOAT",
  day: "DATE",
  t: "TIME(3)",
  ts: "TIMESTAMP(3)",
  ltz: "TIMESTAMP_LTZ(3)",
  bytes: "BYTES",
};

const ROWS: Record<string, SqlValue>[] = [
  {
    id: 1n,
    small: -3,
    n: 2147483647,
    ok: true,
    name: 'héllo, "world"',
    price: -12345n,
    big: 12345678901234567890123456789012345678n,
    ratio: 0.1,
    f: Math.fround(1.5),
    day: 18367,
    t: 45_296_789,
    ts: 1_600_000_000_123,
    ltz: -1_000,
    bytes: new Uint8Array([0, 255, 7]),
  },
  {
    id: -9007199254740993n,
    small: null,
    n: null,
    ok: null,
    name: null,
    price: null,
    big: -1n,
    ratio: null,
    f: null,
    day: null,
    t: null,
    ts: null,
    ltz: null,
    bytes: null,
  },
];

test("every supported type round-trips exactly through a Parquet part file, NULLs included", async () => {
  const out = join(dir, "types");
  const committed = await write(FileSink.forBulk(out, { format: ParquetFormat.writer(SCHEMA) }), [ROWS]);
  assert.equal(committed.length, 1);
  assert.deepEqual(readdirSync(out), ["part-0-0-0.parquet"]);
  const path = join(out, "part-0-0-0.parquet");
  assert.equal(readFileSync(path).subarray(0, 4).toString(), "PAR1");
  assert.deepEqual(await readAll(path, SCHEMA), ROWS);
});

test("the file carries Flink's type annotations: DECIMAL as fixed bytes, INT64 timestamps with a unit", async () => {
  const out = join(dir, "schema");
  await write(FileSink.forBulk(out, { format: ParquetFormat.writer(SCHEMA, { timestampUnit: "MILLIS" }) }), [
    ROWS,
  ]);
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(join(out, "part-0-0-0.parquet")));
  const byName = new Map(metadata.schema.map((e) => [e.name, e]));
  assert.equal(byName.get("id")?.repetition_type, "REQUIRED");
  assert.equal(byName.get("small")?.converted_type, "INT_16");
  assert.deepEqual(
    [byName.get("price")?.type, byName.get("price")?.type_length, byName.get("price")?.scale],
    ["FIXED_LEN_BYTE_ARRAY", 5, 2],
  );
  assert.deepEqual(byName.get("ts")?.logical_type, {
    type: "TIMESTAMP",
    isAdjustedToUTC: false,
    unit: "MILLIS",
  });
  assert.deepEqual(byName.get("ltz")?.logical_type, {
    type: "TIMESTAMP",
    isAdjustedToUTC: true,
    unit: "MILLIS",
  });
  assert.equal(byName.get("name")?.converted_type, "UTF8");
  assert.deepEqual([decimalBytes(9), decimalBytes(10), decimalBytes(18), decimalBytes(38)], [4, 5, 8, 16]);
});

test("every checkpoint finishes a complete file; row groups split large parts; a restore resumes mid-file", async () => {
  const out = join(dir, "groups");
  const many = Array.from({ length: 25 }, (_, i) => ({ id: BigInt(i), name: `r${i}` }));
  const schema = { id: "BIGINT", name: "STRING" };
  const format = ParquetFormat.writer(schema, { rowGroupRows: 10, codec: "GZIP" });
  const committed = await write(FileSink.forBulk(out, { format }), [many.slice(0, 20), many.slice(20)]);
  assert.deepEqual(
    committed.map((c) => [c.finalPath, c.records]),
    [
      ["part-0-0-0.parquet", 20],
      ["part-0-0-1.parquet", 5],
    ],
  );
  const first = join(out, "part-0-0-0.parquet");
  assert.equal(committed[0]?.bytes, statSync(first).size);
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(first));
  assert.deepEqual(
    metadata.row_groups.map((g) => g.num_rows),
    [10n, 10n],
  );
  assert.deepEqual(await readAll(first, schema), many.slice(0, 20));
  // A split restored at row 13 reads rows 13.. (the rest of the second row group).
  assert.deepEqual(await readAll(first, schema, 13), many.slice(13, 20));
});

test("columns are matched by name: a missing column reads as NULL, a projection reads fewer", async () => {
  const out = join(dir, "evolve");
  await write(FileSink.forBulk(out, { format: ParquetFormat.writer({ a: "INT", b: "STRING" }) }), [
    [{ a: 1, b: "x" }],
  ]);
  const path = join(out, "part-0-0-0.parquet");
  assert.deepEqual(await readAll(path, { b: "STRING", c: "DOUBLE", a: "BIGINT" }), [
    { b: "x", c: null, a: 1n },
  ]);
  await assert.rejects(
    readAll(path, { b: "INT" }),
    /column 'b' of SQL type INT cannot be read from Parquet type BYTE_ARRAY \(UTF8\)/,
  );
});

test("a file that is not Parquet is reported as such", async () => {
  const path = join(dir, "not.parquet");
  writeFileSync(path, "id,name\n1,a\n");
  await assert.rejects(readAll(path, { id: "INT" }), /not a Parquet file/);
  const truncated = join(dir, "truncated.parquet");
  await write(FileSink.forBulk(join(dir, "t"), { format: ParquetFormat.writer({ id: "INT" }) }), [
    [{ id: 1 }],
  ]);
  const bytes = readFileSync(join(dir, "t", "part-0-0-0.parquet"));
  writeFileSync(truncated, bytes.subarray(0, bytes.length - 9));
  await assert.rejects(readAll(truncated, { id: "INT" }), /not a Parquet file/);
});

test("unsupported types and bad options are refused when the format is built", () => {
  const multiset: LogicalRowType = {
    kind: "ROW",
    nullable: false,
    fields: [
      { name: "tags", type: { kind: "MULTISET", element: { kind: "INT", nullable: true }, nullable: true } },
    ],
  };
  assert.throws(
    () => ParquetFormat.writer(multiset),
    /column 'tags' has type MULTISET, which the Parquet format does not support yet/,
  );
  assert.throws(() => ParquetFormat.reader(multiset), /column 'tags' has type MULTISET/);
  assert.throws(
    () => ParquetFormat.reader({ m: "MAP<DOUBLE, INT>" }),
    /column 'm' has MAP keys of type DOUBLE; Parquet MAP keys must be/,
  );
  assert.throws(
    () => ParquetFormat.writer({ m: "ARRAY<MAP<TIMESTAMP(3), INT>>" }),
    /column 'element' has MAP keys of type TIMESTAMP/,
  );
  assert.throws(() => ParquetFormat.writer({ a: "NOPE(" }), /column 'a': invalid type 'NOPE\('/);
  assert.throws(
    () => ParquetFormat.writer({ a: "INT" }, { codec: "LZO" as "GZIP" }),
    /unsupported Parquet codec 'LZO'/,
  );
  assert.throws(
    () => ParquetFormat.writer({ a: "INT" }, { rowGroupRows: 0 }),
    /rowGroupRows must be a positive integer/,
  );
});

test("schema type names follow SQL spelling and Flink's defaults", async () => {
  const { parseTypeName } = await import("./parquet-type-names.ts");
  assert.deepEqual(parseTypeName("bigint not null"), { kind: "BIGINT", nullable: false });
  assert.deepEqual(parseTypeName("DECIMAL"), { kind: "DECIMAL", precision: 10, scale: 0, nullable: true });
  assert.deepEqual(parseTypeName("TIMESTAMP WITH LOCAL TIME ZONE(3)"), {
    kind: "TIMESTAMP_LTZ",
    precision: 3,
    timeAttribute: null,
    nullable: true,
  });
  assert.deepEqual(parseTypeName("STRING"), { kind: "VARCHAR", length: 2147483647, nullable: true });
  assert.throws(() => parseTypeName("DECIMAL(40, 2)"), /precision must be 1..38/);
  assert.deepEqual(parseTypeName("ROW<a INT NOT NULL, b ARRAY<STRING>> NOT NULL"), {
    kind: "ROW",
    nullable: false,
    fields: [
      { name: "a", type: { kind: "INT", nullable: false } },
      {
        name: "b",
        type: {
          kind: "ARRAY",
          nullable: true,
          element: { kind: "VARCHAR", length: 2147483647, nullable: true },
        },
      },
    ],
  });
  assert.throws(() => parseTypeName("MAP<STRING INT>"), /expected ',' at position 12/);
  assert.throws(() => parseTypeName("INT(3)"), /INT takes no parameters/);
  assert.throws(() => ParquetFormat.writer({ a: "WIDGET" }), /column 'a' has type WIDGET/);
});

test("ARRAY, MAP and ROW columns round-trip, nested, with NULLs at every level", async () => {
  const out = join(dir, "nested");
  const schema = {
    id: "INT",
    tags: "ARRAY<STRING>",
    amounts: "ARRAY<DECIMAL(10, 2)>",
    attrs: "MAP<STRING, BIGINT>",
    counts: "MAP<INT, ARRAY<TIMESTAMP(3)>>",
    who: "ROW<name STRING, born DATE, address ROW<city STRING, zip INT>>",
  };
  const rows: Record<string, SqlValue>[] = [
    {
      id: 1,
      tags: ["a", null, "c"],
      amounts: [-1n, 12345n],
      attrs: new Map<SqlValue, SqlValue>([
        ["x", 1n],
        ["y", null],
      ]),
      counts: new Map<SqlValue, SqlValue>([
        [7, [1_600_000_000_123, null]],
        [8, []],
      ]),
      who: ["ann", 18367, ["Oslo", 150]],
    },
    { id: 2, tags: [], amounts: null, attrs: new Map(), counts: null, who: [null, null, null] },
    { id: 3, tags: null, amounts: [null], attrs: null, counts: new Map([[9, null]]), who: null },
  ];
  await write(FileSink.forBulk(out, { format: ParquetFormat.writer(schema) }), [rows]);
  assert.deepEqual(await readAll(join(out, "part-0-0-0.parquet"), schema), rows);
});

test("bulk parts also roll by record count and, at row-group boundaries, by size", async () => {
  const schema = { id: "BIGINT", name: "STRING" };
  const rows = Array.from({ length: 40 }, (_, i) => ({ id: BigInt(i), name: `row number ${i}` }));
  const byCount = await write(
    FileSink.forBulk(join(dir, "roll-count"), {
      format: ParquetFormat.writer(schema),
      rollingPolicy: { maxRecordsPerPart: 15 },
    }),
    [rows],
  );
  assert.deepEqual(
    byCount.map((c) => c.records),
    [15, 15, 10],
  );
  const bySize = await write(
    FileSink.forBulk(join(dir, "roll-size"), {
      format: ParquetFormat.writer(schema, { rowGroupRows: 10 }),
      rollingPolicy: { maxPartBytes: 1 },
    }),
    [rows],
  );
  // Nothing is written before the first row group completes; then every part exceeds 1 byte.
  assert.deepEqual(
    bySize.map((c) => c.records),
    [10, 10, 10, 10],
  );
  const back = [];
  for (const c of bySize) back.push(...(await readAll(join(dir, "roll-size", c.finalPath), schema)));
  assert.deepEqual(back, rows);
});
