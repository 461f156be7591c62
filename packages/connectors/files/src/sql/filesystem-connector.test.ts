import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputStatus, type ReaderOutput, Sinks, type SourceReaderContext } from "@weir/api";
import { runJob } from "@weir/runtime";
import { type LogicalType, type ResolvedTable, type RowData, RowKind, type SqlValue } from "@weir/sql";
import fc from "fast-check";
import { FileSource } from "../source/file-source.ts";
import { type FileSplit, fileSplits, MIN_SPLIT_BYTES } from "../source/file-split.ts";
import { filesystemConnector } from "./filesystem-connector.ts";
import { tableConnectors } from "./index.ts";
import { escapePartitionValue, partitionValuesOf, unescapePartitionValue } from "./partition-path.ts";

const PROBE = new URL("./filesystem-probe.job.ts", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "weir-fs-sql-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const INT: LogicalType = { kind: "INT", nullable: true };
const STRING: LogicalType = { kind: "VARCHAR", length: 2147483647, nullable: true };
const DATE: LogicalType = { kind: "DATE", nullable: true };
const DECIMAL: LogicalType = { kind: "DECIMAL", precision: 10, scale: 2, nullable: true };

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

async function read(t: ResolvedTable, parallelism = 1, metadata: { key: string; type: LogicalType }[] = []) {
  const result = await runJob(PROBE, { parallelism, params: { table: t, metadata } });
  return result
    .collected(Sinks.collect<RowData>("rows"))
    .map((r) => r.fields)
    .sort((a, b) => JSON.stringify(a, big).localeCompare(JSON.stringify(b, big)));
}

function big(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}

test("the registry's package exports the filesystem connector", () => {
  assert.deepEqual(
    tableConnectors.map((f) => f.identifier),
    ["filesystem"],
  );
});

test("reads every visible CSV file of a directory tree, with partitions and metadata, in parallel", async () => {
  const root = join(dir, "csv-tree");
  mkdirSync(join(root, "dt=2020-04-15"), { recursive: true });
  mkdirSync(join(root, "dt=__DEFAULT_PARTITION__"), { recursive: true });
  writeFileSync(join(root, "dt=2020-04-15", "a.csv"), '1,"x, y",1.5\r\n2,,\r\n');
  writeFileSync(join(root, "dt=2020-04-15", "b.csv"), '3,"multi\nline",0.25');
  writeFileSync(join(root, "dt=__DEFAULT_PARTITION__", "c.csv"), "4,z,-1\n\n");
  writeFileSync(join(root, "dt=2020-04-15", ".hidden.csv"), "not,a,record,at all\n");
  writeFileSync(join(root, "_SUCCESS"), "");
  const t = table(
    [
      ["id", INT],
      ["name", STRING],
      ["price", DECIMAL],
      ["dt", DATE],
    ],
    { path: root, format: "csv" },
    ["dt"],
  );
  const rows = await read(t, 2, [{ key: "file.name", type: STRING }]);
  assert.deepEqual(rows, [
    [1, "x, y", 150n, 18367, "a.csv"],
    [2, "", null, 18367, "a.csv"],
    [3, "multi\nline", 25n, 18367, "b.csv"],
    [4, "z", -100n, null, "c.csv"],
  ]);
});

test("a bad record fails the job with file:line and the field", async () => {
  const path = join(dir, "bad.jsonl");
  writeFileSync(path, '{"id": 1}\n{"id": "one"}\n');
  const t = table([["id", INT]], { path, format: "json" });
  await assert.rejects(read(t), (error: Error) => {
    assert.match(error.message, new RegExp(`${path.replaceAll(".", "\\.")}:2: field 'id'`));
    return true;
  });
  const lenient = table([["id", INT]], { path, format: "json", "json.ignore-parse-errors": "true" });
  assert.deepEqual(await read(lenient), [[1], [null]]);
});

test("writes a partitioned table as JSON lines and reads the same rows back", async () => {
  const root = join(dir, "out");
  const t = table(
    [
      ["id", INT],
      ["name", STRING],
      ["region", STRING],
    ],
    { path: root, format: "json" },
    ["region"],
  );
  const rows: SqlValue[][] = [
    [1, "a", "eu/west"],
    [2, "b", "us"],
    [3, null, null],
    [4, "d", "us"],
  ];
  await runJob(PROBE, {
    parallelism: 2,
    params: { table: t, rows: rows.map((fields) => ({ kind: RowKind.INSERT, fields })) },
  });
  assert.deepEqual(readdirSync(root).sort(), [
    "region=__DEFAULT_PARTITION__",
    "region=eu%2Fwest",
    "region=us",
  ]);
  const usFiles = readdirSync(join(root, "region=us"));
  assert.ok(
    usFiles.every((f) => /^part-\d+-\d+-\d+\.json$/.test(f)),
    usFiles.join(" "),
  );
  const usLines = usFiles
    .flatMap((f) =>
      readFileSync(join(root, "region=us", f), "utf8")
        .trim()
        .split("\n"),
    )
    .sort();
  assert.deepEqual(usLines, ['{"id":2,"name":"b"}', '{"id":4,"name":"d"}']);
  assert.deepEqual(await read(t), rows);
});

test("the success-file partition commit policy marks each partition that received data", async () => {
  const columns: [string, LogicalType][] = [
    ["id", INT],
    ["region", STRING],
  ];
  const rows: SqlValue[][] = [
    [1, "eu"],
    [2, "us"],
    [3, "eu"],
    [4, null],
  ];
  const write = (t: ResolvedTable) =>
    runJob(PROBE, {
      parallelism: 2,
      params: { table: t, rows: rows.map((fields) => ({ kind: RowKind.INSERT, fields })) },
    });
  const root = join(dir, "committed");
  mkdirSync(join(root, "region=asia"), { recursive: true }); // a partition this job never writes to
  const policy = { "sink.partition-commit.policy.kind": "success-file" };
  const t = table(columns, { path: root, format: "json", ...policy }, ["region"]);
  await write(t);
  for (const partition of ["region=eu", "region=us", "region=__DEFAULT_PARTITION__"]) {
    const files = readdirSync(join(root, partition));
    assert.ok(files.includes("_SUCCESS"), `${partition}: ${files.join(" ")}`);
    assert.ok(
      files.some((f) => /^part-.*\.json$/.test(f)),
      `${partition}: ${files.join(" ")}`,
    );
    assert.equal(readFileSync(join(root, partition, "_SUCCESS"), "utf8"), "");
  }
  assert.deepEqual(readdirSync(join(root, "region=asia")), []);
  // Readers skip the marker ('_'-prefixed files are hidden).
  assert.deepEqual(await read(t), [
    [1, "eu"],
    [2, "us"],
    [3, "eu"],
    [4, null],
  ]);

  const named = join(dir, "committed-named");
  await write(
    table(
      columns,
      { path: named, format: "csv", ...policy, "sink.partition-commit.success-file.name": "_DONE" },
      ["region"],
    ),
  );
  assert.ok(readdirSync(join(named, "region=us")).includes("_DONE"));
  assert.ok(!readdirSync(join(named, "region=us")).includes("_SUCCESS"));

  // Without the policy, or for an unpartitioned table (as in Flink), no marker is written.
  const plain = join(dir, "uncommitted");
  await write(table(columns, { path: plain, format: "json" }, ["region"]));
  assert.ok(!readdirSync(join(plain, "region=eu")).includes("_SUCCESS"));
  const flat = join(dir, "unpartitioned");
  await write(table(columns, { path: flat, format: "json", ...policy }));
  assert.ok(
    readdirSync(flat).every((f) => f.startsWith("part-")),
    readdirSync(flat).join(" "),
  );
});

function lineSource(path: string, splittable: boolean) {
  return new FileSource<RowData>(path, {
    kind: "lines",
    splittable,
    createDecoder: () => ({
      decode: (text) => ({ kind: RowKind.INSERT, fields: [text] }),
      continuesOnNextLine: (text) => (text.match(/"/g)?.length ?? 0) % 2 === 1,
    }),
  });
}

function readerContext(batchSizeHint: number): SourceReaderContext {
  return { indexOfSubtask: 0, parallelism: 1, batchSizeHint, sendSplitRequest() {}, currentTime: () => 0 };
}

function collectInto(into: SqlValue[]): ReaderOutput<RowData> {
  return {
    collect: (row) => into.push(row.fields[0] ?? null),
    collectWithTimestamp: (row) => into.push(row.fields[0] ?? null),
    emitWatermark() {},
  };
}

function wholeFile(path: string, size: number): FileSplit {
  return {
    splitId: path,
    path,
    partition: [],
    size,
    modified: 0,
    start: 0,
    end: Number.POSITIVE_INFINITY,
    position: 0,
    line: 1,
  };
}

/** Reads `splits` to the end with one reader, in batches of `batch` records. */
function readAll(source: FileSource<RowData>, splits: FileSplit[], batch = 1000): SqlValue[] {
  const reader = source.createReader(readerContext(batch));
  reader.addSplits(splits);
  reader.notifyNoMoreSplits();
  const seen: SqlValue[] = [];
  while (reader.pollNext(collectInto(seen)) !== InputStatus.END_OF_INPUT);
  reader.close();
  return seen;
}

test("a restored reader continues after the last record it emitted", () => {
  const path = join(dir, "restore.csv");
  const text = 'a\n"b\nb"\nc\nd\n';
  writeFileSync(path, text);
  const source = lineSource(path, false);
  const first = source.createReader(readerContext(2));
  first.addSplits([wholeFile(path, text.length)]);
  const seen: SqlValue[] = [];
  assert.equal(first.pollNext(collectInto(seen)), InputStatus.MORE_AVAILABLE);
  assert.deepEqual(seen, ["a", '"b\nb"']);
  const snapshot = first.snapshotState();
  assert.deepEqual([snapshot[0]?.position, snapshot[0]?.line], [8, 4]);
  first.close();
  assert.deepEqual(readAll(source, [...snapshot]), ["c", "d"]);
});

test("property: byte ranges cut anywhere read every line exactly once", () => {
  const path = join(dir, "ranges.jsonl");
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: fc.constantFrom("x", "é", " ", "\r"), maxLength: 6 }), {
        minLength: 1,
        maxLength: 12,
      }),
      fc.array(fc.nat(), { maxLength: 4 }),
      (lines, cuts) => {
        const text = lines.map((line, i) => `${i}${line}\n`).join("");
        writeFileSync(path, text);
        const size = Buffer.byteLength(text);
        const points = [...new Set(cuts.map((c) => c % size))].filter((c) => c > 0).sort((a, b) => a - b);
        const bounds = [0, ...points, Number.POSITIVE_INFINITY];
        const splits = bounds.slice(0, -1).map((start, k) => ({
          ...wholeFile(path, size),
          splitId: `${k}`,
          start,
          end: bounds[k + 1]!,
          position: start,
          line: start === 0 ? 1 : null,
        }));
        const expected = lines.map((line, i) => `${i}${line}`.replace(/\r$/, ""));
        assert.deepEqual(readAll(lineSource(path, true), splits, 3), expected);
      },
    ),
    { numRuns: 100 },
  );
});

test("large line-splittable files are cut into one range per reader", () => {
  const file = { path: "/f", partition: [], size: 4 * MIN_SPLIT_BYTES + 1, modified: 0 };
  const ranges = fileSplits(file, true, 3).map((s) => [s.start, s.end, s.line]);
  const third = Math.ceil(file.size / 3);
  assert.deepEqual(ranges, [
    [0, third, 1],
    [third, 2 * third, null],
    [2 * third, Number.POSITIVE_INFINITY, null],
  ]);
  assert.equal(fileSplits(file, false, 3).length, 1);
  assert.equal(fileSplits({ ...file, size: MIN_SPLIT_BYTES }, true, 3).length, 1);
});

test("bad options are reported by name", () => {
  const create = (options: Record<string, string>) =>
    filesystemConnector.createSink!({
      table: table([["id", INT]], options),
      physicalType: { kind: "ROW", nullable: false, fields: [{ name: "id", type: INT }] },
      inputMode: { kind: "insert-only" },
      config: new Map(),
    });
  assert.throws(
    () => create({ format: "csv" }),
    /required options are missing for 'filesystem' in table 'files': 'path'/,
  );
  assert.throws(
    () => create({ path: dir, format: "csv", "csv.delimiter": ";" }),
    /Unsupported options .*'csv.delimiter'.*\nSupported options: .*csv.field-delimiter/,
  );
  assert.throws(
    () => create({ path: dir, format: "orc" }),
    /'format' of table 'files': 'orc' \(expected one of canal-json, csv, debezium-json, json, maxwell-json, parquet, raw\)/,
  );
  assert.throws(
    () => create({ path: dir, format: "parquet", "parquet.compression": "LZO" }),
    /'parquet.compression' of table 'files': 'LZO' \(expected one of UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD\)/,
  );
  assert.throws(
    () => create({ path: dir, format: "parquet", "parquet.write.int64.timestamp": "false" }),
    /INT96 timestamps\) is not supported/,
  );
  assert.throws(
    () => create({ path: dir, format: "csv", "sink.rolling-policy.file-size": "big" }),
    /'sink.rolling-policy.file-size'/,
  );
  assert.throws(
    () => create({ path: dir, format: "csv", "sink.partition-commit.policy.kind": "metastore,success-file" }),
    /'sink.partition-commit.policy.kind' of table 'files': 'metastore,success-file' \(expected success-file;/,
  );
  assert.throws(
    () =>
      create({
        path: dir,
        format: "csv",
        "sink.partition-commit.policy.kind": "success-file",
        "sink.partition-commit.success-file.name": "a/b",
      }),
    /'sink.partition-commit.success-file.name' of table 'files': 'a\/b' \(expected a plain file name\)/,
  );
  assert.throws(
    () => create({ path: dir, format: "csv", "sink.partition-commit.success-file.name": "_DONE" }),
    /'sink.partition-commit.success-file.name' needs 'sink.partition-commit.policy.kind' = 'success-file'/,
  );
});

test("partition values round-trip through directory names", () => {
  for (const value of ["a/b", "x=y", "100%", "plain", "tab\there"])
    assert.equal(unescapePartitionValue(escapePartitionValue(value)), value);
  assert.deepEqual(partitionValuesOf("dt=2020-01-01/h=__X__/f.csv", ["h", "dt"], "__X__"), [
    null,
    "2020-01-01",
  ]);
  assert.throws(() => partitionValuesOf("f.csv", ["dt"], "__X__"), /not inside a 'dt=…' partition directory/);
});

test("'source.monitor-interval' makes the source unbounded; a bad interval is refused", () => {
  const source = (options: Record<string, string>) =>
    filesystemConnector.createSource!({
      table: table([["id", INT]], { path: dir, format: "csv", ...options }),
      physicalType: { kind: "ROW", nullable: false, fields: [{ name: "id", type: INT }] },
      metadata: [],
      projectedFields: null,
      env: undefined as never,
      config: new Map(),
    });
  assert.equal(source({}).bounded, true);
  assert.equal(source({ "source.monitor-interval": "10 s" }).bounded, false);
  assert.throws(
    () => source({ "source.monitor-interval": "soon" }),
    /'source.monitor-interval' of table 'files': 'soon'/,
  );
  assert.throws(() => source({ "source.monitor-interval": "0 s" }), /it must be a positive duration/);
});
