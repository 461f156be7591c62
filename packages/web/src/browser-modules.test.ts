/**
 * The dashboard's DOM-free browser modules, run in Node: the graph layout (every edge points to a
 * later column, whatever the DAG) and the formatting of durations, sizes and backpressure.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { backpressureLevel, formatBytes, formatDuration, formatWatermark } from "../assets/format.js";
import { layerOf } from "../assets/job-graph.js";

/** A random DAG: edges only from a lower to a higher id, given in shuffled order. */
const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc
    .array(
      fc
        .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }))
        .map(([a, b]) => ({ source: Math.min(a, b), target: Math.max(a, b) })),
      { maxLength: 30 },
    )
    .map((pairs) => pairs.filter((e) => e.source !== e.target))
    .chain((edges) => fc.shuffledSubarray(edges, { minLength: edges.length }))
    .map((edges) => ({ n, edges })),
);

const vertex = (id: number) => ({
  id,
  name: `v${id}`,
  parallelism: 1,
  maxParallelism: 128,
  operators: [],
  metrics: {
    "read-records": 0,
    "write-records": 0,
    "read-records-per-second": 0,
    "write-records-per-second": 0,
    "backpressure-ratio": 0,
  },
});

test("the layout puts every edge's target in a later column than its source", () => {
  fc.assert(
    fc.property(dag, ({ n, edges }) => {
      const vertices = Array.from({ length: n }, (_, id) => vertex(id));
      const partitioned = edges.map((e, id) => ({ id, ...e, partitioning: "hash" }));
      const layer = layerOf(vertices, partitioned);
      assert.equal(layer.size, n);
      for (const e of edges) assert.ok(layer.get(e.target)! > layer.get(e.source)!, JSON.stringify(e));
      // Sources (no incoming edge) start the first column.
      for (let id = 0; id < n; id++) if (!edges.some((e) => e.target === id)) assert.equal(layer.get(id), 0);
    }),
  );
});

test("a diamond takes three columns", () => {
  const edges = [
    { id: 0, source: 0, target: 1, partitioning: "forward" },
    { id: 1, source: 0, target: 2, partitioning: "hash" },
    { id: 2, source: 1, target: 3, partitioning: "forward" },
    { id: 3, source: 2, target: 3, partitioning: "forward" },
    { id: 4, source: 0, target: 3, partitioning: "rebalance" },
  ];
  assert.deepEqual(
    [...layerOf([0, 1, 2, 3].map(vertex), edges)],
    [
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 2],
    ],
  );
});

test("durations, sizes and watermarks read as a person would write them", () => {
  assert.equal(formatDuration(250), "250 ms");
  assert.equal(formatDuration(59_999), "59s");
  assert.equal(formatDuration(3_725_000), "1h 2m 5s");
  assert.equal(formatDuration(-1), "—");
  assert.equal(formatBytes(729), "729 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(5 * 1024 ** 3), "5.0 GiB");
  assert.equal(formatWatermark(Date.UTC(2026, 10, 23, 14, 0, 0, 5)), "2026-11-23 14:00:00.005");
  assert.equal(formatWatermark(-(2 ** 63)), "—");
  assert.equal(formatWatermark(undefined), "—");
});

test("backpressure levels follow Flink's thresholds (10 % and 50 %)", () => {
  assert.deepEqual([0, 0.1, 0.11, 0.5, 0.51, 1].map(backpressureLevel), [
    "ok",
    "ok",
    "low",
    "low",
    "high",
    "high",
  ]);
});
