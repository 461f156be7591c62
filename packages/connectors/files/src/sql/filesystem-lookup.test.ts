/**
 * Lookups on the `filesystem` SQL connector: the whole table (several files, Hive partitions,
 * quoted CSV line breaks) is read once and indexed by key; the load is repeated only after
 * `lookup.join.cache.ttl`. Expected rows are written by hand from the files below.
 */

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { LogicalRowType, LogicalType, ResolvedTable } from "@weir/sql";
import { FileSink } from "../file-sink.ts";
import { ParquetFormat } from "../parquet/parquet-format.ts";
import { filesystemConnector } from "./filesystem-connector.ts";
import { FilesystemLookup } from "./filesystem-lookup.ts";

const dir = mkdtempSync(join(tmpdir(), "weir-fs-lookup-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const BIGINT: LogicalType = { kind: "BIGINT", nullable: true };
const STRING: LogicalType = { kind: "VARCHAR", length: 2147483647, nullable: true };

function table(
  path: string,
  options: Record<string, string> = {},
  partitionKeys: string[] = [],
): ResolvedTable {
  return {
    kind: "table",
    name: "side",
    columns: [
      { kind: "physical", name: "key", type: BIGINT },
      { kind: "physical", name: "value", type: STRING },
      { kind: "physical", name: "region", type: STRING },
    ],
    watermark: null,
    primaryKey: null,
    partitionKeys,
    options: { connector: "filesystem", path, format: "csv", ...options },
    temporary: false,
  };
}

const physicalType = (t: ResolvedTable): LogicalRowType => ({
  kind: "ROW",
  nullable: false,
  fields: t.columns.map((c) => ({ name: c.name, type: c.type })),
});

test("looks rows up by key across files and partitions; NULL keys are never indexed", async () => {
  const root = join(dir, "partitioned");
  mkdirSync(join(root, "region=eu"), { recursive: true });
  mkdirSync(join(root, "region=us"), { recursive: true });
  writeFileSync(join(root, "region=eu", "a.csv"), '1,one\n2,"two\nlines"\n,nokey\n');
  writeFileSync(join(root, "region=us", "b.csv"), "1,uno\n3,three\n");
  const t = table(root, {}, ["region"]);
  const lookup = filesystemConnector.createLookup!({
    table: t,
    physicalType: physicalType(t),
    keyIndices: [0],
    config: new Map(),
  });
  assert.deepEqual(await lookup.lookup([1n]), [
    [1n, "one", "eu"],
    [1n, "uno", "us"],
  ]);
  assert.deepEqual(await lookup.lookup([2n]), [[2n, "two\nlines", "eu"]]);
  assert.deepEqual(await lookup.lookup([4n]), []);
  // By a composite key, the partition column included.
  const byTwo = filesystemConnector.createLookup!({
    table: t,
    physicalType: physicalType(t),
    keyIndices: [2, 0],
    config: new Map(),
  });
  assert.deepEqual(await byTwo.lookup(["us", 1n]), [[1n, "uno", "us"]]);
  assert.deepEqual(await byTwo.lookup(["us", 2n]), []);
});

test("reads the files again only after lookup.join.cache.ttl", async () => {
  const file = join(dir, "ttl.csv");
  writeFileSync(file, "1,old,\n");
  const t = table(file, { "lookup.join.cache.ttl": "10 s" });
  const { dataIndices, partitionIndices } = { dataIndices: [0, 1, 2], partitionIndices: [] };
  let now = 0;
  const lookup = new FilesystemLookup(
    { table: t, physicalType: physicalType(t), keyIndices: [0], config: new Map() },
    { format: "csv", dataIndices, partitionIndices, dataType: physicalType(t), now: () => now },
  );
  assert.deepEqual(await lookup.lookup([1n]), [[1n, "old", ""]]);
  writeFileSync(file, "1,new,\n");
  now = 9_999;
  assert.deepEqual(await lookup.lookup([1n]), [[1n, "old", ""]]);
  now = 10_000;
  assert.deepEqual(await lookup.lookup([1n]), [[1n, "new", ""]]);
});

test("a bad option or a missing path fails with the table's name", async () => {
  const t = table(join(dir, "nope.csv"), { "lookup.join.cache.ttl": "soon" });
  assert.throws(
    () =>
      filesystemConnector.createLookup!({
        table: t,
        physicalType: physicalType(t),
        keyIndices: [0],
        config: new Map(),
      }),
    /lookup\.join\.cache\.ttl.*side|side.*lookup\.join\.cache\.ttl/,
  );
  const missing = table(join(dir, "nope.csv"));
  const lookup = filesystemConnector.createLookup!({
    table: missing,
    physicalType: physicalType(missing),
    keyIndices: [0],
    config: new Map(),
  });
  await assert.rejects(lookup.lookup([1n]), /nope\.csv' of table 'side' does not exist/);
});

test("looks rows up in Parquet files, partitioned; a corrupt file fails the load naming it", async () => {
  const root = join(dir, "parquet");
  const sink = FileSink.forBulk(join(root, "region=eu"), {
    format: ParquetFormat.writer<{ key: bigint | null; value: string }>({ key: "BIGINT", value: "STRING" }),
  });
  const writer = sink.createWriter({ indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 });
  writer.write([
    { key: 1n, value: "one" },
    { key: null, value: "nokey" },
    { key: 2n, value: "two" },
  ]);
  await sink.createCommitter!().commit(writer.prepareCommit!() as never);
  writer.close();
  const t = table(root, { format: "parquet" }, ["region"]);
  const lookup = filesystemConnector.createLookup!({
    table: t,
    physicalType: physicalType(t),
    keyIndices: [0],
    config: new Map(),
  });
  assert.deepEqual(await lookup.lookup([2n]), [[2n, "two", "eu"]]);
  assert.deepEqual(await lookup.lookup([3n]), []);
  writeFileSync(join(root, "region=eu", "bad.parquet"), "not parquet at all");
  const again = filesystemConnector.createLookup!({
    table: t,
    physicalType: physicalType(t),
    keyIndices: [0],
    config: new Map(),
  });
  await assert.rejects(again.lookup([1n]), /region=eu\/bad\.parquet: not a Parquet file/);
});

test("a lookup on a changelog-format table is refused, naming the table and format", () => {
  const t = table(dir, { format: "debezium-json" });
  assert.throws(
    () =>
      filesystemConnector.createLookup!({
        table: t,
        physicalType: physicalType(t),
        keyIndices: [0],
        config: new Map(),
      }),
    /Table 'side': a lookup join reads a filesystem table of inserts, but 'debezium-json' is a changelog format/,
  );
});
