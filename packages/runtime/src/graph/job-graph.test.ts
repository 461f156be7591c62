import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks, Sources } from "@weir/api";
import { EnvironmentImpl } from "./environment-impl.ts";
import { buildJobGraph, defaultMaxParallelism } from "./job-graph.ts";

function env(parallelism = 2): EnvironmentImpl {
  return new EnvironmentImpl({ parallelism, jobName: "test", onExecute: () => new Promise(() => {}) });
}

test("forward edges with equal parallelism chain into one vertex", () => {
  const e = env();
  e.fromCollection([1, 2, 3])
    .map((n) => n + 1)
    .filter((n) => n > 1)
    .toSink(Sinks.discard());
  const graph = buildJobGraph(e.graph.nodes, 2);
  assert.equal(graph.vertices.length, 1);
  assert.deepEqual(
    graph.vertices[0]!.operators.map((op) => op.node.kind),
    ["source", "one-input", "one-input", "sink"],
  );
  assert.equal(graph.edges.length, 0);
});

test("keyBy, shuffle, global and broadcast break chains with the matching partitioning", () => {
  const e = env(3);
  const source = e.fromCollection([1, 2, 3]);
  source
    .keyBy((n) => n % 2)
    .map((n) => n)
    .toSink(Sinks.discard());
  source
    .shuffle()
    .map((n) => n)
    .toSink(Sinks.discard());
  source
    .global()
    .map((n) => n)
    .toSink(Sinks.discard());
  source.connectAndProcess(source.broadcast(), {
    processRecordFromNonBroadcastInput() {},
    processRecordFromBroadcastInput() {},
  });
  const graph = buildJobGraph(e.graph.nodes, 3);
  assert.deepEqual(
    graph.edges.map((edge) => edge.partitioning),
    ["hash", "rebalance", "global", "forward", "broadcast"],
  );
  const global = graph.vertices[graph.edges[2]!.targetVertex]!;
  assert.equal(global.parallelism, 1, "operators on a global stream run at parallelism 1");
  // The broadcast-input operator is a two-input head: its forward input is a network edge too.
  assert.equal(graph.edges[3]!.targetInput, 0);
  assert.equal(graph.edges[4]!.targetInput, 1);
});

test("a forward edge between different parallelisms becomes rebalance, or hash when keyed", () => {
  const e = env(2);
  const doubled = e
    .fromCollection([1, 2])
    .map((n) => n * 2)
    .withParallelism(3);
  doubled.toSink(Sinks.discard());
  e.fromCollection([1])
    .keyBy((n) => n)
    .process({ processRecord() {} }, (n: number) => n)
    .withParallelism(2)
    .process({ processRecord() {} })
    .withParallelism(4);
  const graph = buildJobGraph(e.graph.nodes, 2);
  const partitionings = graph.edges.map((edge) => edge.partitioning);
  assert.ok(partitionings.includes("rebalance"));
  assert.equal(partitionings.filter((p) => p === "hash").length, 2);
});

test("two-output functions route each output separately", () => {
  const e = env(1);
  const split = e.fromCollection([1, 2]).processTwoOutput<number, string>({ processRecord() {} });
  split.first.toSink(Sinks.discard());
  split.second.keyBy((s) => s).toSink(Sinks.discard());
  const graph = buildJobGraph(e.graph.nodes, 1);
  const twoOutput = graph.vertices[0]!.operators.find((op) => op.node.kind === "two-output")!;
  assert.equal(twoOutput.outputs[0]!.chained.length, 1);
  assert.equal(twoOutput.outputs[1]!.network.length, 1);
});

test("the translation is deterministic and ids come from uids when given", () => {
  const build = () => {
    const e = env(2);
    e.fromSource(
      Sources.generator((i) => i, { count: 10 }),
      "gen",
    )
      .map((n) => n)
      .withUid("mapper")
      .keyBy((n) => n)
      .reduce((a, b) => a + b)
      .toSink(Sinks.discard());
    return buildJobGraph(e.graph.nodes, 2);
  };
  const a = build();
  const b = build();
  assert.deepEqual(
    a.vertices.map((v) => v.operators.map((op) => op.operatorId)),
    b.vertices.map((v) => v.operators.map((op) => op.operatorId)),
  );
  assert.ok(a.vertices.flatMap((v) => v.operators).some((op) => op.operatorId === "mapper"));
  assert.equal(a.bounded, true);
});

test("default max parallelism follows Flink: at least 128, 1.5x rounded up to a power of two", () => {
  assert.equal(defaultMaxParallelism(1), 128);
  assert.equal(defaultMaxParallelism(100), 256);
  assert.equal(defaultMaxParallelism(1000), 2048);
  assert.equal(defaultMaxParallelism(30000), 32768);
});

test("configuration handles validate their arguments", () => {
  const e = env();
  const stream = e.fromCollection([1]);
  assert.throws(
    () => stream.map((n) => n).withParallelism(0),
    /withParallelism of "Map" must be a positive integer/,
  );
  assert.throws(() => stream.map((n) => n).withMaxParallelism(40000), /must be at most 32768/);
  assert.throws(
    () =>
      stream
        .global()
        .map((n) => n)
        .withParallelism(2),
    /global stream and must have parallelism 1/,
  );
  assert.throws(() => stream.map((n) => n).withName(""), /non-empty string/);
  assert.throws(
    () => stream.process({} as never),
    /process expects a process function with a processRecord\(\) method/,
  );
  assert.throws(() => e.setExecutionMode("FAST" as never), /unknown execution mode "FAST"/);
});
