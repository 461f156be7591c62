/**
 * What every operator wrapping a user process function shares: declared state on the heap backend,
 * processing-time timers (keyed operators only), contexts, the open/close hooks, watermark handling
 * (hooks, default handling, combination of two inputs), the extension hooks (periodic callbacks,
 * event time), snapshot and restore. Subclasses add the record entry points of their function shape.
 * @module
 */

import type {
  ApplyPartitionFunction,
  KeySelector,
  KeyValue,
  ProcessFunction,
  StateDeclaration,
  Watermark,
  WatermarkHandling,
} from "@weir/api";
import { type AlignmentHook, type EventTimeHook, ExtensionHooks, type PeriodicHook } from "@weir/api";
import { NO_TIMESTAMP } from "../exchange/batch.ts";
import { keyGroupForKey, validateKey } from "../keys/key-hash.ts";
import type { BackendSnapshot, StateBackend } from "../state/state-backend.ts";
import { createStateBackend } from "../state/state-backend-factory.ts";
import { TimerQueue } from "../time/timer-queue.ts";
import { wrapUserError } from "../user-code-error.ts";
import { EVENT_TIME_WATERMARK, WatermarkCombination } from "../watermark/watermark-combination.ts";
import { AlignmentController } from "./alignment-controller.ts";
import { EventTimeService } from "./event-time-service.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import { ProcessContexts, type TimestampedCollector } from "./process-context.ts";
import type { OperatorSnapshot, StreamOperator } from "./stream-operator.ts";

export abstract class ProcessOperatorBase implements StreamOperator {
  readonly name: string;
  readonly operatorId: string;
  protected readonly env: OperatorEnvironment;
  protected readonly backend: StateBackend;
  protected readonly timers: TimerQueue | undefined;
  protected readonly contexts: ProcessContexts;
  readonly #fn: ProcessFunction;
  readonly #maxParallelism: number;
  /** Two-input operators forward the combination of both inputs' watermarks. */
  readonly #inputWatermarks: WatermarkCombination | undefined;
  /** Present when the function was wrapped by the event-time extension. */
  readonly #eventTime: EventTimeService | undefined;
  /** Present when the function asks for watermark alignment. */
  readonly #alignment: AlignmentController | undefined;
  /** The last event time forwarded by a function that holds event time back (`outputEventTime`). */
  #heldBackEventTime = Number.NEGATIVE_INFINITY;
  /** Timestamp of the record being processed, for `EventTimeManager.recordTimestamp()`. */
  protected recordTimestamp = NO_TIMESTAMP;

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    fn: ProcessFunction;
    keyed: boolean;
    states: readonly StateDeclaration[];
    maxParallelism: number;
    inputs?: 1 | 2;
  }) {
    this.name = options.name;
    this.operatorId = options.operatorId;
    this.env = options.env;
    this.#fn = options.fn;
    this.#maxParallelism = options.maxParallelism;
    this.#inputWatermarks =
      options.inputs === 2 ? new WatermarkCombination(options.env.watermarks, 2) : undefined;
    this.backend = createStateBackend(options.env.stateBackend, {
      operatorName: options.name,
      operatorId: options.operatorId,
      subtask: options.env.taskInfo.indexOfThisSubtask,
      keyed: options.keyed,
      states: options.states,
      now: () => options.env.clock.now(),
      maxParallelism: options.maxParallelism,
      keyGroupRange: options.env.keyGroupRange,
      ...(options.env.checkpointBlobs !== undefined ? { blobs: options.env.checkpointBlobs } : {}),
      ...(options.env.restoreBlobs !== undefined ? { restoreBlobs: options.env.restoreBlobs } : {}),
      ...(options.env.asyncSnapshots === true ? { asyncSnapshots: true } : {}),
    });
    this.timers = options.keyed ? new TimerQueue() : undefined;
    const eventTimeHook = (options.fn as { [ExtensionHooks.eventTime]?: EventTimeHook })[
      ExtensionHooks.eventTime
    ];
    const alignmentHook = (options.fn as { [ExtensionHooks.alignment]?: AlignmentHook })[
      ExtensionHooks.alignment
    ];
    this.#alignment =
      alignmentHook === undefined ? undefined : new AlignmentController(alignmentHook, options.env);
    this.#eventTime =
      eventTimeHook === undefined
        ? undefined
        : new EventTimeService(eventTimeHook, this.backend, options.keyed, options.name);
    this.contexts = new ProcessContexts({
      operatorName: options.name,
      env: options.env,
      backend: this.backend,
      timers: this.timers,
      fireTimers: (now) => this.fireProcessingTimers(now),
      applyWithCollectors: (fn) => this.applyWithCollectors(fn),
      emitWatermark: (watermark) => this.forwardWatermark(watermark),
    });
  }

  /** Runs `fn` for the current partition with this operator's collectors. */
  protected abstract applyWithCollectors(fn: ApplyPartitionFunction<unknown>): void;
  /**
   * The collector event-time callbacks emit through; functions shapes without event-time support
   * (two-output, broadcast) return undefined.
   */
  protected eventTimeCollector(): TimestampedCollector | undefined {
    return undefined;
  }

  /** Calls the event-time hook for one fired event timer (the key is already current). */
  #fireEventTimer(hook: EventTimeHook, timestamp: number): void {
    const collector = this.eventTimeCollector();
    if (collector === undefined)
      throw new Error(`${this.name}: event-time timers are not supported for this function shape`);
    // Records emitted by an event timer carry the timer's time, as in Flink.
    collector.timestamp = timestamp;
    try {
      hook.onEventTimer(timestamp, collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(`${this.name} (onEventTimer)`, error);
    }
  }

  /** Tells the event-time hook that event time advanced (after the due timers fired). */
  #notifyEventTime(hook: EventTimeHook, timestamp: number): void {
    const collector = this.eventTimeCollector();
    if (collector === undefined) return;
    collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    try {
      hook.onEventTimeWatermark?.(timestamp, collector, this.contexts.nonPartitioned);
    } catch (error) {
      wrapUserError(`${this.name} (onEventTimeWatermark)`, error);
    }
  }

  /** Calls the function's watermark hook of `input`; `undefined` means PEEK. */
  protected abstract onWatermark(input: 0 | 1, watermark: Watermark): WatermarkHandling;
  /** Sends a watermark to every output of the operator. */
  protected abstract forwardWatermark(watermark: Watermark): void;
  /** Calls the function's timer hook for one fired timer (the key is already current). */
  protected abstract onTimer(timestamp: number): void;
  abstract processRecord1(record: unknown, timestamp: number): void;
  abstract endInput(input: 0 | 1): void;

  processRecord2(_record: unknown, _timestamp: number): void {
    throw new Error(`${this.name}: internal error, this operator has one input`);
  }

  /** Extracts and sets the current key from a record of a keyed input. */
  protected setKeyFrom(selector: KeySelector<unknown, KeyValue>, record: unknown): void {
    let key: KeyValue;
    try {
      key = selector(record);
    } catch (error) {
      wrapUserError(`${this.name} (key selector)`, error);
    }
    validateKey(key, this.name);
    this.backend.setCurrentKey(key);
  }

  async open(): Promise<void> {
    try {
      const eventTime = this.#eventTime;
      eventTime?.hook.init(eventTime.manager(() => this.recordTimestamp));
      await this.#fn.open?.(this.contexts.nonPartitioned as never);
    } catch (error) {
      wrapUserError(`${this.name} (open)`, error);
    }
    const periodic = (this.#fn as { [ExtensionHooks.periodic]?: PeriodicHook })[ExtensionHooks.periodic];
    if (periodic !== undefined) this.#schedulePeriodic(periodic, this.env.clock.now() + periodic.intervalMs);
    this.#alignment?.start();
  }

  /** Runs a periodic hook through the mailbox every `intervalMs` while the task runs. */
  #schedulePeriodic(hook: PeriodicHook, at: number): void {
    this.env.scheduleTimer(at, (now) => {
      try {
        hook.onPeriodic(now, this.contexts.nonPartitioned);
      } catch (error) {
        wrapUserError(`${this.name} (periodic)`, error);
      }
      this.#schedulePeriodic(hook, Math.max(at + hook.intervalMs, now + 1));
    });
  }

  /**
   * Sequence for one watermark: the function's hook for its input (POLL ends it here), the default
   * handling (IGNORE ends it here), the combination over both inputs (two-input operators), then
   * for each combined value that changed: event timers due by it fire, the function hears of the
   * new event time, and the watermark goes downstream.
   */
  processWatermark(input: 0 | 1, watermark: Watermark): void {
    let result: WatermarkHandling;
    try {
      result = this.onWatermark(input, watermark);
    } catch (error) {
      wrapUserError(`${this.name} (onWatermark)`, error);
    }
    if (result === "POLL") return;
    if (this.env.watermarks.get(watermark.identifier)?.defaultHandling === "IGNORE") return;
    if (this.#inputWatermarks === undefined) {
      this.#emitCombined(watermark);
      return;
    }
    for (const combined of this.#inputWatermarks.update(input, watermark)) this.#emitCombined(combined);
  }

  #emitCombined(watermark: Watermark): void {
    const eventTime = this.#eventTime;
    if (eventTime !== undefined && watermark.identifier === EVENT_TIME_WATERMARK) {
      const timestamp = watermark.value as number;
      if (eventTime.advance(timestamp, (at) => this.#fireEventTimer(eventTime.hook, at))) {
        this.#notifyEventTime(eventTime.hook, timestamp);
      }
      if (eventTime.hook.outputEventTime !== undefined) {
        this.#forwardHeldBack(eventTime.hook, timestamp);
        return;
      }
    }
    this.forwardWatermark(watermark);
  }

  /** Forwards the event time the hook holds back to, when it moved forward (never past the input). */
  #forwardHeldBack(hook: EventTimeHook, timestamp: number): void {
    let held: number;
    try {
      held = hook.outputEventTime!(timestamp);
    } catch (error) {
      wrapUserError(`${this.name} (outputEventTime)`, error);
    }
    if (typeof held !== "number" || Number.isNaN(held)) {
      throw new Error(`${this.name}: outputEventTime returned ${String(held)}, expected a number`);
    }
    const out = Math.min(held, timestamp);
    if (out <= this.#heldBackEventTime) return;
    this.#heldBackEventTime = out;
    this.forwardWatermark({ kind: "numeric", identifier: EVENT_TIME_WATERMARK, value: out });
  }

  /** Two-input operators call this when an input ends, so it stops holding back watermarks. */
  protected endInputWatermarks(input: 0 | 1): void {
    if (this.#inputWatermarks === undefined) return;
    for (const combined of this.#inputWatermarks.endInput(input)) this.#emitCombined(combined);
  }

  endOfBatch(): void {
    this.backend.endOfBatch();
    // Checked per batch, not only per report: keeps the overshoot past the allowed drift to a batch.
    this.#alignment?.check();
  }

  /** The key selector of input `input`, for prefetching (keyed operators override it). */
  protected keySelectorOf(_input: 0 | 1): KeySelector<unknown, KeyValue> | undefined {
    return undefined;
  }

  prefetchBatch(input: 0 | 1, records: readonly unknown[], count: number): void {
    // The heap needs no warming; other backends get the batch's keys (the selector runs again
    // when each record is processed, which is the price of keeping state access synchronous).
    if (this.backend.kind === "heap") return;
    const selector = this.keySelectorOf(input);
    if (selector === undefined) return;
    const keys: KeyValue[] = [];
    try {
      for (let i = 0; i < count; i++) keys.push(selector(records[i]));
    } catch {
      // The record fails again, with the user's error, when it is processed.
    }
    const warmed = this.backend.prefetch(keys);
    // Prefetching only warms pages; reads stay correct without it, so a failure is ignored.
    if (warmed !== undefined) warmed.catch(() => {});
  }

  notifyCheckpointComplete(checkpointId: number): void | Promise<void> {
    this.backend.notifyCheckpointComplete(checkpointId);
  }

  finish(): void | Promise<void> {
    // A finished member must not hold its alignment group back.
    this.#alignment?.stop();
  }

  async close(): Promise<void> {
    try {
      await this.#fn.close?.();
    } catch (error) {
      wrapUserError(`${this.name} (close)`, error);
    } finally {
      await this.backend.dispose();
    }
  }

  fireProcessingTimers(now: number): void {
    const timers = this.timers;
    if (timers === undefined) return;
    const backend = this.backend;
    timers.fireDue(now, (timestamp, key) => {
      backend.setCurrentKey(key);
      this.onTimer(timestamp);
    });
    const next = timers.peek();
    if (next !== undefined) this.env.scheduleTimer(next, (t) => this.fireProcessingTimers(t));
  }

  /**
   * The synchronous part captures the backend's view and copies the timers; an on-disk backend's
   * upload is the snapshot's `asyncPart`.
   */
  snapshotState(checkpointId = 0): OperatorSnapshot {
    const capture = this.backend.snapshot(checkpointId);
    // Copies: keys in the snapshot must not alias keys in the live timer queues.
    const timers = structuredClone(this.timers?.entries());
    const eventTimers = structuredClone(this.#eventTime?.timers?.entries());
    const assemble = ({ keyed, operator, ttlStates, keyedHandle }: BackendSnapshot): OperatorSnapshot => ({
      operatorId: this.operatorId,
      keyed,
      operator,
      ...(timers !== undefined ? { timers } : {}),
      ...(eventTimers !== undefined ? { eventTimers } : {}),
      ...(ttlStates.length > 0 ? { ttlStates } : {}),
      ...(keyedHandle !== undefined ? { keyedHandles: [keyedHandle] } : {}),
    });
    if (capture.ready !== undefined) return assemble(capture.ready);
    return {
      operatorId: this.operatorId,
      keyed: {},
      operator: {},
      asyncPart: capture.materialize().then(assemble),
    };
  }

  /** Synchronous unless keyed state must be read from checkpoint storage. */
  restoreState(snapshot: OperatorSnapshot): void | Promise<void> {
    const { start, end } = this.env.keyGroupRange;
    const max = this.#maxParallelism;
    const ownsKey = (key: KeyValue) => {
      const group = keyGroupForKey(key, max);
      return group >= start && group <= end;
    };
    const restoring = this.backend.restore(snapshot, ownsKey);
    if (restoring !== undefined) return restoring.then(() => this.#restoreTimersOf(snapshot, ownsKey));
    this.#restoreTimersOf(snapshot, ownsKey);
  }

  #restoreTimersOf(snapshot: OperatorSnapshot, ownsKey: (key: KeyValue) => boolean): void {
    this.#restoreTimers(this.#eventTime?.timers, snapshot.eventTimers, ownsKey);
    this.#restoreTimers(this.timers, snapshot.timers, ownsKey);
    const next = this.timers?.peek();
    if (next !== undefined) this.env.scheduleTimer(next, (now) => this.fireProcessingTimers(now));
  }

  /** Re-registers the timers of the keys this subtask owns. */
  #restoreTimers(
    queue: TimerQueue | undefined,
    entries: readonly [number, unknown][] | undefined,
    ownsKey: (key: KeyValue) => boolean,
  ): void {
    if (queue === undefined || entries === undefined) return;
    for (const [timestamp, key] of structuredClone(entries)) {
      if (!ownsKey(key as KeyValue)) continue;
      this.backend.setCurrentKey(key as KeyValue);
      queue.register(timestamp, this.backend.currentKeyId, key as KeyValue);
    }
    this.backend.setCurrentKey(null);
  }
}

/** Timestamp for records emitted from a processing-time timer: they have none. */
export const TIMER_OUTPUT_TIMESTAMP = NO_TIMESTAMP;
