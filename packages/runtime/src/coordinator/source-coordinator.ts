/**
 * Runs a source's split enumerator on the coordinator and relays between it and the readers:
 * split requests in, split assignments and no-more-splits out. Calls into the enumerator are
 * serialized by the coordinator's single thread.
 *
 * Region failover (Flink's SplitAssignmentTracker): the enumerator is not reset when only some
 * readers restart. Splits assigned after checkpoint c was triggered are in neither the
 * enumerator's state of c nor the readers' (a reader gets `add-splits` before the barrier, over
 * the same ordered channel), so when a reader restores from c they go back to the enumerator
 * (`addSplitsBack`). Sequence: trigger 4 -> assign s7 to reader 1 (tagged 4) -> checkpoint 4
 * completes (assignments tagged below 4 are forgotten) -> reader 1 fails -> restore from 4 ->
 * addSplitsBack([s7], 1); the reader re-registers and asks for splits again (`addReader`).
 * @module
 */

import type { SourceSplit, SplitEnumerator, SplitEnumeratorContext } from "@weir/api";
import type { SourceNode } from "../graph/transformation.ts";
import type { ToSlot } from "../rpc/messages.ts";

export class SourceCoordinator {
  readonly vertex: number;
  readonly #enumerator: SplitEnumerator<SourceSplit, unknown>;
  readonly #registered = new Set<number>();
  readonly #name: string;
  /** Splits assigned since a checkpoint, each tagged with the latest checkpoint triggered before it. */
  #assignments: { readonly after: number; readonly subtask: number; readonly splits: SourceSplit[] }[] = [];
  #lastTriggered: number;

  constructor(options: {
    vertex: number;
    node: SourceNode;
    parallelism: number;
    send: (slot: number, message: ToSlot) => void;
    /** Enumerator state from a checkpoint: restore instead of creating afresh. */
    restoredState?: unknown;
    /** The id of the checkpoint `restoredState` comes from (0 on a fresh start). */
    restoredCheckpointId?: number;
  }) {
    this.#lastTriggered = options.restoredCheckpointId ?? 0;
    this.vertex = options.vertex;
    this.#name = options.node.name;
    const { vertex, send } = options;
    const context: SplitEnumeratorContext<SourceSplit> = {
      parallelism: options.parallelism,
      registeredReaders: () => [...this.#registered].sort((a, b) => a - b),
      assignSplits: (subtask, splits) => {
        this.#checkSubtask(subtask, options.parallelism);
        this.#assignments.push({ after: this.#lastTriggered, subtask, splits: [...splits] });
        send(subtask, { type: "add-splits", vertex, subtask, splits: [...splits] });
      },
      signalNoMoreSplits: (subtask) => {
        this.#checkSubtask(subtask, options.parallelism);
        send(subtask, { type: "no-more-splits", vertex, subtask });
      },
    };
    const source = options.node.source;
    this.#enumerator = (
      options.restoredState === undefined
        ? source.createEnumerator(context)
        : source.restoreEnumerator(context, options.restoredState)
    ) as SplitEnumerator<SourceSplit, unknown>;
  }

  #checkSubtask(subtask: number, parallelism: number): void {
    if (!Number.isInteger(subtask) || subtask < 0 || subtask >= parallelism) {
      throw new RangeError(
        `${this.#name}: enumerator addressed subtask ${subtask}, but parallelism is ${parallelism}`,
      );
    }
  }

  async start(): Promise<void> {
    await this.#enumerator.start();
  }

  handleSplitRequest(subtask: number): void {
    if (!this.#registered.has(subtask)) {
      this.#registered.add(subtask);
      this.#enumerator.addReader(subtask);
    }
    this.#enumerator.handleSplitRequest(subtask);
  }

  snapshotState(checkpointId: number): unknown {
    this.#lastTriggered = checkpointId;
    return structuredClone(this.#enumerator.snapshotState(checkpointId));
  }

  /** Checkpoint `checkpointId` completed: assignments before its trigger are in its reader states. */
  checkpointCompleted(checkpointId: number): void {
    this.#assignments = this.#assignments.filter((a) => a.after >= checkpointId);
  }

  /**
   * Reader `subtask` restarts alone, restored from checkpoint `checkpointId` (0: from nothing):
   * the splits it got since then go back to the enumerator, and it registers afresh.
   */
  subtaskReset(subtask: number, checkpointId: number): void {
    const back: SourceSplit[] = [];
    this.#assignments = this.#assignments.filter((a) => {
      if (a.subtask !== subtask || a.after < checkpointId) return true;
      back.push(...a.splits);
      return false;
    });
    this.#registered.delete(subtask);
    if (back.length > 0) this.#enumerator.addSplitsBack(back, subtask);
  }

  async close(): Promise<void> {
    await this.#enumerator.close();
  }
}
