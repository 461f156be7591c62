/**
 * The split enumerators of one attempt: a {@link SourceCoordinator} per source vertex, started
 * when every slot is ready, consulted at each checkpoint trigger and completion, and told which
 * readers a region failover restarted.
 *
 * Invariant: enumerators start in vertex order, each from its state in the restored checkpoint
 * (fresh without one), and one that started is closed when the attempt ends, even if a later one
 * failed to start; once the attempt's set is closed, no further enumerator starts. A full restart
 * builds a new set; a region restart keeps the set and resets only the restarted readers, so their
 * splits assigned after the restore point go back to the enumerator.
 * @module
 */

import type { JobGraph } from "../graph/job-graph.ts";
import type { SourceNode } from "../graph/transformation.ts";
import type { ToSlot } from "../rpc/messages.ts";
import type { CompletedCheckpoint } from "./checkpoint-coordinator.ts";
import { SourceCoordinator } from "./source-coordinator.ts";

export class JobSources {
  readonly #sources = new Map<number, SourceCoordinator>();
  #closed = false;

  /**
   * Creates and starts the enumerator of every source vertex of `graph`, restored from
   * `checkpoint` when given; `send` reaches a slot. Rejects with the first enumerator that fails.
   */
  async start(
    graph: JobGraph,
    checkpoint: CompletedCheckpoint | undefined,
    send: (slot: number, message: ToSlot) => void,
  ): Promise<void> {
    for (const vertex of graph.vertices) {
      // The attempt ended while an earlier enumerator started: start no more (none would be closed).
      if (this.#closed) return;
      const head = vertex.operators[0]!.node;
      if (head.kind !== "source") continue;
      const coordinator = new SourceCoordinator({
        vertex: vertex.id,
        node: head as SourceNode,
        parallelism: vertex.parallelism,
        send,
        restoredState: checkpoint?.enumerators.get(vertex.id),
        restoredCheckpointId: checkpoint?.checkpointId ?? 0,
      });
      // Registered before it starts: closing the attempt closes it even if its start fails.
      this.#sources.set(vertex.id, coordinator);
      await coordinator.start();
    }
  }

  /** Reader `subtask` of source vertex `vertex` asks for a split. */
  splitRequest(vertex: number, subtask: number): void {
    this.#sources.get(vertex)?.handleSplitRequest(subtask);
  }

  /** The enumerators' states at checkpoint `checkpointId`'s trigger, by vertex. */
  snapshot(checkpointId: number): Map<number, unknown> {
    const states = new Map<number, unknown>();
    for (const [vertex, source] of this.#sources) states.set(vertex, source.snapshotState(checkpointId));
    return states;
  }

  checkpointCompleted(checkpointId: number): void {
    for (const source of this.#sources.values()) source.checkpointCompleted(checkpointId);
  }

  /** The readers in `slots` restart from checkpoint `checkpointId` (0: from nothing). */
  slotsReset(graph: JobGraph, slots: readonly number[], checkpointId: number): void {
    for (const [vertex, source] of this.#sources) {
      const parallelism = graph.vertices[vertex]!.parallelism;
      for (const slot of slots) if (slot < parallelism) source.subtaskReset(slot, checkpointId);
    }
  }

  /** Closes every enumerator; a failure to close one does not stop the others. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const source of this.#sources.values()) await source.close().catch(() => {});
  }
}
