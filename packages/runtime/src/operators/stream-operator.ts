/**
 * The runtime's operator contract: what a task calls on each operator of its chain. User code never
 * sees this type; process functions are wrapped by operators.
 *
 * Call sequence for one operator, as the task drives it:
 * ```text
 * restoreState(s)?           // only when recovering; before open
 * open()
 * processRecord1/2(r, ts)*   // interleaved with processWatermark, fireProcessingTimers(now), endOfBatch()
 * endInput(0) [endInput(1)]  // each input once, when it is exhausted (bounded inputs)
 * finish()                   // after all inputs ended: flush what is buffered, emit final results
 * close()                    // always, also after failure or cancellation
 * ```
 * `snapshotState(id)` may be called between any two record calls; it must capture everything
 * needed to resume exactly after the last processed record, and nothing after it.
 * @module
 */

import type { Watermark } from "@weir/api";

/** State of one operator instance in a snapshot: plain data, keyed by state name. */
export interface OperatorSnapshot {
  readonly operatorId: string;
  /** Keyed state as [key, value] pairs per state name; rescaling re-partitions them by key group. */
  readonly keyed: Record<string, [unknown, unknown][]>;
  /** Non-keyed state per state name, with how it is redistributed on rescale. */
  readonly operator: Record<string, { readonly redistribution: string; readonly value: unknown }>;
  /** Processing-time timers as [timestamp, key] pairs (keyed operators); they move with their key. */
  readonly timers?: [number, unknown][];
  /** Event-time timers as [timestamp, key] pairs (functions wrapped by the event-time extension). */
  readonly eventTimers?: [number, unknown][];
  /** Keyed states whose stored values carry TTL timestamps (a restore must declare them with a TTL). */
  readonly ttlStates?: readonly string[];
  /** Operator-specific extras (e.g. a source reader's splits). */
  readonly extra?: unknown;
}

export interface StreamOperator {
  /** For errors and metrics. */
  readonly name: string;
  /** Stable id under which the operator's state is snapshotted and restored. */
  readonly operatorId: string;
  open(): void | Promise<void>;
  processRecord1(record: unknown, timestamp: number): void;
  processRecord2(record: unknown, timestamp: number): void;
  /** The task finished handing over one input batch (or source poll); sinks write here. */
  endOfBatch(): void;
  /** A combined watermark of input 0 or 1 changed (already combined over that input's channels). */
  processWatermark(input: 0 | 1, watermark: Watermark): void;
  endInput(input: 0 | 1): void;
  finish(): void | Promise<void>;
  close(): void | Promise<void>;
  /**
   * Called at a checkpoint barrier before the snapshot, while input is paused: flush buffers that
   * must be part of the checkpoint (a sink's pre-commit). May be async; the barrier waits.
   */
  prepareSnapshotPreBarrier?(checkpointId: number): void | Promise<void>;
  /** Checkpoint `checkpointId` completed everywhere: publish what it covers (a sink's commit). */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** Fires processing-time timers due at `now`. */
  fireProcessingTimers(now: number): void;
  snapshotState(checkpointId: number): OperatorSnapshot;
  restoreState(snapshot: OperatorSnapshot): void;
}
