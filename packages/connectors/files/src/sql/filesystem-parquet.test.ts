import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Sinks } from "@weir/api";
import { runJob } from "@weir/runtime";
import { type LogicalType, type ResolvedTable, type RowData, RowKind, type SqlValue } from "@weir/sql";
import type { FileDeadLetter } from "../source/file-format.ts";

const PROBE = new URL("./filesystem-probe.job.ts", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "weir-fs-parquet-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const t = (type: LogicalType) => type;
const INT = t({ kind: "INT", nullable: true });
const BIGINT = t({ kind: "BIGINT", nullable: true });
const DOUBLE = t({ kind: "DOUBLE", nullable: true });
const STRING = t({ kind: "VARCHAR", length: 2147483647, nullable: true });
const BOOLEAN = t({ kind: "BOOLEAN", nullable: true });
const DATE = t({ kind: "DATE", nullable: true });
const DECIMAL = t({ kind: "DECIMAL", precision: 20, scale: 3, nullable: true });
const TIMESTAMP = t({ kind: "TIMESTAMP", precision: 3, timeAttribute: null, nullable: true });
const BYTES = t({ kind: "VARBINARY", length: 2147483647, nullable: true });

function table(
  columns: [string, LogicalType][],
  options: Record<string, string>,
  partitionKeys: string[] = [],
): ResolvedTable {
  return {
    kind: "table",
    name: "files",
    columns: columns.map(([name, type]) => ({ kind: "physical", name, type })),
    watermark: null,
    primaryKey: null,
    partitionKeys,
    options: { connector: "filesystem", ...options },
    temporary: false,
  };
}

function big(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `bytes:${[...value].join(",")}`;
  return value;
}

const sorted = (rows: SqlValue[][]) =>
  rows.sort((a, b) => JSON.stringify(a, big).localeCompare(JSON.stringify(b, big)));

async function read(tbl: ResolvedTable, projectedFields: number[] | null = null, parallelism = 1) {
  const result = await runJob(PROBE, { parallelism, params: { table: tbl, projectedFields } });
  return sorted(result.collected(Sinks.collect<RowData>("rows")).map((r) => [...r.fields]));
}

async function write(tbl: ResolvedTable, rows: SqlValue[][], parallelism = 2) {
  await runJob(PROBE, {
    parallelism,
    params: { table: tbl, rows: rows.map((fields) => ({ kind: RowKind.INSERT, fields })) },
  });
}

const COLUMNS: [string, LogicalType][] = [
  ["id", INT],
  ["n", BIGINT],
  ["x", DOUBLE],
  ["amount", DECIMAL],
  ["name", STRING],
  ["ok", BOOLEAN],
  ["day", DATE],
  ["ts", TIMESTAMP],
  ["raw", BYTES],
  ["region", STRING],
];

const ROWS: SqlValue[][] = [
  [1, 10n, 1.5, 12345n, "a", true, 18367, 1_586_908_800_123, new Uint8Array([1, 2]), "eu"],
  [2, -7n, -0.25, -1n, 'b, "quoted"', false, -1, -86_400_000, new Uint8Array([]), "us"],
  [3, null, null, null, null, null, null, null, null, null],
  [4, 9007199254740993n, 1e300, 99999999999999999n, "é", true, 0, 0, new Uint8Array([255]), "eu/west"],
];

test("rows written as partitioned Parquet through SQL read back equal, with success files", async () => {
  const root = join(dir, "out");
  const tbl = table(
    COLUMNS,
    {
      path: root,
      format: "parquet",
      "parquet.compression": "ZSTD",
      "sink.partition-commit.policy.kind": "success-file",
    },
    ["region"],
  );
  await write(tbl, ROWS);
  assert.deepEqual(readdirSync(root).sort(), [
    "region=__DEFAULT_PARTITION__",
    "region=eu",
    "region=eu%2Fwest",
    "region=us",
  ]);
  for (const partition of readdirSync(root)) {
    const files = readdirSync(join(root, partition));
    assert.ok(files.includes("_SUCCESS"), `${partition} has its success file`);
    for (const f of files.filter((name) => name !== "_SUCCESS")) {
      assert.match(f, /^part-\d+-\d+-\d+\.parquet$/);
      assert.equal(
        readFileSync(join(root, partition, f))
          .subarray(-4)
          .toString(),
        "PAR1",
      );
    }
  }
  assert.deepEqual(await read(tbl, null, 2), sorted(ROWS.map((r) => [...r])));
});

test("projection pushdown reads only the used columns; the others are NULL", async () => {
  const root = join(dir, "projected");
  const tbl = table(COLUMNS.slice(0, 5), { path: root, format: "parquet" });
  await write(
    tbl,
    ROWS.map((r) => r.slice(0, 5)),
    1,
  );
  assert.deepEqual(await read(tbl, [0, 4]), sorted(ROWS.map((r) => [r[0]!, null, null, null, r[4]!])));
});

/** Files of each format holding records 1, 2, 4 and two malformed ones; the expected bad lines. */
function malformed(format: "csv" | "json"): { root: string; bad: number[] } {
  const root = join(dir, `bad-${format}`);
  mkdirSync(root, { recursive: true });
  const text =
    format === "csv"
      ? "1,a\n2,b\nthree,c\n4,d\n5,e,f,g\n"
      : '{"id":1,"s":"a"}\n{"id":2,"s":"b"}\n{"id":"three"}\n{"id":4,"s":"d"}\n{oops\n';
  writeFileSync(join(root, `data.${format}`), text);
  return { root, bad: [3, 5] };
}

const GOOD = [
  [1, "a"],
  [2, "b"],
  [4, "d"],
];

function letters(path: string): FileDeadLetter[] {
  return readdirSync(path)
    .filter((f) => !f.startsWith("."))
    .flatMap((f) =>
      readFileSync(join(path, f), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as FileDeadLetter),
    )
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

for (const format of ["csv", "json"] as const) {
  const columns: [string, LogicalType][] = [
    ["id", INT],
    ["s", STRING],
  ];
  test(`${format}: malformed records fail the job by default, naming file and line`, async () => {
    const { root } = malformed(format);
    await assert.rejects(read(table(columns, { path: root, format })), (error: Error) => {
      assert.match(error.message, new RegExp(`data\\.${format}:3: `));
      return true;
    });
  });

  test(`${format}: 'bad-records.policy' = 'drop' and '${format}.ignore-parse-errors' skip them`, async () => {
    const { root } = malformed(format);
    assert.deepEqual(await read(table(columns, { path: root, format, "bad-records.policy": "drop" })), GOOD);
    const lenient = await read(
      table(columns, { path: root, format, [`${format}.ignore-parse-errors`]: "true" }),
    );
    // Flink's option also nulls a field that does not convert and keeps the record.
    assert.deepEqual(
      lenient,
      format === "csv"
        ? [...GOOD, [null, "c"]].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
        : [...GOOD, [null, null]].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  });

  test(`${format}: 'bad-records.policy' = 'dead-letter' writes the raw records with file, line and error`, async () => {
    const { root, bad } = malformed(format);
    const dlq = join(dir, `dlq-${format}`);
    const tbl = table(columns, {
      path: root,
      format,
      "bad-records.policy": "dead-letter",
      "bad-records.dead-letter.path": dlq,
    });
    assert.deepEqual(await read(tbl), GOOD);
    const stored = letters(dlq);
    assert.deepEqual(
      stored.map((l) => [l.path, l.line, l.raw]),
      bad.map((line) => [
        join(root, `data.${format}`),
        line,
        readFileSync(join(root, `data.${format}`), "utf8").split("\n")[line - 1],
      ]),
    );
    assert.ok(stored.every((l) => l.error.length > 0));
  });
}

test("parquet: a corrupt file fails the job naming it, or is dropped, or dead-lettered", async () => {
  const root = join(dir, "bad-parquet");
  const columns: [string, LogicalType][] = [
    ["id", INT],
    ["s", STRING],
  ];
  await write(
    table(columns, { path: root, format: "parquet" }),
    GOOD.map((r) => [...r]),
    1,
  );
  writeFileSync(join(root, "zz-corrupt.parquet"), "PAR1 garbage, not a footer PAR1");
  await assert.rejects(read(table(columns, { path: root, format: "parquet" })), (error: Error) => {
    assert.match(error.message, /zz-corrupt\.parquet: not a Parquet file/);
    return true;
  });
  assert.deepEqual(
    await read(table(columns, { path: root, format: "parquet", "bad-records.policy": "drop" })),
    GOOD,
  );
  const dlq = join(dir, "dlq-parquet");
  assert.deepEqual(
    await read(
      table(columns, {
        path: root,
        format: "parquet",
        "bad-records.policy": "dead-letter",
        "bad-records.dead-letter.path": dlq,
      }),
    ),
    GOOD,
  );
  const stored = letters(dlq);
  assert.deepEqual(
    stored.map((l) => [l.path, l.line, l.raw]),
    [[join(root, "zz-corrupt.parquet"), null, null]],
  );
  assert.match(stored[0]!.error, /not a Parquet file/);
});

test("contradictory bad-record options are refused at planning", async () => {
  const columns: [string, LogicalType][] = [["id", INT]];
  const root = malformed("json").root;
  await assert.rejects(
    read(table(columns, { path: root, format: "json", "bad-records.policy": "dead-letter" })),
    /'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.path'/,
  );
  await assert.rejects(
    read(table(columns, { path: root, format: "json", "bad-records.dead-letter.path": "/tmp/x" })),
    /'bad-records.dead-letter.path' needs 'bad-records.policy' = 'dead-letter'/,
  );
  await assert.rejects(
    read(
      table(columns, {
        path: root,
        format: "json",
        "json.ignore-parse-errors": "true",
        "bad-records.policy": "fail",
      }),
    ),
    /'json.ignore-parse-errors' = 'true' means the drop policy/,
  );
  assert.equal(existsSync("/tmp/x"), false);
});
