/**
 * Failover regions (Flink's `jobmanager.execution.failover-strategy: region`): which tasks must
 * restart together when one fails. A pipelined region is a connected component of the subtask
 * graph, where two subtasks are connected when a channel runs between them (the worker's own
 * channel rules, {@link receiversOf}): a forward edge joins subtask i to subtask i only, so
 * parallel pipelines stay apart; a hash, rebalance, broadcast or global edge joins every sender it
 * feeds to every receiver, so one keyBy makes its whole neighbourhood one region.
 *
 * The rule implemented, and why it is enough: every exchange in Weir is pipelined (no blocking,
 * replayable result partitions, in STREAMING and BATCH alike), so any channel between two subtasks
 * puts them in the same region. Regions therefore never exchange data, and Flink's extra rule —
 * also restart the regions that consume a restarted region's non-replayable output — never adds a
 * region here: there is no consumer outside the region.
 *
 * Deployment coarsens regions: slot `s` is one worker thread running subtask `s` of every vertex,
 * and a thread restarts as a whole, so regions that share a slot restart together. A failover unit
 * is therefore a set of slots: the union of the regions of all tasks in those slots.
 *
 * Example: source(3) -forward-> map(3) -forward-> sink(3): regions {0/0,1/0,2/0}, {0/1,1/1,2/1},
 * {0/2,1/2,2/2}; units [0], [1], [2]; a failure of map 1/3 restarts slot 1 only. With a keyBy
 * between map and sink, every task is in one region and every failure is a full restart.
 * @module
 */

import type { JobGraph } from "../graph/job-graph.ts";
import { receiversOf } from "../worker/task-builder.ts";

/** The pipelined regions of a job and their deployment units (sets of slots). */
export interface FailoverRegions {
  /** Pipelined regions, each a sorted list of task keys (`vertex/subtask`). */
  readonly regions: readonly (readonly string[])[];
  /** Slots that restart together with `slot` (sorted, `slot` included). */
  slotsRestartingWith(slot: number): readonly number[];
  /** Whether every slot is in one unit (a region failover is then a full restart). */
  readonly single: boolean;
}

class UnionFind {
  readonly #parent: number[];
  constructor(size: number) {
    this.#parent = Array.from({ length: size }, (_, i) => i);
  }
  find(x: number): number {
    let root = x;
    while (this.#parent[root] !== root) root = this.#parent[root]!;
    while (this.#parent[x] !== root) {
      const next = this.#parent[x]!;
      this.#parent[x] = root;
      x = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export function failoverRegions(graph: JobGraph): FailoverRegions {
  // Task index: vertex-major, so task (v, s) is offsets[v] + s.
  const offsets: number[] = [];
  let total = 0;
  for (const vertex of graph.vertices) {
    offsets.push(total);
    total += vertex.parallelism;
  }
  const tasks = new UnionFind(total);
  for (const edge of graph.edges) {
    const senders = graph.vertices[edge.sourceVertex]!.parallelism;
    for (let s = 0; s < senders; s++)
      for (const r of receiversOf(edge, graph, s))
        tasks.union(offsets[edge.sourceVertex]! + s, offsets[edge.targetVertex]! + r);
  }
  const byRoot = new Map<number, string[]>();
  graph.vertices.forEach((vertex, v) => {
    for (let s = 0; s < vertex.parallelism; s++) {
      const root = tasks.find(offsets[v]! + s);
      const list = byRoot.get(root) ?? [];
      list.push(`${v}/${s}`);
      byRoot.set(root, list);
    }
  });
  const regions = [...byRoot.values()];

  // Coarsen to slots: a slot joins every region it hosts a task of.
  const slotCount = Math.max(...graph.vertices.map((v) => v.parallelism));
  const slots = new UnionFind(slotCount);
  for (const region of regions) {
    const first = Number(region[0]!.split("/")[1]);
    for (const task of region) slots.union(first, Number(task.split("/")[1]));
  }
  const units = new Map<number, number[]>();
  for (let s = 0; s < slotCount; s++) {
    const root = slots.find(s);
    const list = units.get(root) ?? [];
    list.push(s);
    units.set(root, list);
  }
  return {
    regions,
    single: units.size === 1,
    slotsRestartingWith: (slot) => units.get(slots.find(slot)) ?? [slot],
  };
}
