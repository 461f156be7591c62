/** The two-phase-commit contract of the sink operator, step by step. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Sink } from "@weir/api";
import type { OperatorEnvironment } from "./operator-environment.ts";
import { SinkWriterOperator } from "./sink-writer-operator.ts";

function recordingSink() {
  const committed: string[][] = [];
  let open: string[] = [];
  let txn = 0;
  const sink: Sink<string, string[]> = {
    createWriter: () => ({
      write(records) {
        open.push(...records);
      },
      flush() {},
      prepareCommit() {
        if (open.length === 0) return [];
        const done = [`txn${txn++}`, ...open];
        open = [];
        return [done];
      },
      close() {},
    }),
    createCommitter: () => ({
      commit(transactions) {
        for (const t of transactions) committed.push(t);
      },
    }),
  };
  return { sink, committed };
}

const env = {
  taskInfo: {
    taskName: "sink",
    parallelism: 1,
    maxParallelism: 128,
    indexOfThisSubtask: 0,
    attemptNumber: 0,
  },
  blockOn() {},
} as unknown as OperatorEnvironment;

function operator(sink: Sink<string, string[]>, options: { checkpointing?: boolean } = {}) {
  return new SinkWriterOperator({
    name: "Sink",
    operatorId: "sink",
    env: options.checkpointing === true ? { ...env, checkpointing: true } : env,
    sink: sink as Sink<unknown, unknown>,
  });
}

test("pre-commit at the barrier, commit only when the checkpoint completes", async () => {
  const { sink, committed } = recordingSink();
  const op = operator(sink);
  await op.open();
  op.processRecord1("a");
  op.processRecord1("b");
  op.endOfBatch();
  await op.prepareSnapshotPreBarrier(1);
  op.processRecord1("c");
  op.endOfBatch();
  assert.deepEqual(committed, [], "nothing is published before checkpoint 1 completes");
  await op.prepareSnapshotPreBarrier(2);
  await op.notifyCheckpointComplete(1);
  assert.deepEqual(committed, [["txn0", "a", "b"]]);
  await op.notifyCheckpointComplete(2);
  assert.deepEqual(committed, [
    ["txn0", "a", "b"],
    ["txn1", "c"],
  ]);
});

test("a completed checkpoint also commits earlier ones whose notification never came", async () => {
  const { sink, committed } = recordingSink();
  const op = operator(sink);
  await op.open();
  op.processRecord1("a");
  op.endOfBatch();
  await op.prepareSnapshotPreBarrier(1);
  op.processRecord1("b");
  op.endOfBatch();
  await op.prepareSnapshotPreBarrier(2);
  await op.notifyCheckpointComplete(2);
  assert.deepEqual(
    committed.map((t) => t[0]),
    ["txn0", "txn1"],
  );
});

test("committables in a restored snapshot are committed again on open; the rest at end of input", async () => {
  const first = recordingSink();
  const op = operator(first.sink);
  await op.open();
  op.processRecord1("a");
  op.endOfBatch();
  await op.prepareSnapshotPreBarrier(1);
  const snapshot = op.snapshotState();
  // The failure happens after checkpoint 1 completed but before the sink heard of it.
  const second = recordingSink();
  const restored = operator(second.sink);
  restored.restoreState(snapshot);
  await restored.open();
  assert.deepEqual(second.committed, [["txn0", "a"]], "re-committed on restore (committers are idempotent)");
  restored.processRecord1("z");
  restored.endOfBatch();
  await restored.finish();
  assert.deepEqual(second.committed.at(-1), ["txn0", "z"]);
});

test("with checkpointing, the end of input only flushes: the next checkpoint pre-commits and its completion commits", async () => {
  const { sink, committed } = recordingSink();
  const flushes: boolean[] = [];
  const writer = sink.createWriter;
  sink.createWriter = (ctx) => ({ ...writer(ctx), flush: (endOfInput) => void flushes.push(endOfInput) });
  const op = operator(sink, { checkpointing: true });
  await op.open();
  op.processRecord1("a");
  op.endOfBatch();
  await op.prepareSnapshotPreBarrier(1);
  op.processRecord1("b");
  op.endOfBatch();
  await op.finish();
  assert.deepEqual(committed, [], "a failure elsewhere may still restore checkpoint 1 and replay b");
  await op.prepareSnapshotPreBarrier(2);
  await op.notifyCheckpointComplete(2);
  assert.deepEqual(committed, [
    ["txn0", "a"],
    ["txn1", "b"],
  ]);
  assert.deepEqual(flushes, [false, true, true], "flushes after the end are final");
});
