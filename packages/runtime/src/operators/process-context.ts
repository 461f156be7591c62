/**
 * The contexts and collectors handed to process functions, shared by every process operator.
 * One instance of each per operator: nothing is allocated per record. The collector stamps the
 * timestamp of the record or timer being processed on everything collected during that call.
 * @module
 */

import type {
  ApplyPartitionFunction,
  Collector,
  JobInfo,
  KeyValue,
  NonPartitionedContext,
  PartitionedContext,
  ProcessingTimeManager,
  StateManager,
  TaskInfo,
  Watermark,
  WatermarkManager,
} from "@weir/api";
import { NO_TIMESTAMP } from "../exchange/batch.ts";
import type { StateBackend } from "../state/state-backend.ts";
import type { TimerQueue } from "../time/timer-queue.ts";
import { misuse } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";

export class TimestampedCollector implements Collector<unknown> {
  readonly #output: Output;
  timestamp = NO_TIMESTAMP;

  constructor(output: Output) {
    this.#output = output;
  }

  collect(record: unknown): void {
    this.#output.collect(record, this.timestamp);
  }

  collectAndOverwriteTimestamp(record: unknown, timestamp: number): void {
    this.#output.collect(record, timestamp);
  }
}

/** Processing-time timers of a keyed operator, bound to the backend's current key. */
class KeyedProcessingTimeManager implements ProcessingTimeManager {
  readonly #backend: StateBackend;
  readonly #timers: TimerQueue;
  readonly #env: OperatorEnvironment;
  readonly #fire: (now: number) => void;

  constructor(
    backend: StateBackend,
    timers: TimerQueue,
    env: OperatorEnvironment,
    fire: (now: number) => void,
  ) {
    this.#backend = backend;
    this.#timers = timers;
    this.#env = env;
    this.#fire = fire;
  }

  registerTimer(timestamp: number): void {
    if (typeof timestamp !== "number" || Number.isNaN(timestamp)) {
      throw new TypeError(`registerTimer expects a timestamp in milliseconds, got ${String(timestamp)}`);
    }
    if (this.#timers.register(timestamp, this.#backend.currentKeyId, this.#backend.currentKey)) {
      this.#env.scheduleTimer(timestamp, this.#fire);
    }
  }

  deleteTimer(timestamp: number): void {
    this.#timers.delete(timestamp, this.#backend.currentKeyId);
  }

  currentTime(): number {
    return this.#env.clock.now();
  }
}

/** Non-keyed operators may read the clock but not register timers (a timer belongs to a key). */
function noTimers(operatorName: string, env: OperatorEnvironment): ProcessingTimeManager {
  const fail = (): never => {
    throw misuse(
      operatorName,
      "processing-time timers are only available on keyed streams (use keyBy first)",
    );
  };
  return { registerTimer: fail, deleteTimer: fail, currentTime: () => env.clock.now() };
}

/**
 * Builds the partitioned and non-partitioned contexts of one operator. `applyToAllPartitions`
 * visits every key with state (keyed) or the subtask once (non-keyed), with the given collectors.
 */
export class ProcessContexts {
  readonly partitioned: PartitionedContext<unknown, KeyValue>;
  readonly nonPartitioned: NonPartitionedContext<unknown>;

  constructor(options: {
    operatorName: string;
    env: OperatorEnvironment;
    backend: StateBackend;
    timers: TimerQueue | undefined;
    fireTimers: (now: number) => void;
    /** Calls `fn` with the operator's collectors and the partitioned context. */
    applyWithCollectors: (fn: ApplyPartitionFunction<unknown>) => void;
    /** Sends a watermark to the operator's outputs. */
    emitWatermark: (watermark: Watermark) => void;
  }) {
    const { operatorName, env, backend, timers } = options;
    const jobInfo: JobInfo = env.jobInfo;
    const taskInfo: TaskInfo = { ...env.taskInfo, taskName: operatorName };
    const stateManager: StateManager<KeyValue> = {
      getCurrentKey: () => backend.getCurrentKey(),
      getState: ((declaration) => backend.getState(declaration)) as StateManager<KeyValue>["getState"],
    };
    const processingTimeManager =
      timers === undefined
        ? noTimers(operatorName, env)
        : new KeyedProcessingTimeManager(backend, timers, env, options.fireTimers);
    const nonPartitionedStateManager: StateManager<never> = {
      getCurrentKey: () => {
        throw misuse(operatorName, "no key is current in a non-partitioned context");
      },
      getState: ((declaration) => {
        if (backend.keyed && declaration.kind !== "broadcast") {
          throw misuse(
            operatorName,
            `keyed state "${declaration.name}" is not accessible without a current key; use applyToAllPartitions`,
          );
        }
        return backend.getState(declaration);
      }) as StateManager<never>["getState"],
    };
    const applyToAllPartitions = (fn: ApplyPartitionFunction<unknown>) => {
      if (typeof fn !== "function") throw new TypeError("applyToAllPartitions expects a function");
      if (!backend.keyed) {
        options.applyWithCollectors(fn);
        return;
      }
      const previous = backend.currentKey;
      for (const key of backend.keysWithState()) {
        backend.setCurrentKey(key);
        options.applyWithCollectors(fn);
      }
      backend.setCurrentKey(previous);
    };
    const watermarkManager: WatermarkManager = {
      emitWatermark(watermark) {
        const declared = env.watermarks.get(watermark?.identifier);
        if (declared === undefined || declared.kind !== watermark.kind) {
          throw misuse(
            operatorName,
            `emitted watermark ${JSON.stringify(watermark?.identifier)}, which is not declared (declareWatermarks())`,
          );
        }
        options.emitWatermark(watermark);
      },
    };
    const nonPartitioned: NonPartitionedContext<unknown> = {
      jobInfo,
      taskInfo,
      applyToAllPartitions,
      stateManager: nonPartitionedStateManager,
      watermarkManager,
    };
    this.nonPartitioned = nonPartitioned;
    this.partitioned = {
      jobInfo,
      taskInfo,
      stateManager,
      processingTimeManager,
      nonPartitionedContext: nonPartitioned,
    };
  }
}
