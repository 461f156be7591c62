import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  Boundedness,
  InputStatus,
  type ReaderOutput,
  type Sink,
  type SourceReaderContext,
  type SplitEnumeratorContext,
} from "@weir/api";
import { FileSink } from "../file-sink.ts";
import { ParquetFormat } from "../parquet/parquet-format.ts";
import type { FileDeadLetter } from "./file-format.ts";
import { FileSource } from "./file-source.ts";
import { fileSourceMetrics } from "./file-source-reader.ts";
import type { FileSplit } from "./file-split.ts";

const dir = mkdtempSync(join(tmpdir(), "weir-file-source-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An enumerator context that records assignments. */
function enumeratorContext(parallelism = 1) {
  const assigned: [number, string][] = [];
  const finished: number[] = [];
  const ctx: SplitEnumeratorContext<FileSplit> = {
    parallelism,
    registeredReaders: () => [0],
    assignSplits: (subtask, splits) => {
      for (const s of splits) assigned.push([subtask, s.path.slice(s.path.lastIndexOf("/") + 1)]);
    },
    signalNoMoreSplits: (subtask) => finished.push(subtask),
  };
  return { ctx, assigned, finished };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes a file atomically, as a producer for a monitored directory must. */
function publish(path: string, text: string): void {
  const hidden = join(path, "..", `.${path.slice(path.lastIndexOf("/") + 1)}.tmp`);
  writeFileSync(hidden, text);
  renameSync(hidden, path);
}

test("a bounded source lists the files once and then ends every reader", () => {
  const root = join(dir, "bounded");
  mkdirSync(root);
  writeFileSync(join(root, "a.txt"), "1\n");
  const source = FileSource.forLines(root, { decode: (line) => line });
  assert.equal(source.boundedness, Boundedness.BOUNDED);
  const { ctx, assigned, finished } = enumeratorContext();
  const enumerator = source.createEnumerator(ctx);
  enumerator.start();
  writeFileSync(join(root, "b.txt"), "2\n");
  enumerator.handleSplitRequest(0);
  enumerator.handleSplitRequest(0);
  assert.deepEqual(assigned, [[0, "a.txt"]]);
  assert.deepEqual(finished, [0]);
  enumerator.close();
});

test("a monitored source finds new files at each scan, reads each once, and keeps that across a restore", async () => {
  const root = join(dir, "monitored");
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "a.txt"), "1\n");
  const source = FileSource.forLines(root, { decode: (line) => line, monitorIntervalMs: 20 });
  assert.equal(source.boundedness, Boundedness.CONTINUOUS_UNBOUNDED);
  const first = enumeratorContext(2);
  const enumerator = source.createEnumerator(first.ctx);
  enumerator.start();
  enumerator.handleSplitRequest(0);
  enumerator.handleSplitRequest(1); // Nothing pending: reader 1 waits instead of ending.
  assert.deepEqual(first.assigned, [[0, "a.txt"]]);
  publish(join(root, "sub", "b.txt"), "2\n");
  writeFileSync(join(root, ".c.txt.inprogress"), "hidden\n");
  await sleep(80);
  assert.deepEqual(first.assigned, [
    [0, "a.txt"],
    [1, "b.txt"],
  ]);
  publish(join(root, "d.txt"), "4\n");
  await sleep(80);
  const state = enumerator.snapshotState();
  enumerator.close();
  assert.deepEqual(
    state.pending?.map((s) => s.path.slice(root.length + 1)),
    ["d.txt"],
  );
  assert.deepEqual(first.finished, []);
  // Restored: a.txt and b.txt are never listed again; d.txt (discovered, unassigned) is not lost.
  publish(join(root, "e.txt"), "5\n");
  const second = enumeratorContext(1);
  const restored = source.restoreEnumerator(second.ctx, state);
  restored.start();
  for (let i = 0; i < 4; i++) restored.handleSplitRequest(0);
  await sleep(60);
  restored.close();
  assert.deepEqual(second.assigned, [
    [0, "d.txt"],
    [0, "e.txt"],
  ]);
});

function readerContext(batchSizeHint = 100, now = () => 0): SourceReaderContext {
  return { indexOfSubtask: 0, parallelism: 1, batchSizeHint, sendSplitRequest() {}, currentTime: now };
}

function output<T>(into: T[]): ReaderOutput<T> {
  return { collect: (r) => into.push(r), collectWithTimestamp: (r) => into.push(r), emitWatermark() {} };
}

function wholeFile(path: string): FileSplit {
  return {
    splitId: path,
    path,
    partition: [],
    size: 0,
    modified: 0,
    start: 0,
    end: Number.POSITIVE_INFINITY,
    position: 0,
    line: 1,
  };
}

const decodeInt = (line: string): number => {
  if (!/^\d+$/.test(line)) throw new Error(`'${line}' is not a number`);
  return Number(line);
};

/** Polls to the end, waiting when the reader pauses. */
async function drain<T>(source: FileSource<T>, splits: FileSplit[], batch = 100) {
  const reader = source.createReader(readerContext(batch));
  reader.addSplits(splits);
  reader.notifyNoMoreSplits();
  const seen: T[] = [];
  for (;;) {
    const status = reader.pollNext(output(seen));
    if (status === InputStatus.END_OF_INPUT) break;
    if (status === InputStatus.NOTHING_AVAILABLE) await reader.isAvailable();
  }
  await reader.close();
  return seen;
}

const badLines = join(dir, "bad.txt");
writeFileSync(badLines, "1\n2\nx3\n4\n\n5y\n6\n");

test("bad-record policy fail (the default) names the file and line", async () => {
  await assert.rejects(drain(FileSource.forLines(badLines, { decode: decodeInt }), [wholeFile(badLines)]), {
    name: "FileRecordError",
    message: `${badLines}:3: 'x3' is not a number`,
  });
});

test("bad-record policy drop skips, counts, and logs at most once per interval", async () => {
  const lines: string[] = [];
  const before = fileSourceMetrics().droppedRecords;
  const source = FileSource.forLines(badLines, {
    decode: decodeInt,
    badRecords: { kind: "drop", logIntervalMs: 60_000, log: (line) => lines.push(line) },
  });
  assert.deepEqual(await drain(source, [wholeFile(badLines)]), [1, 2, 4, 6]);
  assert.equal(fileSourceMetrics().droppedRecords - before, 2);
  assert.deepEqual(lines, [
    `FileSource(${badLines}): dropped 1 malformed record(s); latest at ${badLines}:3: 'x3' is not a number`,
  ]);
});

/** A dead-letter sink keeping letters in memory; `gate` holds writes until released. */
function letterSink(letters: FileDeadLetter[], gate?: Promise<void>): Sink<FileDeadLetter, never> {
  return {
    createWriter: () => ({
      async write(records) {
        await gate;
        letters.push(...records);
      },
      flush() {},
      close() {},
    }),
  };
}

test("bad-record policy dead-letter stores the raw line with file, line and error before moving on", async () => {
  const letters: FileDeadLetter[] = [];
  const before = fileSourceMetrics().deadLetters;
  const source = FileSource.forLines(badLines, {
    decode: decodeInt,
    badRecords: { kind: "dead-letter", sink: letterSink(letters) },
  });
  assert.deepEqual(await drain(source, [wholeFile(badLines)]), [1, 2, 4, 6]);
  assert.deepEqual(letters, [
    { path: badLines, line: 3, offset: 4, raw: "x3", error: "'x3' is not a number" },
    { path: badLines, line: 6, offset: 10, raw: "5y", error: "'5y' is not a number" },
  ]);
  assert.equal(fileSourceMetrics().deadLetters - before, 2);
});

test("a checkpoint taken while a dead letter is written records the bad record's position", async () => {
  const letters: FileDeadLetter[] = [];
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const source = FileSource.forLines(badLines, {
    decode: decodeInt,
    badRecords: { kind: "dead-letter", sink: letterSink(letters, gate) },
  });
  const reader = source.createReader(readerContext(100));
  reader.addSplits([wholeFile(badLines)]);
  const seen: number[] = [];
  assert.equal(reader.pollNext(output(seen)), InputStatus.MORE_AVAILABLE);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(reader.pollNext(output(seen)), InputStatus.NOTHING_AVAILABLE);
  const during = reader.snapshotState();
  assert.deepEqual([during[0]?.position, during[0]?.line], [4, 3], "at the bad record, not past it");
  release();
  await reader.isAvailable();
  assert.deepEqual(letters.length, 1);
  const afterwards = reader.snapshotState();
  assert.deepEqual([afterwards[0]?.position, afterwards[0]?.line], [7, 4], "past it once stored");
  await reader.close();
  // Restoring the checkpoint taken during the write stores the letter again, emits nothing twice.
  const again: FileDeadLetter[] = [];
  const restored = FileSource.forLines(badLines, {
    decode: decodeInt,
    badRecords: { kind: "dead-letter", sink: letterSink(again) },
  });
  assert.deepEqual(await drain(restored, [...during]), [4, 6]);
  assert.deepEqual(
    again.map((l) => l.line),
    [3, 6],
  );
});

test("a corrupt Parquet file is one bad record under each policy", async () => {
  const root = join(dir, "parquet-mixed");
  const schema = { id: "BIGINT" };
  const ctx = { indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 };
  const sink = FileSink.forBulk(root, { format: ParquetFormat.writer<{ id: bigint }>(schema) });
  const writer = sink.createWriter(ctx);
  writer.write([{ id: 1n }, { id: 2n }]);
  await sink.createCommitter!().commit(writer.prepareCommit!() as never);
  writer.close();
  const good = join(root, "part-0-0-0.parquet");
  const corrupt = join(root, "corrupt.parquet");
  writeFileSync(corrupt, "PAR1 this is not parquet");
  const splits = [wholeFile(corrupt), wholeFile(good)].map((s) => ({ ...s, line: null }));
  const reader = ParquetFormat.reader(schema);
  await assert.rejects(drain(FileSource.forFormat(root, reader), splits), {
    name: "FileRecordError",
    message: new RegExp(`^${corrupt.replaceAll(".", "\\.")}: not a Parquet file`),
  });
  const logged: string[] = [];
  const dropped = FileSource.forFormat(root, reader, {
    badRecords: { kind: "drop", log: (l) => logged.push(l) },
  });
  assert.deepEqual(await drain(dropped, splits), [{ id: 1n }, { id: 2n }]);
  assert.match(
    logged[0] ?? "",
    /dropped 1 malformed record\(s\); latest at .*corrupt\.parquet: not a Parquet file/,
  );
  const letters: FileDeadLetter[] = [];
  const dead = FileSource.forFormat(root, reader, {
    badRecords: { kind: "dead-letter", sink: letterSink(letters) },
  });
  assert.deepEqual(await drain(dead, splits), [{ id: 1n }, { id: 2n }]);
  assert.equal(letters.length, 1);
  assert.deepEqual([letters[0]?.path, letters[0]?.line, letters[0]?.raw], [corrupt, null, null]);
  assert.match(letters[0]?.error ?? "", /^not a Parquet file/);
});

test("bad options are refused when the source is built", () => {
  assert.throws(
    () => FileSource.forLines(dir, { decode: decodeInt, monitorIntervalMs: 0 }),
    /monitorIntervalMs must be a positive/,
  );
  assert.throws(
    () => FileSource.forLines(dir, { decode: decodeInt, badRecords: { kind: "dead-letter" } as never }),
    /badRecords.sink must be a Sink/,
  );
});
