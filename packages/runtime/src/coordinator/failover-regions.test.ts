import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks } from "@weir/api";
import { EnvironmentImpl } from "../graph/environment-impl.ts";
import { buildJobGraph } from "../graph/job-graph.ts";
import { failoverRegions } from "./failover-regions.ts";

function env(parallelism: number): EnvironmentImpl {
  return new EnvironmentImpl({ parallelism, jobName: "test", onExecute: () => new Promise(() => {}) });
}

test("forward-only pipelines are one region per subtask, restarting alone", () => {
  const e = env(3);
  e.fromCollection([1, 2, 3])
    .map((n) => n + 1)
    .toSink(Sinks.discard());
  const regions = failoverRegions(buildJobGraph(e.graph.nodes, 3));
  assert.deepEqual(regions.regions, [["0/0"], ["0/1"], ["0/2"]]);
  assert.equal(regions.single, false);
  assert.deepEqual(regions.slotsRestartingWith(1), [1]);
});

test("a keyBy joins every subtask on both sides into one region", () => {
  const e = env(3);
  e.fromCollection([1, 2, 3])
    .keyBy((n) => n % 2)
    .map((n) => n)
    .toSink(Sinks.discard());
  const graph = buildJobGraph(e.graph.nodes, 3);
  const regions = failoverRegions(graph);
  assert.equal(regions.regions.length, 1);
  assert.equal(regions.regions[0]!.length, 6);
  assert.equal(regions.single, true);
  assert.deepEqual(regions.slotsRestartingWith(2), [0, 1, 2]);
});

test("a rebalance between different parallelisms is all-to-all: one region", () => {
  const e = env(3);
  e.fromCollection([1, 2, 3])
    .withParallelism(2)
    .map((n) => n)
    .toSink(Sinks.discard());
  const regions = failoverRegions(buildJobGraph(e.graph.nodes, 3));
  assert.equal(regions.regions.length, 1);
  assert.deepEqual(regions.slotsRestartingWith(0), [0, 1, 2]);
});

test("regions sharing a slot restart together; other slots stay apart", () => {
  const e = env(3);
  // Pipeline A: three forward chains (slots 0, 1, 2). Pipeline B: parallelism 1, all in slot 0.
  e.fromCollection([1, 2, 3])
    .map((n) => n)
    .toSink(Sinks.discard());
  e.fromCollection([4, 5])
    .withParallelism(1)
    .keyBy((n) => n)
    .map((n) => n)
    .withParallelism(1)
    .toSink(Sinks.discard())
    .withParallelism(1);
  const graph = buildJobGraph(e.graph.nodes, 3);
  const regions = failoverRegions(graph);
  assert.equal(regions.regions.length, 4, "three chains of A and B's one region");
  assert.deepEqual(regions.slotsRestartingWith(0), [0]);
  assert.deepEqual(regions.slotsRestartingWith(1), [1]);
  assert.equal(regions.single, false);
});
