/**
 * What a task provides to the operators of its chain: job and task facts, the clock, and the few
 * ways an operator may affect its task (pause input on a promise, ask to be woken for timers, send
 * collected records to the job client).
 * @module
 */

import type { JobInfo, TaskInfo, WatermarkDeclaration } from "@weir/api";
import type { ProcessingClock } from "../time/processing-clock.ts";

export interface OperatorEnvironment {
  readonly jobInfo: JobInfo;
  /** Task facts; `taskName` is replaced by each operator's own name. */
  readonly taskInfo: TaskInfo;
  readonly clock: ProcessingClock;
  /** Inclusive key-group range of this subtask. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** Pauses the task's input until `promise` settles; a rejection fails the task. */
  blockOn(promise: Promise<unknown>, what: string): void;
  /** Calls `fire(now)` through the mailbox once the clock reaches `at`. */
  scheduleTimer(at: number, fire: (now: number) => void): void;
  /** Sends records of a collect sink to the job client. */
  sendCollected(name: string, records: unknown[]): void;
  /** Asks the enumerator for splits (source operators). */
  requestSplit(): void;
  /** Every watermark declaration of the job, by identifier. */
  readonly watermarks: ReadonlyMap<string, WatermarkDeclaration>;
  /** The batch size the exchange uses; sources use it as their poll size hint. */
  readonly batchSize: number;
}
