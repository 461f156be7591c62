/**
 * A task: one subtask of one vertex, i.e. a chain of operators, run as a mailbox on its slot's
 * event loop. Each `step()` does one unit of work — one mail (timer, split assignment), one input
 * batch, or one source poll — so records, timers and control messages never interleave inside a
 * user function.
 *
 * Flow control: a task takes no new input while any output channel waits for credit or while an
 * operator has paused it on a promise (a slow sink write). That is how backpressure travels from a
 * slow consumer up to the sources, and why memory stays bounded.
 *
 * Lifecycle: `start()` restores and opens operators (tail first, so consumers are ready before
 * producers emit); the task then runs until its inputs end, finishes every operator in chain order
 * and sends end-of-partition downstream. Without checkpointing it then closes operators and
 * reports FINISHED. With checkpointing it is ENDED, and after a stop-with-savepoint's suspend
 * barrier SUSPENDED: it waits for a checkpoint to complete before it is finished ({@link TaskEnd}
 * says why and how). A task restored from finished snapshots only (every operator of its chain)
 * does not run again: it opens its operators (a sink re-commits), sends end-of-partition and is
 * ENDED at once. A failure anywhere reports FAILED with the operator's name; `cancel()` closes
 * everything and reports CANCELED.
 *
 * Checkpoints: barriers are handled by a {@link BarrierHandler} (aligned, unaligned, alignment
 * timeout). A task restored from an unaligned checkpoint first replays the in-flight data it was
 * given ({@link InFlightReplay}), before anything its gates deliver.
 * @module
 */

import { performance } from "node:perf_hooks";
import { InputStatus, type WatermarkDeclaration } from "@weir/api";
import { type BarrierOptions, barrier, END_OF_PARTITION } from "../exchange/channel-event.ts";
import type { ReplayedEdge, TaskChannelState } from "../exchange/channel-state.ts";
import type { InputGate } from "../exchange/input-gate.ts";
import type { Backpressure } from "../exchange/output-channel.ts";
import type { RecordWriter } from "../exchange/record-writer.ts";
import type { SourceOperator } from "../operators/source-operator.ts";
import type { OperatorSnapshot, StreamOperator } from "../operators/stream-operator.ts";
import type { TaskCheckpointStats } from "../rpc/messages.ts";
import { BarrierHandler } from "./barrier-handler.ts";
import { HeadInput } from "./head-input.ts";
import { InFlightReplay } from "./in-flight-replay.ts";
import { SplitEvents } from "./split-events.ts";
import { TaskEnd } from "./task-end.ts";

export type TaskState =
  | "CREATED"
  | "RUNNING"
  | "FINISHING"
  | "ENDED"
  | "SUSPENDED"
  | "FINISHED"
  | "FAILED"
  | "CANCELED";

export interface TaskListener {
  /** Input ended and operators finished; the task waits for a checkpoint (checkpointing on). */
  onEnded?(task: StreamTask): void;
  onFinished(task: StreamTask): void;
  /** The task took its part of checkpoint `checkpointId` (after forwarding the barrier). */
  onCheckpoint(
    task: StreamTask,
    checkpointId: number,
    snapshots: OperatorSnapshot[],
    stats: TaskCheckpointStats,
    /** In-flight data, for an unaligned checkpoint. */
    channelState?: TaskChannelState,
  ): void;
  /** An unaligned checkpoint's snapshot was taken; the ack follows once in-flight data is recorded. */
  onSnapshotTaken?(task: StreamTask, checkpointId: number): void;
  onFailed(task: StreamTask, error: unknown): void;
  /** The task has new work; the slot scheduler should run it soon. */
  wake(): void;
}

export class StreamTask {
  readonly vertex: number;
  readonly subtask: number;
  readonly name: string;
  state: TaskState = "CREATED";
  readonly #operators: StreamOperator[];
  readonly #source: SourceOperator | undefined;
  readonly #gates: InputGate[];
  readonly #writers: RecordWriter[];
  readonly #backpressure: Backpressure;
  readonly #listener: TaskListener;
  readonly #mailbox: (() => void)[] = [];
  #blockers = 0;
  #sourceWaiting = false;
  #gateCursor = 0;
  readonly #barriers: BarrierHandler;
  /** In-flight data of an unaligned checkpoint, processed before any gate input. */
  #replay: InFlightReplay | undefined;
  readonly #input: HeadInput;
  #unflushed = false;
  readonly #splitEvents = new SplitEvents();
  /** With checkpointing on, the task ends (ENDED) and finishes after a checkpoint (see the module). */
  readonly #checkpointing: boolean;
  readonly #end: TaskEnd;
  /** A source told to end its input now (stop-with-savepoint with drain). */
  #drained = false;
  /** Records taken from the network inputs: counted per batch, read by metrics on scrape. */
  recordsIn = 0;

  constructor(options: {
    vertex: number;
    subtask: number;
    name: string;
    operators: StreamOperator[];
    source: SourceOperator | undefined;
    gates: InputGate[];
    writers: RecordWriter[];
    backpressure: Backpressure;
    listener: TaskListener;
    /** The run takes checkpoints (see the module comment); default false. */
    checkpointing?: boolean;
  }) {
    this.#checkpointing = options.checkpointing === true;
    this.vertex = options.vertex;
    this.subtask = options.subtask;
    this.name = options.name;
    this.#operators = options.operators;
    this.#source = options.source;
    this.#gates = options.gates;
    this.#writers = options.writers;
    this.#backpressure = options.backpressure;
    this.#listener = options.listener;
    this.#input = new HeadInput(options.operators[0]!);
    this.#end = new TaskEnd({
      operators: options.operators,
      state: () => (this.state === "ENDED" || this.state === "SUSPENDED" ? this.state : "OTHER"),
      acknowledge: (checkpointId, snapshots, stats) =>
        this.#listener.onCheckpoint(this, checkpointId, snapshots, stats),
      finished: () => this.#listener.onFinished(this),
      fail: (error) => this.fail(error),
    });
    this.#barriers = new BarrierHandler(options.gates, options.writers, {
      post: (mail) => this.post(mail),
      blockOn: (promise) => this.blockOn(promise),
      checkpointAligned: (checkpointId, alignmentMs, barrierOptions) =>
        this.#checkpoint(checkpointId, alignmentMs, barrierOptions),
      snapshotOperators: (checkpointId) => this.#prepareAndSnapshot(checkpointId),
      snapshotTaken: (checkpointId) => this.#listener.onSnapshotTaken?.(this, checkpointId),
      acknowledge: (checkpointId, snapshots, stats, channelState) =>
        this.#listener.onCheckpoint(this, checkpointId, snapshots, stats, channelState),
      replaying: () => this.#replay !== undefined,
    });
  }

  /** Records sent to the network outputs (sinks send none). */
  get recordsOut(): number {
    let sum = 0;
    for (const writer of this.#writers) sum += writer.recordsSent;
    return sum;
  }

  /** Whether an output channel is waiting for credit right now. */
  get backpressured(): boolean {
    return this.#backpressure.blocked;
  }

  get isSource(): boolean {
    return this.#source !== undefined;
  }

  /**
   * The task's current event-time watermark, for metrics: the minimum over its inputs of the
   * combined watermark each delivered (Flink's currentInputWatermark); for a source task, the
   * highest one it sent. `null` until every input has delivered one.
   */
  get currentWatermark(): number | null {
    if (this.#source !== undefined) {
      let highest: number | null = null;
      for (const writer of this.#writers) {
        const sent = writer.eventTimeWatermark;
        if (sent !== null && (highest === null || sent > highest)) highest = sent;
      }
      return highest;
    }
    return this.#input.lowestDelivered(this.#gates.map((gate) => gate.input));
  }

  /** One batch of restored in-flight data, through the same path as gate input. */
  #replayNext(replay: InFlightReplay): boolean {
    const item = replay.next();
    if (item === undefined) {
      this.#replay = undefined;
      this.#barriers.replayFinished();
      return true;
    }
    this.recordsIn += item.batch.count;
    this.#input.processReplayed(item);
    this.#endOfBatch();
    return true;
  }

  /**
   * `inFlight`: data of an unaligned checkpoint this subtask replays first; `declarations` are
   * the job's watermark declarations, to combine the watermarks inside it.
   */
  async start(
    restore?: ReadonlyMap<string, OperatorSnapshot>,
    inFlight?: { edges: readonly ReplayedEdge[]; declarations: ReadonlyMap<string, WatermarkDeclaration> },
  ): Promise<void> {
    if (inFlight?.edges.some((e) => e.channels.some((c) => c.length > 0)))
      this.#replay = new InFlightReplay(inFlight.edges, inFlight.declarations);
    try {
      if (restore !== undefined) {
        for (const op of this.#operators) {
          const snapshot = restore.get(op.operatorId);
          if (snapshot !== undefined) await op.restoreState(snapshot);
        }
      }
      for (let i = this.#operators.length - 1; i >= 0; i--) await this.#operators[i]!.open();
      if (this.state !== "CREATED") return;
      if (restore !== undefined && this.#operators.every((op) => restore.get(op.operatorId)?.finished)) {
        // Restored after its end: its output up to there is in the checkpoint (or committed).
        void this.#finish({ restoredEnded: true });
        return;
      }
      this.state = "RUNNING";
      this.#listener.wake();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Enqueues a control action; it runs between records, like everything else. */
  post(mail: () => void): void {
    if (this.state === "RUNNING" || this.state === "CREATED") {
      this.#mailbox.push(mail);
      this.#listener.wake();
    }
  }

  /** Pauses input until `promise` settles (a rejection fails the task). */
  blockOn(promise: Promise<unknown>): void {
    this.#blockers++;
    promise.then(
      () => {
        this.#blockers--;
        this.#listener.wake();
      },
      (error: unknown) => this.fail(error),
    );
  }

  /** Tells a waiting source to poll again. */
  resumeSource(): void {
    this.#sourceWaiting = false;
    this.#listener.wake();
  }

  /** Splits assigned by the enumerator, delivered through the mailbox. */
  addSplits(splits: readonly unknown[]): void {
    const source = this.#requireSource();
    this.#postSplitEvent(() => source.addSplits(splits as never));
  }

  noMoreSplits(): void {
    const source = this.#requireSource();
    this.#postSplitEvent(() => source.notifyNoMoreSplits());
  }

  /** An enumerator event runs as a mail, never between a checkpoint's trigger and snapshot ({@link SplitEvents}). */
  #postSplitEvent(apply: () => void): void {
    this.post(() =>
      this.#splitEvents.apply(() => {
        apply();
        this.#sourceWaiting = false;
      }),
    );
  }

  #requireSource(): SourceOperator {
    if (this.#source === undefined) throw new Error(`${this.name} is not a source task`);
    return this.#source;
  }

  /** Does one unit of work; returns false when the task cannot progress right now. */
  step(): boolean {
    if (this.state !== "RUNNING") return false;
    try {
      const mail = this.#mailbox.shift();
      if (mail !== undefined) {
        mail();
        // A mail (a timer, an async result) is a unit of work like an input batch: sinks write
        // what it emitted, and partly filled network batches ship when the task goes idle.
        this.#endOfBatch();
        return true;
      }
      if (this.#blockers > 0 || this.#backpressure.blocked) {
        this.#flushIfNeeded();
        return false;
      }
      if (this.#replay !== undefined) return this.#replayNext(this.#replay);
      return this.#source !== undefined ? this.#pollSource(this.#source) : this.#processInput();
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  /**
   * Stop-with-savepoint with drain: the source reads no more and ends its input at its next turn,
   * as if the data ended there (downstream then fires what end of input fires: windows, timers).
   */
  drain(): void {
    if (this.#source === undefined) return;
    this.post(() => {
      this.#drained = true;
      this.#sourceWaiting = false;
    });
  }

  #pollSource(source: SourceOperator): boolean {
    if (this.#drained) {
      void this.#finish();
      return true;
    }
    if (this.#sourceWaiting) {
      this.#flushIfNeeded();
      return false;
    }
    const status = source.poll();
    this.#endOfBatch();
    if (status === InputStatus.END_OF_INPUT) {
      void this.#finish();
      return true;
    }
    if (status === InputStatus.NOTHING_AVAILABLE) {
      this.#flushIfNeeded();
      this.#sourceWaiting = true;
      source.isAvailable().then(
        () => this.resumeSource(),
        (error: unknown) => this.fail(error),
      );
    }
    return true;
  }

  #processInput(): boolean {
    const gates = this.#gates;
    for (let tried = 0; tried < gates.length; tried++) {
      const gate = gates[this.#gateCursor]!;
      this.#gateCursor = this.#gateCursor + 1 === gates.length ? 0 : this.#gateCursor + 1;
      const item = gate.poll();
      if (item === undefined) continue;
      if (item.kind === "end-of-input") {
        this.#operators[0]!.endInput(gate.input);
        if (gates.every((g) => g.finished)) void this.#finish();
        return true;
      }
      if (item.kind === "watermark") {
        this.#input.deliverWatermark(gate.input, item.watermark);
        return true;
      }
      if (item.kind === "barrier") {
        this.#barriers.onBarrier(gate, item.channel, item.barrier);
        return true;
      }
      if (item.kind === "channel-finished") {
        this.#barriers.completeAlignmentIfReady();
        return true;
      }
      this.recordsIn += item.batch.count;
      const channel = item.channel;
      this.#input.process(gate.input, item.batch, (watermark) => gate.onWatermark(channel, watermark));
      this.#endOfBatch();
      return true;
    }
    this.#flushIfNeeded();
    return false;
  }

  #endOfBatch(): void {
    const operators = this.#operators;
    for (let i = 0; i < operators.length; i++) operators[i]!.endOfBatch();
    this.#unflushed = true;
  }

  /** Ships partly filled output batches when the task runs out of input, for low latency. */
  #flushIfNeeded(): void {
    if (!this.#unflushed) return;
    this.#unflushed = false;
    for (const writer of this.#writers) writer.flush();
  }

  /** `restoredEnded`: the operators finished before the restored checkpoint; they are not again. */
  async #finish({ restoredEnded = false } = {}): Promise<void> {
    this.state = "FINISHING";
    this.#barriers.dispose();
    try {
      const operators = this.#operators;
      for (let i = 0; i < operators.length && !restoredEnded; i++) {
        // The head's inputs were ended by its gates; chained operators have one input each.
        if (i > 0) operators[i]!.endInput(0);
        await operators[i]!.finish();
      }
      for (const writer of this.#writers) writer.sendEvent(END_OF_PARTITION);
      if (this.#checkpointing) {
        if (this.state !== "FINISHING") return;
        this.state = "ENDED";
        this.#listener.onEnded?.(this);
        // A checkpoint triggered before the end whose barrier this task never took: it takes it now.
        this.#end.ended();
        return;
      }
      await this.#closeOperators();
      if (this.state !== "FINISHING") return;
      this.state = "FINISHED";
      this.#listener.onFinished(this);
    } catch (error) {
      this.fail(error);
    }
  }

  async #closeOperators(): Promise<unknown> {
    let firstError: unknown;
    for (const op of this.#operators) {
      try {
        await op.close();
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
    return undefined;
  }

  /** The job is over: an ENDED or SUSPENDED task closes its operators (they stayed open). */
  async close(): Promise<void> {
    if (this.state !== "ENDED" && this.state !== "SUSPENDED") return;
    const settled = this.#end.settled();
    this.state = "FINISHED";
    await settled;
    await this.#closeOperators();
  }

  fail(error: unknown): void {
    if (this.state === "FAILED" || this.state === "CANCELED" || this.state === "FINISHED") return;
    this.state = "FAILED";
    this.#mailbox.length = 0;
    this.#barriers.dispose();
    // Close operators, but report the original error, not a follow-up one from cleanup.
    void this.#closeOperators().catch(() => {});
    this.#listener.onFailed(this, error);
  }

  async cancel(): Promise<void> {
    if (this.state === "FINISHED" || this.state === "FAILED" || this.state === "CANCELED") return;
    this.state = "CANCELED";
    this.#mailbox.length = 0;
    this.#barriers.dispose();
    await this.#closeOperators().catch(() => {});
  }

  /** Snapshots of every operator of the chain. */
  snapshotOperators(checkpointId: number): OperatorSnapshot[] {
    return this.#operators.map((op) => op.snapshotState(checkpointId));
  }

  /**
   * Checkpoint `checkpointId` was triggered. A source task takes part between two polls, then
   * sends the barrier (`options.unaligned`: ahead of batches waiting for credit, which become
   * channel state); an ENDED task takes part at once; any other task waits for the barrier, but
   * notes the checkpoint in case its input ends before the barrier comes.
   */
  triggerCheckpoint(checkpointId: number, options: BarrierOptions = {}): void {
    if (this.state === "SUSPENDED") return;
    if (this.state === "ENDED") {
      this.#end.takeEnded(checkpointId);
      return;
    }
    this.#end.triggered(checkpointId);
    if (this.#source !== undefined) this.post(() => this.#barriers.trigger(checkpointId, options));
  }

  /**
   * The coordinator completed `checkpointId`: operators may publish what it covers (2PC commit).
   * An ENDED task that took part in it (or an earlier one) as ENDED is finished then.
   */
  notifyCheckpointComplete(checkpointId: number): void {
    if (this.state === "ENDED" || this.state === "SUSPENDED") {
      this.#end.completed(checkpointId);
      return;
    }
    this.post(() => {
      const pending = this.#operators.map((op) => op.notifyCheckpointComplete?.(checkpointId));
      const promises = pending.filter(
        (p): p is Promise<void> => p !== undefined && typeof p.then === "function",
      );
      if (promises.length > 0) this.blockOn(Promise.all(promises));
    });
  }

  /**
   * This task's part of a checkpoint, while its input is paused: operators prepare (a sink
   * flushes and pre-commits), snapshot, then the barrier goes downstream after every record
   * emitted before it, and the coordinator hears of the snapshot.
   */
  async #checkpoint(checkpointId: number, alignmentMs = 0, options: BarrierOptions = {}): Promise<void> {
    const started = performance.now();
    const snapshots = await this.#prepareAndSnapshot(checkpointId);
    if (snapshots === undefined) return;
    for (const writer of this.#writers) writer.sendEvent(barrier(checkpointId, options));
    this.#listener.onCheckpoint(this, checkpointId, snapshots, {
      alignmentMs,
      snapshotMs: performance.now() - started,
    });
    if (options.suspend === true) this.#suspend(checkpointId);
  }

  /**
   * After its part in a stop-with-savepoint's checkpoint: no more input, mails or timers (their
   * work is in the snapshot and would reach sinks after the savepoint); the task only waits for
   * the checkpoint's completion to commit, then reports finished, its operators never ended.
   */
  #suspend(checkpointId: number): void {
    if (this.state !== "RUNNING") return;
    this.state = "SUSPENDED";
    this.#mailbox.length = 0;
    this.#barriers.dispose();
    this.#end.suspended(checkpointId);
  }

  /** The first half of a checkpoint, for unaligned ones: operators prepare, then snapshot. */
  async #prepareAndSnapshot(checkpointId: number): Promise<OperatorSnapshot[] | undefined> {
    this.#end.taking(checkpointId);
    this.#splitEvents.snapshotStarted();
    try {
      for (const op of this.#operators) await op.prepareSnapshotPreBarrier?.(checkpointId);
      if (this.state !== "RUNNING") return undefined;
      return this.snapshotOperators(checkpointId);
    } finally {
      const held = this.#splitEvents.snapshotEnded();
      if (held.length > 0 && this.state === "RUNNING") {
        for (const event of held) event();
        this.#listener.wake();
      }
    }
  }
}
