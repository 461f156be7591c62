/**
 * StreamTask's mailbox around a checkpoint of a source task: enumerator events (split
 * assignments, no-more-splits) that arrive while operators prepare their snapshot apply after it.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { InputStatus } from "@weir/api";
import { Backpressure } from "../exchange/output-channel.ts";
import type { SourceOperator } from "../operators/source-operator.ts";
import type { OperatorSnapshot, StreamOperator } from "../operators/stream-operator.ts";
import { StreamTask } from "./stream-task.ts";

function operator(name: string, extra: Partial<StreamOperator>): StreamOperator {
  return {
    name,
    operatorId: name,
    open: () => {},
    processRecord1: () => {},
    processRecord2: () => {},
    endOfBatch: () => {},
    processWatermark: () => {},
    endInput: () => {},
    finish: () => {},
    close: () => {},
    snapshotState: (): OperatorSnapshot => ({ operatorId: name, keyed: {}, operator: {} }),
    restoreState: () => {},
    ...extra,
  } as StreamOperator;
}

/** Runs the task's mailbox until it has nothing to do, letting promises settle in between. */
async function drain(task: StreamTask): Promise<void> {
  for (let i = 0; i < 50; i++) {
    while (task.step()) {}
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test("a split assigned while a chained sink pre-commits is not in the source's snapshot, and arrives after it", async () => {
  const splits: string[] = [];
  let noMoreSplits = false;
  const source = operator("source", {
    snapshotState: () => ({ operatorId: "source", keyed: {}, operator: {}, extra: [...splits] }),
  });
  const reader = Object.assign(source, {
    poll: () => InputStatus.NOTHING_AVAILABLE,
    isAvailable: () => new Promise<void>(() => {}),
    addSplits: (added: string[]) => splits.push(...added),
    notifyNoMoreSplits: () => {
      assert.deepEqual(splits, ["s1", "s7"], "no-more-splits comes after the split sent before it");
      noMoreSplits = true;
    },
  }) as unknown as SourceOperator & StreamOperator;
  let releasePreCommit = () => {};
  const sink = operator("sink", {
    prepareSnapshotPreBarrier: () =>
      new Promise<void>((resolve) => {
        releasePreCommit = resolve;
      }),
  });
  const acks: { checkpointId: number; snapshots: OperatorSnapshot[] }[] = [];
  const task = new StreamTask({
    vertex: 0,
    subtask: 0,
    name: "source -> sink",
    operators: [reader, sink],
    source: reader,
    gates: [],
    writers: [],
    backpressure: new Backpressure(() => {}),
    listener: {
      onFinished: () => {},
      onCheckpoint: (_task, checkpointId, snapshots) => acks.push({ checkpointId, snapshots }),
      onFailed: (_task, error) => assert.fail(String(error)),
      wake: () => {},
    },
  });
  await task.start();
  task.addSplits(["s1"]);
  await drain(task);
  assert.deepEqual(splits, ["s1"]);

  // The coordinator snapshots its enumerator (s7 still unassigned there), triggers checkpoint 1,
  // then assigns s7 and says no more splits: both reach the task while the sink pre-commits.
  task.triggerCheckpoint(1);
  await drain(task);
  task.addSplits(["s7"]);
  task.noMoreSplits();
  await drain(task);
  assert.deepEqual(splits, ["s1"], "held back until the snapshot is taken");
  assert.equal(acks.length, 0);

  releasePreCommit();
  await drain(task);
  assert.equal(acks.length, 1);
  assert.deepEqual(acks[0]!.snapshots[0]!.extra, ["s1"], "the checkpoint holds only what came before it");
  assert.deepEqual(splits, ["s1", "s7"]);
  assert.ok(noMoreSplits);
});
