/**
 * The collect sink: sends records to the job client (the caller of `execute()`), one message per
 * input batch. For tests and small results.
 * @module
 */

import type { OperatorEnvironment } from "./operator-environment.ts";
import type { OperatorSnapshot, StreamOperator } from "./stream-operator.ts";

export class CollectSinkOperator implements StreamOperator {
  readonly name: string;
  readonly operatorId: string;
  readonly #env: OperatorEnvironment;
  readonly #collectName: string;
  #buffer: unknown[] = [];

  constructor(options: { name: string; operatorId: string; env: OperatorEnvironment; collectName: string }) {
    this.name = options.name;
    this.operatorId = options.operatorId;
    this.#env = options.env;
    this.#collectName = options.collectName;
  }

  open(): void {}

  processRecord1(record: unknown): void {
    this.#buffer.push(record);
  }

  processRecord2(): void {
    throw new Error(`${this.name}: a sink has one input`);
  }

  endOfBatch(): void {
    if (this.#buffer.length === 0) return;
    this.#env.sendCollected(this.#collectName, this.#buffer);
    this.#buffer = [];
  }

  /** Sinks end the pipeline: watermarks stop here. */
  processWatermark(): void {}

  endInput(): void {}

  finish(): void {
    this.endOfBatch();
  }

  close(): void {}
  fireProcessingTimers(): void {}

  snapshotState(): OperatorSnapshot {
    return { operatorId: this.operatorId, keyed: {}, operator: {} };
  }

  restoreState(): void {}
}
