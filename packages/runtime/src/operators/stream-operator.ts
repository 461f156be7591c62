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
 * needed to resume exactly after the last processed record, and nothing after it. It runs
 * synchronously at the barrier; what it leaves for later (an upload) is its `asyncPart`.
 * @module
 */

import type { Watermark } from "@weir/api";
import type { KeyedStateHandle } from "../state/keyed-state-handle.ts";

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
  /**
   * Taken after the operator finished (its task's input ended): restored, it does not run again
   * (Flink's fully finished operator state). After rescaling, only if every old subtask's was.
   */
  readonly finished?: boolean;
  /**
   * Keyed state the worker wrote to checkpoint storage (on-disk backends): one handle per old
   * subtask whose key groups this snapshot covers (several after rescaling). `keyed` is then empty.
   */
  readonly keyedHandles?: readonly KeyedStateHandle[];
  /**
   * The asynchronous part of the snapshot (encoding and upload), never serialized: the worker
   * replaces the snapshot by what it resolves to ({@link completeSnapshot}) before acknowledging.
   */
  readonly asyncPart?: Promise<OperatorSnapshot>;
}

/**
 * The snapshot with its asynchronous part done: resolves when an on-disk backend finished
 * uploading; a rejection means the checkpoint cannot complete (the job goes on).
 */
export function completeSnapshot(snapshot: OperatorSnapshot): Promise<OperatorSnapshot> {
  return snapshot.asyncPart ?? Promise.resolve(snapshot);
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
  /** Restores state before `open`; may be async (on-disk state is read from checkpoint storage). */
  restoreState(snapshot: OperatorSnapshot): void | Promise<void>;
  /**
   * The keys of the next batch of input `input`, before the batch is processed, so an on-disk
   * state backend can warm its cache. Optional; only keyed operators implement it.
   */
  prefetchBatch?(input: 0 | 1, records: readonly unknown[], count: number): void;
}
