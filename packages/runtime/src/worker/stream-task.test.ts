/**
 * StreamTask's mailbox around a checkpoint of a source task: enumerator events (split
 * assignments, no-more-splits) that arrive while operators prepare their snapshot apply after it;
 * and the end of a task with checkpointing on (ENDED until a checkpoint covers its end).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { InputStatus } from "@weir/api";
import { Backpressure } from "../exchange/output-channel.ts";
import type { SourceOperator } from "../operators/source-operator.ts";
import type { OperatorSnapshot, StreamOperator } from "../operators/stream-operator.ts";
import { StreamTask, type TaskListener } from "./stream-task.ts";

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

/** A task of a source chained to a sink; the listener fails the test on a task failure. */
function sourceTask(
  reader: SourceOperator & StreamOperator,
  sink: StreamOperator,
  listener: Pick<TaskListener, "onFinished" | "onCheckpoint" | "onEnded">,
  checkpointing = false,
): StreamTask {
  return new StreamTask({
    vertex: 0,
    subtask: 0,
    name: "source -> sink",
    operators: [reader, sink],
    source: reader,
    gates: [],
    writers: [],
    backpressure: new Backpressure(() => {}),
    checkpointing,
    listener: { ...listener, onFailed: (_task, error) => assert.fail(String(error)), wake: () => {} },
  });
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
  const task = sourceTask(reader, sink, {
    onFinished: () => {},
    onCheckpoint: (_task, checkpointId, snapshots) => acks.push({ checkpointId, snapshots }),
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

/** A source task whose reader ends at its first poll, recording what its operators are asked to do. */
function endingSourceTask(options: { checkpointing: boolean; sinkFinish?: () => Promise<void> }) {
  const calls: string[] = [];
  const events: string[] = [];
  const acks: { checkpointId: number; snapshots: OperatorSnapshot[] }[] = [];
  const source = operator("source", {
    finish: () => void calls.push("source.finish"),
    close: () => void calls.push("source.close"),
    restoreState: () => void calls.push("source.restore"),
  });
  const reader = Object.assign(source, {
    poll: () => InputStatus.END_OF_INPUT,
    isAvailable: () => Promise.resolve(),
  }) as unknown as SourceOperator & StreamOperator;
  const sink = operator("sink", {
    finish: () => {
      calls.push("sink.finish");
      return options.sinkFinish?.();
    },
    close: () => void calls.push("sink.close"),
    prepareSnapshotPreBarrier: async (id: number) => void calls.push(`sink.preCommit ${id}`),
    notifyCheckpointComplete: async (id: number) => void calls.push(`sink.commit ${id}`),
  });
  const task = sourceTask(
    reader,
    sink,
    {
      onEnded: () => void events.push("ended"),
      onFinished: () => void events.push("finished"),
      onCheckpoint: (_task, checkpointId, snapshots) => acks.push({ checkpointId, snapshots }),
    },
    options.checkpointing,
  );
  return { task, calls, events, acks };
}

test("with checkpointing, an ended task takes part in checkpoints at once and finishes when one taken since its end completes", async () => {
  const { task, calls, events, acks } = endingSourceTask({ checkpointing: true });
  await task.start();
  await drain(task);
  assert.equal(task.state, "ENDED");
  assert.deepEqual(events, ["ended"]);
  assert.deepEqual(calls, ["source.finish", "sink.finish"], "operators finished, not closed");

  // A checkpoint before the end completes late: it covers none of the ended output.
  task.notifyCheckpointComplete(4);
  await drain(task);
  assert.deepEqual(events, ["ended"]);

  task.triggerCheckpoint(5);
  await drain(task);
  assert.equal(acks.length, 1);
  assert.equal(acks[0]!.checkpointId, 5);
  assert.ok(
    acks[0]!.snapshots.every((s) => s.finished === true),
    "ended snapshots are marked finished",
  );
  task.notifyCheckpointComplete(5);
  await drain(task);
  assert.deepEqual(events, ["ended", "finished"]);
  assert.deepEqual(calls.slice(2), ["sink.commit 4", "sink.preCommit 5", "sink.commit 5"]);

  // Still up: it answers later checkpoints until the job shuts it down.
  task.triggerCheckpoint(6);
  await drain(task);
  assert.equal(acks.length, 2);
  await task.close();
  assert.equal(task.state, "FINISHED");
  assert.deepEqual(calls.slice(-2), ["source.close", "sink.close"]);
});

test("a checkpoint triggered while a source task is finishing, whose barrier it never sent, is taken as ended", async () => {
  let releaseFinish = () => {};
  const { task, events, acks } = endingSourceTask({
    checkpointing: true,
    sinkFinish: () =>
      new Promise<void>((resolve) => {
        releaseFinish = resolve;
      }),
  });
  await task.start();
  task.step();
  assert.equal(task.state, "FINISHING", "the sink's finish is still running");
  task.triggerCheckpoint(7);
  await drain(task);
  assert.equal(acks.length, 0, "no barrier while finishing: the trigger's mail is dropped");
  releaseFinish();
  await drain(task);
  assert.deepEqual(events, ["ended"]);
  assert.deepEqual(
    acks.map((a) => a.checkpointId),
    [7],
    "the ended task took its part in 7 (else 7 could never complete)",
  );
});

test("a task restored from finished snapshots does not run its operators' end again", async () => {
  const { task, calls, events } = endingSourceTask({ checkpointing: true });
  const finished = (id: string): OperatorSnapshot => ({
    operatorId: id,
    keyed: {},
    operator: {},
    finished: true,
  });
  await task.start(
    new Map([
      ["source", finished("source")],
      ["sink", finished("sink")],
    ]),
  );
  await drain(task);
  assert.equal(task.state, "ENDED");
  assert.deepEqual(events, ["ended"]);
  assert.deepEqual(calls, ["source.restore"], "restored, not finished again");
});

test("without checkpointing, a task closes its operators and finishes at its end", async () => {
  const { task, calls, events } = endingSourceTask({ checkpointing: false });
  await task.start();
  await drain(task);
  assert.equal(task.state, "FINISHED");
  assert.deepEqual(events, ["finished"]);
  assert.deepEqual(calls, ["source.finish", "sink.finish", "source.close", "sink.close"]);
});
