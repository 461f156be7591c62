import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import type { Sink } from "@weir/api";
import { csvField, type FileCommittable } from "./file-sink.ts";
import { FileSink } from "./index.ts";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "weir-file-sink-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ctx = { indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 };

/** Writes batches, pre-commits after each, commits everything; returns the committables. */
async function run<T>(
  sink: Sink<T, FileCommittable>,
  batches: T[][],
  context = ctx,
): Promise<FileCommittable[]> {
  const writer = sink.createWriter(context);
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

/** Visible files under `root`, relative paths, recursively. */
function visible(root: string, prefix = ""): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .flatMap((e) => {
      const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
      return e.isDirectory() ? visible(root, rel) : [rel];
    })
    .sort();
}

test("jsonl parts roll by record count and every checkpoint starts new files", async () => {
  const sink = FileSink.forRows<{ n: number }>(dir, {
    format: "jsonl",
    rollingPolicy: { maxRecordsPerPart: 2 },
  });
  const committables = await run(sink, [[{ n: 0 }, { n: 1 }, { n: 2 }], [{ n: 3 }]]);
  assert.deepEqual(
    committables.map((c) => [c.finalPath, c.records]),
    [
      ["part-0-0-0.jsonl", 2],
      ["part-0-0-1.jsonl", 1],
      ["part-0-0-2.jsonl", 1],
    ],
  );
  assert.deepEqual(visible(dir), ["part-0-0-0.jsonl", "part-0-0-1.jsonl", "part-0-0-2.jsonl"]);
  assert.equal(readFileSync(join(dir, "part-0-0-0.jsonl"), "utf8"), '{"n":0}\n{"n":1}\n');
  assert.equal(readFileSync(join(dir, "part-0-0-2.jsonl"), "utf8"), '{"n":3}\n');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith(".")),
    [],
    "no pending file left",
  );
});

test("parts roll by size; a record larger than the limit gets a part of its own", async () => {
  // Each line of {"s":"xxxx"} is 13 bytes.
  const sink = FileSink.forRows<{ s: string }>(dir, { format: "jsonl", rollingPolicy: { maxPartBytes: 30 } });
  const records = [{ s: "aaaa" }, { s: "bbbb" }, { s: "cccc" }, { s: "x".repeat(40) }, { s: "dddd" }];
  await run(sink, [records]);
  const files = visible(dir);
  assert.deepEqual(
    files.map((f) => readFileSync(join(dir, f), "utf8")),
    ['{"s":"aaaa"}\n{"s":"bbbb"}\n', '{"s":"cccc"}\n', `{"s":"${"x".repeat(40)}"}\n`, '{"s":"dddd"}\n'],
  );
  for (const f of files.slice(0, 2)) assert.ok(statSync(join(dir, f)).size <= 30);
});

test("records go to the bucket directories their assigner names", async () => {
  const sink = FileSink.forRows<{ day: string; v: number }>(dir, {
    format: "jsonl",
    bucketAssigner: (r) => `dt=${r.day}`,
    partPrefix: "out",
  });
  await run(sink, [
    [
      { day: "2026-11-23", v: 1 },
      { day: "2026-11-24", v: 2 },
      { day: "2026-11-23", v: 3 },
    ],
  ]);
  assert.deepEqual(visible(dir), ["dt=2026-11-23/out-0-0-0.jsonl", "dt=2026-11-24/out-0-0-1.jsonl"]);
  assert.equal(
    readFileSync(join(dir, "dt=2026-11-23/out-0-0-0.jsonl"), "utf8"),
    '{"day":"2026-11-23","v":1}\n{"day":"2026-11-23","v":3}\n',
  );
});

test("CSV fields are quoted after RFC 4180", async () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField("cr\r"), '"cr\r"');
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField(12.5), "12.5");
  assert.equal(csvField(true), "true");
  assert.equal(csvField(10n), "10");
  const sink = FileSink.forRows<{ id: number; name: string; note?: string }>(dir, {
    format: "csv",
    columns: ["id", "name", "note"],
    header: true,
  });
  await run(sink, [
    [
      { id: 1, name: "Smith, J.", note: 'a "quote"' },
      { id: 2, name: "plain" },
    ],
  ]);
  assert.equal(
    readFileSync(join(dir, "part-0-0-0.csv"), "utf8"),
    'id,name,note\r\n1,"Smith, J.","a ""quote"""\r\n2,plain,\r\n',
  );
});

test("committing twice changes nothing", async () => {
  const sink = FileSink.forRows<number>(dir, { format: "jsonl" });
  const writer = sink.createWriter({ indexOfSubtask: 3, parallelism: 4, attemptNumber: 2 });
  await writer.write([1, 2, 3]);
  const committables = (await writer.prepareCommit?.()) ?? [];
  assert.equal(committables.length, 1);
  assert.deepEqual(readdirSync(dir), [".part-3-2-0.inprogress"], "hidden until committed");
  const committer = sink.createCommitter!();
  await committer.commit(committables);
  await committer.commit(committables);
  await sink.createCommitter!().commit(committables);
  assert.deepEqual(readdirSync(dir), ["part-3-2-0.jsonl"]);
  assert.equal(readFileSync(join(dir, "part-3-2-0.jsonl"), "utf8"), "1\n2\n3\n");
});

test("committing a part whose files are both gone fails, naming the file", async () => {
  const sink = FileSink.forRows<number>(dir, { format: "jsonl" });
  const writer = sink.createWriter(ctx);
  await writer.write([1]);
  const committables = (await writer.prepareCommit?.()) ?? [];
  rmSync(join(dir, ".part-0-0-0.inprogress"));
  assert.throws(
    () => sink.createCommitter!().commit(committables),
    (error: Error) =>
      error.message.includes(join(dir, "part-0-0-0.jsonl")) && /1 records would be lost/.test(error.message),
  );
});

test("a restarted attempt or a new run never overwrites existing parts", async () => {
  writeFileSync(join(dir, "part-0-0-0.jsonl"), "old\n");
  writeFileSync(join(dir, ".part-0-0-1.inprogress"), "leftover\n");
  await run(FileSink.forRows<number>(dir, { format: "jsonl" }), [[7]]);
  assert.deepEqual(visible(dir), ["part-0-0-0.jsonl", "part-0-0-2.jsonl"]);
  assert.equal(readFileSync(join(dir, "part-0-0-0.jsonl"), "utf8"), "old\n");
  assert.equal(readFileSync(join(dir, "part-0-0-2.jsonl"), "utf8"), "7\n");
  await run(FileSink.forRows<number>(dir, { format: "jsonl" }), [[8]], { ...ctx, attemptNumber: 1 });
  assert.equal(readFileSync(join(dir, "part-0-1-0.jsonl"), "utf8"), "8\n");
});

test("bad bucket paths are rejected before anything is written", async () => {
  for (const bucket of [
    "../escape",
    "a/../../b",
    "/abs",
    "C:/x",
    "a\\b",
    "a//b",
    "./a",
    ".hidden",
    "a/.b",
    "a/",
  ]) {
    const sink = FileSink.forRows<number>(dir, { format: "jsonl", bucketAssigner: () => bucket });
    const writer = sink.createWriter(ctx);
    assert.throws(() => writer.write([1]), /invalid bucket/, bucket);
  }
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(existsSync(join(dir, "..", "escape")), false);
});

test("a success file marks a bucket only once its parts are committed, and survives a re-commit", async () => {
  const sink = FileSink.forRows<{ day: string; v: number }>(dir, {
    format: "jsonl",
    bucketAssigner: (r) => `dt=${r.day}`,
    successFileName: "_SUCCESS",
  });
  const writer = sink.createWriter(ctx);
  await writer.write([
    { day: "a", v: 1 },
    { day: "b", v: 2 },
  ]);
  const first = (await writer.prepareCommit?.()) ?? [];
  await writer.write([{ day: "c", v: 3 }]);
  const second = (await writer.prepareCommit?.()) ?? [];
  await writer.close();
  assert.deepEqual(visible(dir), [], "nothing visible, no marker, before the commit");
  const committer = sink.createCommitter!();
  await committer.commit(first);
  assert.deepEqual(visible(dir), [
    "dt=a/_SUCCESS",
    "dt=a/part-0-0-0.jsonl",
    "dt=b/_SUCCESS",
    "dt=b/part-0-0-1.jsonl",
  ]);
  // A commit repeated after a restart, with the marker lost meanwhile, writes it again.
  rmSync(join(dir, "dt=a/_SUCCESS"));
  await committer.commit([...first, ...second]);
  assert.deepEqual(visible(dir), [
    "dt=a/_SUCCESS",
    "dt=a/part-0-0-0.jsonl",
    "dt=b/_SUCCESS",
    "dt=b/part-0-0-1.jsonl",
    "dt=c/_SUCCESS",
    "dt=c/part-0-0-2.jsonl",
  ]);
  assert.equal(statSync(join(dir, "dt=c/_SUCCESS")).size, 0);
  assert.throws(
    () => FileSink.forRows(dir, { format: "jsonl", successFileName: "x/y" }),
    /successFileName "x\/y"/,
  );
});

test("invalid options are rejected when the sink is built", () => {
  assert.throws(() => FileSink.forRows<{ a: number }>(dir, { format: "csv" }), /needs columns/);
  assert.throws(
    () => FileSink.forRows(dir, { format: "jsonl", rollingPolicy: { maxPartBytes: 0 } }),
    /maxPartBytes/,
  );
  assert.throws(
    () => FileSink.forRows(dir, { format: "jsonl", rollingPolicy: { maxRecordsPerPart: 1.5 } }),
    /maxRecordsPerPart/,
  );
  assert.throws(() => FileSink.forRows(dir, { format: "jsonl", partPrefix: "a/b" }), /partPrefix/);
  assert.throws(() => FileSink.forRows(dir, { format: "xml" as "csv" }), /unknown format/);
});
