/**
 * Runs a {@link SourceReader} as the head of a chain. The task calls {@link SourceOperator.poll}
 * whenever its outputs have credit; each poll emits up to one batch of records into the chain.
 * @module
 */

import {
  InputStatus,
  type ReaderOutput,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type Watermark,
  type WatermarkDeclaration,
} from "@weir/api";
import { NO_TIMESTAMP } from "../exchange/batch.ts";
import { misuse, wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import type { OperatorSnapshot, StreamOperator } from "./stream-operator.ts";

export class SourceOperator implements StreamOperator, ReaderOutput<unknown> {
  readonly name: string;
  readonly operatorId: string;
  readonly #reader: SourceReader<unknown, SourceSplit>;
  readonly #output: Output;
  readonly #watermarks: ReadonlyMap<string, WatermarkDeclaration>;

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    source: Source<unknown, SourceSplit, unknown>;
    output: Output;
  }) {
    this.name = options.name;
    this.operatorId = options.operatorId;
    this.#output = options.output;
    this.#watermarks = options.env.watermarks;
    const env = options.env;
    const context: SourceReaderContext = {
      indexOfSubtask: env.taskInfo.indexOfThisSubtask,
      parallelism: env.taskInfo.parallelism,
      batchSizeHint: env.batchSize,
      sendSplitRequest: () => env.requestSplit(),
      currentTime: () => env.clock.now(),
    };
    try {
      this.#reader = options.source.createReader(context);
    } catch (error) {
      wrapUserError(`${this.name} (createReader)`, error);
    }
  }

  collect(record: unknown): void {
    this.#output.collect(record, NO_TIMESTAMP);
  }

  collectWithTimestamp(record: unknown, timestamp: number): void {
    this.#output.collect(record, timestamp);
  }

  emitWatermark(watermark: Watermark): void {
    const declared = this.#watermarks.get(watermark?.identifier);
    if (declared === undefined || declared.kind !== watermark.kind) {
      throw misuse(
        this.name,
        `emitted watermark ${JSON.stringify(watermark?.identifier)}, which the source does not declare`,
      );
    }
    this.#output.emitWatermark(watermark);
  }

  processWatermark(): void {
    throw new Error(`${this.name}: a source has no input`);
  }

  async open(): Promise<void> {
    try {
      await this.#reader.start();
    } catch (error) {
      wrapUserError(`${this.name} (start)`, error);
    }
  }

  /** Emits the next records; the status says whether to poll again, wait, or finish. */
  poll(): InputStatus {
    let status: InputStatus;
    try {
      status = this.#reader.pollNext(this);
    } catch (error) {
      wrapUserError(this.name, error);
    }
    if (
      status !== InputStatus.MORE_AVAILABLE &&
      status !== InputStatus.NOTHING_AVAILABLE &&
      status !== InputStatus.END_OF_INPUT
    ) {
      throw new Error(`${this.name}: pollNext returned ${JSON.stringify(status)}, expected an InputStatus`);
    }
    return status;
  }

  isAvailable(): Promise<void> {
    return this.#reader.isAvailable();
  }

  addSplits(splits: readonly SourceSplit[]): void {
    try {
      this.#reader.addSplits(splits);
    } catch (error) {
      wrapUserError(`${this.name} (addSplits)`, error);
    }
  }

  notifyNoMoreSplits(): void {
    this.#reader.notifyNoMoreSplits();
  }

  processRecord1(): void {
    throw new Error(`${this.name}: a source has no input`);
  }

  processRecord2(): void {
    throw new Error(`${this.name}: a source has no input`);
  }

  endOfBatch(): void {}
  endInput(): void {}
  finish(): void {}

  async close(): Promise<void> {
    try {
      await this.#reader.close();
    } catch (error) {
      wrapUserError(`${this.name} (close)`, error);
    }
  }

  fireProcessingTimers(): void {}

  snapshotState(checkpointId: number): OperatorSnapshot {
    return {
      operatorId: this.operatorId,
      keyed: {},
      operator: {},
      extra: this.#reader.snapshotState(checkpointId),
    };
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    try {
      await this.#reader.notifyCheckpointComplete?.(checkpointId);
    } catch (error) {
      wrapUserError(`${this.name} (notifyCheckpointComplete)`, error);
    }
  }

  restoreState(snapshot: OperatorSnapshot): void {
    const splits = snapshot.extra as readonly SourceSplit[] | undefined;
    if (splits !== undefined && splits.length > 0) this.#reader.addSplits(splits);
  }
}
