/**
 * The split-based source interface (Flink FLIP-27). A source is two cooperating parts:
 * - the {@link SplitEnumerator} runs once per job on the coordinator: it discovers work units
 *   (splits) and assigns them to readers;
 * - a {@link SourceReader} runs in each parallel subtask and turns its splits into records.
 *
 * Sequence for a bounded source with two splits read by one reader:
 * ```text
 * coordinator: enumerator.start()  reader 0 registers  -> enumerator.addReader(0)
 * reader 0:    start()  sendSplitRequest()            -> enumerator.handleSplitRequest(0)
 * coordinator: ctx.assignSplits(0, [s1])              -> reader.addSplits([s1])
 * reader 0:    pollNext(out) ... MORE_AVAILABLE ... (s1 done) sendSplitRequest()
 * coordinator: ctx.assignSplits(0, [s2]); later ctx.signalNoMoreSplits(0) -> reader.notifyNoMoreSplits()
 * reader 0:    pollNext(out) -> END_OF_INPUT           // only after no-more-splits and all splits done
 * ```
 * Splits are plain data: they travel between threads and processes and are stored in checkpoints.
 * @module
 */

import type { Watermark, WatermarkDeclaration } from "./watermark.ts";

/** Whether a source ends. @public */
export const Boundedness = {
  BOUNDED: "BOUNDED",
  CONTINUOUS_UNBOUNDED: "CONTINUOUS_UNBOUNDED",
} as const;

/** @public */
export type Boundedness = (typeof Boundedness)[keyof typeof Boundedness];

/**
 * A unit of work, e.g. a file range or a partition. Plain data (structured-cloneable, JSON-safe
 * apart from bigints) that carries its own position, so a reader's snapshot is its current splits.
 * @public
 */
export interface SourceSplit {
  /** Unique within the source. */
  readonly splitId: string;
}

/** What `pollNext` reports. @public */
export const InputStatus = {
  /** More records are ready; the runtime calls `pollNext` again soon. */
  MORE_AVAILABLE: "MORE_AVAILABLE",
  /** Nothing right now; the runtime waits for `isAvailable()` before polling again. */
  NOTHING_AVAILABLE: "NOTHING_AVAILABLE",
  /** This reader is done for good. */
  END_OF_INPUT: "END_OF_INPUT",
} as const;

/** @public */
export type InputStatus = (typeof InputStatus)[keyof typeof InputStatus];

/** Where a reader emits records. @public */
export interface ReaderOutput<T> {
  /** Emits a record without a timestamp. */
  collect(record: T): void;
  /** Emits a record with an event timestamp in milliseconds since the epoch. */
  collectWithTimestamp(record: T, timestamp: number): void;
  /** Emits a declared watermark after the records emitted so far (see `Source.declareWatermarks`). */
  emitWatermark(watermark: Watermark): void;
}

/** Services the runtime gives a reader. @public */
export interface SourceReaderContext {
  readonly indexOfSubtask: number;
  readonly parallelism: number;
  /**
   * How many records one `pollNext` should emit at most. Emitting more is allowed but delays
   * barriers and control messages.
   */
  readonly batchSizeHint: number;
  /** Asks the enumerator for more splits; answered by `addSplits` or `notifyNoMoreSplits`. */
  sendSplitRequest(): void;
  /** The processing time in milliseconds since the epoch (a test clock under the test harness). */
  currentTime(): number;
}

/**
 * Reads the splits assigned to one subtask. All methods run on the task's mailbox thread, one at a
 * time; `pollNext` must not block (return NOTHING_AVAILABLE and resolve `isAvailable()` instead).
 * @public
 */
export interface SourceReader<T, SplitT extends SourceSplit> {
  /** Called once before the first poll. Typical readers request their first split here. */
  start(): void | Promise<void>;
  /** Emits up to about `batchSizeHint` records to `output` and says what comes next. */
  pollNext(output: ReaderOutput<T>): InputStatus;
  /** Resolves when `pollNext` has something to return after NOTHING_AVAILABLE. */
  isAvailable(): Promise<void>;
  /** New splits for this reader. */
  addSplits(splits: readonly SplitT[]): void;
  /** The enumerator has no more splits for this reader. */
  notifyNoMoreSplits(): void;
  /** The reader's current splits with their positions, for a checkpoint. */
  snapshotState(checkpointId: number): readonly SplitT[];
  /**
   * The checkpoint `checkpointId` (and every earlier one) completed everywhere: positions it
   * recorded will never be replayed again, so a reader may now acknowledge them to the external
   * system (e.g. a Postgres slot's confirmed LSN). Best effort: a failure may skip a notification.
   */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** Releases resources; called also after failure or cancellation. */
  close(): void | Promise<void>;
}

/** Services the runtime gives an enumerator. @public */
export interface SplitEnumeratorContext<SplitT extends SourceSplit> {
  /** The source's parallelism. */
  readonly parallelism: number;
  /** Subtask indexes whose readers have registered. */
  registeredReaders(): readonly number[];
  assignSplits(subtask: number, splits: readonly SplitT[]): void;
  signalNoMoreSplits(subtask: number): void;
}

/**
 * Discovers splits and assigns them. Runs on the coordinator, one instance per source per job.
 * @public
 */
export interface SplitEnumerator<SplitT extends SourceSplit, EnumState> {
  start(): void | Promise<void>;
  /** A reader asked for work. */
  handleSplitRequest(subtask: number): void;
  /** Splits given back after a reader failed; reassign them. */
  addSplitsBack(splits: readonly SplitT[], subtask: number): void;
  /** A reader registered. */
  addReader(subtask: number): void;
  /** Plain-data state for a checkpoint (e.g. splits not yet assigned). */
  snapshotState(checkpointId: number): EnumState;
  close(): void | Promise<void>;
}

/**
 * A split-based source. Implementations must be constructible identically on every worker: the
 * job module builds the source object in each thread, so its constructor must be deterministic.
 * @public
 */
export interface Source<T, SplitT extends SourceSplit = SourceSplit, EnumState = unknown> {
  readonly boundedness: Boundedness;
  /** The watermarks this source's readers emit. Default: none. */
  declareWatermarks?(): readonly WatermarkDeclaration[];
  createEnumerator(ctx: SplitEnumeratorContext<SplitT>): SplitEnumerator<SplitT, EnumState>;
  restoreEnumerator(
    ctx: SplitEnumeratorContext<SplitT>,
    state: EnumState,
  ): SplitEnumerator<SplitT, EnumState>;
  createReader(ctx: SourceReaderContext): SourceReader<T, SplitT>;
}
