/**
 * A fingerprint of a job graph's shape. Every worker rebuilds the graph from the job module; the
 * coordinator compares fingerprints so a module that builds differently in different threads (it
 * read the clock or randomness while building) fails fast with a clear error instead of wiring
 * mismatched channels.
 * @module
 */

import type { JobGraph } from "./job-graph.ts";

export function graphFingerprint(graph: JobGraph): string {
  return JSON.stringify({
    v: graph.vertices.map((v) => [
      v.name,
      v.parallelism,
      v.maxParallelism,
      v.operators.map((o) => [o.node.kind, o.operatorId]),
    ]),
    e: graph.edges.map((e) => [
      e.sourceVertex,
      e.sourceNode,
      e.sourceOutput,
      e.targetVertex,
      e.targetNode,
      e.targetInput,
      e.partitioning,
    ]),
  });
}
