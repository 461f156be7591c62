/**
 * Runs a source's split enumerator on the coordinator and relays between it and the readers:
 * split requests in, split assignments and no-more-splits out. Calls into the enumerator are
 * serialized by the coordinator's single thread.
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

  constructor(options: {
    vertex: number;
    node: SourceNode;
    parallelism: number;
    send: (slot: number, message: ToSlot) => void;
    /** Enumerator state from a checkpoint: restore instead of creating afresh. */
    restoredState?: unknown;
  }) {
    this.vertex = options.vertex;
    this.#name = options.node.name;
    const { vertex, send } = options;
    const context: SplitEnumeratorContext<SourceSplit> = {
      parallelism: options.parallelism,
      registeredReaders: () => [...this.#registered].sort((a, b) => a - b),
      assignSplits: (subtask, splits) => {
        this.#checkSubtask(subtask, options.parallelism);
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
    return structuredClone(this.#enumerator.snapshotState(checkpointId));
  }

  async close(): Promise<void> {
    await this.#enumerator.close();
  }
}
