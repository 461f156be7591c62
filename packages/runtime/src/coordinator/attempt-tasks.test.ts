import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks } from "@weir/api";
import { EnvironmentImpl } from "../graph/environment-impl.ts";
import { buildJobGraph } from "../graph/job-graph.ts";
import { AttemptTasks } from "./attempt-tasks.ts";

function tasks(): AttemptTasks {
  // Source at parallelism 1, map and sink at 2: slot 1 runs no source subtask.
  const env = new EnvironmentImpl({ parallelism: 2, jobName: "t", onExecute: () => new Promise(() => {}) });
  env
    .fromCollection([1, 2])
    .withParallelism(1)
    .map((n) => n)
    .toSink(Sinks.discard());
  return new AttemptTasks(buildJobGraph(env.graph.nodes, 2));
}

test("slots and tasks of an attempt follow the vertices' parallelism", () => {
  const t = tasks();
  assert.equal(t.slots, 2);
  const all = t.all();
  assert.equal(all.length, 3);
  assert.deepEqual(
    t.tasksOf([1]),
    all.filter((task) => task.endsWith("/1")),
  );
  assert.equal(t.tasksOf([0]).length, 2);
});

test("the attempt finishes when every task has, and a region restart unfinishes its tasks", () => {
  const t = tasks();
  t.deploying(0);
  const [a, b, c] = t.all() as [string, string, string];
  assert.equal(t.finished(a), false);
  assert.equal(t.finished(b), false);
  t.restarted(new Set([b]));
  assert.equal(t.finished(c), false);
  assert.equal(t.finished(b), true);
  t.deploying(1);
  assert.equal(t.finished(a), false, "a new attempt forgets finished tasks");
});

test("every task ended is told once the last one ends; restarts and new attempts forget ended tasks", () => {
  const t = tasks();
  t.deploying(0);
  const [a, b, c] = t.all() as [string, string, string];
  assert.equal(t.ended(a), false);
  assert.equal(t.ended(b), false);
  t.restarted(new Set([b]));
  assert.equal(t.ended(c), false, "b runs again after the region restart");
  assert.equal(t.ended(b), true);
  t.deploying(1);
  assert.equal(t.ended(a), false);
});

test("slots are ready when the last one reports; attempt numbers grow per restarted slot", () => {
  const t = tasks();
  t.deploying(2);
  assert.equal(t.slotReady(2), false);
  assert.equal(t.slotReady(2), true);
  assert.equal(t.attemptOf(0, 9), 2);
  t.nextAttempt([1]);
  assert.equal(t.attemptOf(1, 9), 3);
  assert.equal(t.attemptOf(0, 9), 2);
  assert.equal(t.attemptOf(5, 9), 9);
  t.deploying(4);
  assert.equal(t.attemptOf(1, 9), 4);
  assert.equal(t.slotReady(2), false, "the ready count starts afresh with each attempt");
});
