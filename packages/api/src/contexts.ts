/**
 * Contexts handed to process functions (FLIP-410). A context is split in two:
 * - a {@link PartitionedContext} while one partition (one key, or one subtask on non-keyed streams)
 *   is being processed: state, processing-time timers, the current key;
 * - a {@link NonPartitionedContext} where no single partition is current (open, end of input,
 *   the broadcast side): job and task information and `applyToAllPartitions`.
 * @module
 */

import type { ExecutionMode } from "./execution-mode.ts";
import type { KeyValue } from "./key.ts";
import type { StateManager } from "./state.ts";
import type { WatermarkManager } from "./watermark.ts";

/** The record sink a process function writes to. @public */
export interface Collector<T> {
  /** Emits a record downstream. It keeps the timestamp of the record or timer being processed. */
  collect(record: T): void;
  /** Emits a record with an explicit timestamp (milliseconds since the epoch). */
  collectAndOverwriteTimestamp(record: T, timestamp: number): void;
}

/** Facts about the running job. @public */
export interface JobInfo {
  /** The name given to `execute()`, or the job module's file name. */
  readonly jobName: string;
  /** The mode the job runs in. */
  readonly executionMode: ExecutionMode;
}

/** Facts about the parallel instance (subtask) running the function. @public */
export interface TaskInfo {
  /** The operator's name, as given by `withName` or derived from the function. */
  readonly taskName: string;
  /** Number of parallel instances of the operator. */
  readonly parallelism: number;
  /** Number of key groups of the operator. */
  readonly maxParallelism: number;
  /** 0-based index of this subtask. */
  readonly indexOfThisSubtask: number;
  /** 0 for the first run; increases with each restart after a failure. */
  readonly attemptNumber: number;
}

/** What every context can tell. @public */
export interface RuntimeContext {
  /** Facts about the job. */
  readonly jobInfo: JobInfo;
  /** Facts about this parallel instance. */
  readonly taskInfo: TaskInfo;
}

/**
 * Processing-time timers, available on keyed streams only (a timer belongs to a key).
 *
 * Contract: a timer fires once, after the wall clock reaches `timestamp`, as a call to
 * `onProcessingTimer` with the key it was registered for as the current key. Registering the same
 * (key, timestamp) twice yields one firing. Timers fire in timestamp order per subtask. Timers run
 * through the task mailbox, never concurrently with a record. When a bounded input ends, timers
 * that have not fired yet are dropped (processing time has no meaning past the end of the data).
 * @public
 */
export interface ProcessingTimeManager {
  /** Registers a timer for the current key at `timestamp` (milliseconds since the epoch). */
  registerTimer(timestamp: number): void;
  /** Removes the current key's timer at `timestamp`, if any. */
  deleteTimer(timestamp: number): void;
  /** The processing time the runtime uses, in milliseconds since the epoch. */
  currentTime(): number;
}

/**
 * Called once per partition by {@link NonPartitionedContext.applyToAllPartitions}: once for each key
 * that has state on a keyed stream, once for the subtask on other streams.
 * @public
 */
export type ApplyPartitionFunction<OUT, K extends KeyValue = KeyValue> = (
  output: Collector<OUT>,
  ctx: PartitionedContext<OUT, K>,
) => void;

/** Context where no single partition is current. @public */
export interface NonPartitionedContext<OUT, K extends KeyValue = KeyValue> extends RuntimeContext {
  /**
   * Runs `fn` for every partition of this subtask: each key with state on keyed streams, the subtask
   * itself otherwise. Records `fn` collects go to the function's output.
   */
  applyToAllPartitions(fn: ApplyPartitionFunction<OUT, K>): void;
  /**
   * State that belongs to the subtask rather than to a key: broadcast state, and any state declared
   * on a non-keyed stream. Keyed state throws here, since no key is current.
   */
  readonly stateManager: StateManager<never>;
  /** Emits declared watermarks downstream, in order with the records emitted so far. */
  readonly watermarkManager: WatermarkManager;
}

/** Context while one partition (key or subtask) is being processed. @public */
export interface PartitionedContext<OUT, K extends KeyValue = KeyValue> extends RuntimeContext {
  /** State of the current partition (the current key on keyed streams). */
  readonly stateManager: StateManager<K>;
  /** Throws on non-keyed streams: processing-time timers need a key. */
  readonly processingTimeManager: ProcessingTimeManager;
  /** The context of the whole subtask, e.g. to reach every partition. */
  readonly nonPartitionedContext: NonPartitionedContext<OUT, K>;
}

/** The two collectors of a two-output function, for `applyToAllPartitions`. @public */
export type TwoOutputApplyPartitionFunction<OUT1, OUT2, K extends KeyValue = KeyValue> = (
  output1: Collector<OUT1>,
  output2: Collector<OUT2>,
  ctx: PartitionedContext<OUT1, K>,
) => void;

/** Non-partitioned context of a two-output function. @public */
export interface TwoOutputNonPartitionedContext<OUT1, OUT2, K extends KeyValue = KeyValue>
  extends RuntimeContext {
  applyToAllPartitions(fn: TwoOutputApplyPartitionFunction<OUT1, OUT2, K>): void;
  /** Emits declared watermarks to both outputs. */
  readonly watermarkManager: WatermarkManager;
}
