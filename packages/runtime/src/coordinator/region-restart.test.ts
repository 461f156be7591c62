import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks } from "@weir/api";
import { EnvironmentImpl } from "../graph/environment-impl.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import { RegionRestart } from "./region-restart.ts";
import type { AttemptSlots } from "./slot-group.ts";

function forwardPipelines(): JobGraph {
  const env = new EnvironmentImpl({ parallelism: 3, jobName: "t", onExecute: () => new Promise(() => {}) });
  env
    .fromCollection([1, 2, 3])
    .map((n) => n + 1)
    .toSink(Sinks.discard());
  return buildJobGraph(env.graph.nodes, 3);
}

/** The part of a slot group the decision reads: its size and whether slots restart alone. */
function slots(size: number, restartAlone = true): AttemptSlots {
  const group = { size } as { size: number; cancelSlots?: unknown; startSlots?: unknown };
  if (restartAlone) {
    group.cancelSlots = async () => {};
    group.startSlots = () => {};
  }
  return group as unknown as AttemptSlots;
}

test("a task failure in a forward pipeline restarts its slot only; a lost TaskManager its slots", () => {
  const restart = new RegionRestart(forwardPipelines(), undefined);
  assert.deepEqual(restart.unitFor([1], slots(3), true), [1]);
  assert.deepEqual(restart.unitFor([2, 0], slots(3), true), [0, 2]);
  assert.deepEqual(restart.unitOf?.(2), [2]);
});

test("full restarts: no task named, not started, every unit, slots that cannot restart alone, full strategy", () => {
  const restart = new RegionRestart(forwardPipelines(), undefined);
  assert.equal(restart.unitFor(undefined, slots(3), true), undefined);
  assert.equal(restart.unitFor([1], slots(3), false), undefined);
  assert.equal(restart.unitFor([0, 1, 2], slots(3), true), undefined);
  assert.equal(restart.unitFor([1], slots(3, false), true), undefined);
  assert.equal(restart.unitFor([1], undefined, true), undefined);
  const full = new RegionRestart(forwardPipelines(), "full");
  assert.equal(full.unitOf, undefined);
  assert.equal(full.unitFor([1], slots(3), true), undefined);
});

test("a keyed job is one region: every failure is a full restart", () => {
  const env = new EnvironmentImpl({ parallelism: 2, jobName: "t", onExecute: () => new Promise(() => {}) });
  env
    .fromCollection([1, 2])
    .keyBy((n) => n % 2)
    .map((n) => n)
    .toSink(Sinks.discard());
  const restart = new RegionRestart(buildJobGraph(env.graph.nodes, 2), "region");
  assert.equal(restart.unitOf, undefined);
  assert.equal(restart.unitFor([0], slots(2), true), undefined);
});

test("slots are stale while cancelled, then must all report ready before the region starts", async () => {
  const restart = new RegionRestart(forwardPipelines(), undefined);
  const graph = forwardPipelines();
  const started: number[][] = [];
  const group = {
    size: 3,
    cancelSlots: async () => {
      // While cancelling, the region's slots are stale and a second failure there is a consequence.
      assert.equal(restart.isCancelling(1), true);
      assert.equal(restart.isCancelling(0), false);
      assert.equal(restart.allCancelling([1]), true);
      assert.equal(restart.cancellingAny, true);
      // Another failure during the restart is a full restart.
      assert.equal(restart.unitFor([0], slots(3), true), undefined);
    },
    startSlots: (s: readonly number[]) => started.push([...s]),
  } as unknown as AttemptSlots;
  const log: string[] = [];
  await restart.restart(
    {
      jobName: "t",
      graph,
      epoch: () => 0,
      checkpoints: undefined,
      tasksOf: (s) => s.map((slot) => `0/${slot}`),
      restarting: () => {},
      cancelled: () => {},
      restorePoint: async () => undefined,
      restored: () => {},
      deployment: () => {
        throw new Error("not called by this group");
      },
      log: (line) => log.push(line),
    },
    group,
    [1, 2],
    0,
    new Error("boom") as never,
  );
  assert.deepEqual(started, [[1, 2]]);
  assert.equal(restart.cancellingAny, false);
  assert.match(
    log.at(-1)!,
    /restarting region of 2 task\(s\) in slot\(s\) 1, 2 of job "t" from the beginning/,
  );
  assert.equal(restart.ready(0), "attempt");
  assert.equal(restart.ready(1), "waiting");
  assert.equal(restart.ready(2), "all");
  assert.deepEqual(restart.take(), [1, 2]);
  assert.deepEqual(restart.take(), []);
});

test("a region restart stops when the run moves to another epoch (a full restart or the end)", async () => {
  const restart = new RegionRestart(forwardPipelines(), undefined);
  let epoch = 0;
  let started = false;
  const group = {
    size: 3,
    cancelSlots: async () => {
      epoch++;
    },
    startSlots: () => {
      started = true;
    },
  } as unknown as AttemptSlots;
  await restart.restart(
    {
      jobName: "t",
      graph: forwardPipelines(),
      epoch: () => epoch,
      checkpoints: undefined,
      tasksOf: () => ["0/1"],
      restarting: () => {},
      cancelled: () => assert.fail("no cleanup after the epoch moved on"),
      restorePoint: async () => undefined,
      restored: () => {},
      deployment: () => assert.fail("not started"),
      log: () => {},
    },
    group,
    [1],
    0,
    new Error("boom") as never,
  );
  assert.equal(started, false);
});
