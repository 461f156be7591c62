/**
 * Runs a {@link SinkWriter}. Records are buffered for the duration of one input batch and written
 * with one `write` call at the batch's end. A write that returns a promise pauses the task's input
 * until it settles, and writes never overlap: that is how a slow sink backpressures its sources.
 *
 * At the end of input the writer is flushed. Without checkpointing its committables are committed
 * then. With checkpointing they are pre-committed in the next checkpoint the ended task takes part
 * in and committed when it completes, like any other: committing at the end would publish output
 * that a failure of a task still running (which restores the last checkpoint, before this output)
 * makes the job produce again.
 * @module
 */

import type { Committer, Sink, SinkWriter } from "@weir/api";
import { wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { OperatorSnapshot, StreamOperator } from "./stream-operator.ts";

export class SinkWriterOperator implements StreamOperator {
  readonly name: string;
  readonly operatorId: string;
  readonly #env: OperatorEnvironment;
  readonly #writer: SinkWriter<unknown, unknown>;
  readonly #committer: Committer<unknown> | undefined;
  #buffer: unknown[] = [];
  #inFlight: Promise<void> | undefined;
  /** Pre-committed committables by checkpoint id, awaiting the checkpoint's completion. */
  readonly #pending = new Map<number, unknown[]>();
  /** The input ended: the writer's flushes are final (`flush(true)`). */
  #inputEnded = false;

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    sink: Sink<unknown, unknown>;
  }) {
    this.name = options.name;
    this.operatorId = options.operatorId;
    this.#env = options.env;
    const info = options.env.taskInfo;
    try {
      this.#writer = options.sink.createWriter({
        indexOfSubtask: info.indexOfThisSubtask,
        parallelism: info.parallelism,
        attemptNumber: info.attemptNumber,
      });
      this.#committer = options.sink.createCommitter?.();
    } catch (error) {
      wrapUserError(`${this.name} (createWriter)`, error);
    }
  }

  processRecord1(record: unknown): void {
    this.#buffer.push(record);
  }

  processRecord2(): void {
    throw new Error(`${this.name}: a sink has one input`);
  }

  endOfBatch(): void {
    if (this.#buffer.length === 0 || this.#inFlight !== undefined) return;
    this.#writeBuffer();
  }

  #writeBuffer(): void {
    const records = this.#buffer;
    this.#buffer = [];
    let result: void | Promise<void>;
    try {
      result = this.#writer.write(records);
    } catch (error) {
      wrapUserError(this.name, error);
    }
    if (result === undefined || typeof (result as Promise<void>).then !== "function") return;
    const inFlight = Promise.resolve(result).then(
      () => {
        this.#inFlight = undefined;
        // Records that arrived while the write was in flight go next, in order.
        if (this.#buffer.length > 0) this.#writeBuffer();
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        wrapUserError(this.name, error);
      },
    );
    this.#inFlight = inFlight;
    this.#env.blockOn(inFlight, `${this.name} write`);
  }

  /** Sinks end the pipeline: watermarks stop here. */
  processWatermark(): void {}

  endInput(): void {}

  /** Writes what is buffered, flushes, and returns the writer's committables (pre-commit). */
  async #flushAndPrepare(): Promise<readonly unknown[]> {
    await this.#flush();
    try {
      return (await this.#writer.prepareCommit?.()) ?? [];
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  /** Writes what is buffered and flushes the writer. */
  async #flush(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    try {
      if (this.#buffer.length > 0) {
        const records = this.#buffer;
        this.#buffer = [];
        await this.#writer.write(records);
      }
      await this.#writer.flush(this.#inputEnded);
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  async #commit(committables: readonly unknown[]): Promise<void> {
    if (this.#committer === undefined || committables.length === 0) return;
    try {
      await this.#committer.commit(committables);
    } catch (error) {
      wrapUserError(`${this.name} (commit)`, error);
    }
  }

  /** Pre-commit at the barrier: what is flushed now is committed when the checkpoint completes. */
  async prepareSnapshotPreBarrier(checkpointId: number): Promise<void> {
    const committables = await this.#flushAndPrepare();
    if (committables.length > 0) this.#pending.set(checkpointId, [...committables]);
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    // A completed checkpoint also covers earlier ones whose notification was lost or skipped.
    for (const [id, committables] of [...this.#pending]) {
      if (id > checkpointId) continue;
      await this.#commit(committables);
      this.#pending.delete(id);
    }
  }

  async finish(): Promise<void> {
    this.#inputEnded = true;
    // With checkpointing, the ended task's next checkpoint pre-commits (see the module comment).
    if (this.#env.checkpointing === true) return this.#flush();
    const committables = await this.#flushAndPrepare();
    for (const pending of this.#pending.values()) await this.#commit(pending);
    this.#pending.clear();
    await this.#commit(committables);
  }

  async close(): Promise<void> {
    try {
      await this.#writer.close();
      await this.#committer?.close?.();
    } catch (error) {
      wrapUserError(`${this.name} (close)`, error);
    }
  }

  fireProcessingTimers(): void {}

  /** The committables not yet committed (this checkpoint's included): re-committed on restore. */
  snapshotState(): OperatorSnapshot {
    return {
      operatorId: this.operatorId,
      keyed: {},
      operator: {},
      extra: structuredClone([...this.#pending]),
    };
  }

  /**
   * Committables of a checkpoint that completed but may not have been committed before the failure:
   * committing them again is safe, since committers must be idempotent.
   */
  restoreState(snapshot: OperatorSnapshot): void {
    const pending = (snapshot.extra ?? []) as [number, unknown[]][];
    for (const [id, committables] of pending) this.#pending.set(id, committables);
  }

  async open(): Promise<void> {
    const restored = [...this.#pending.values()];
    this.#pending.clear();
    for (const committables of restored) await this.#commit(committables);
  }
}
