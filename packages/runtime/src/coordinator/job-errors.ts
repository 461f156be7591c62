/**
 * Errors a job client sees. A failed job reports the failing operator and the user's own stack
 * trace, so the cause is visible without digging into worker logs.
 * @module
 */

import type { SerializedError } from "../rpc/messages.ts";

export class JobExecutionError extends Error {
  override name = "JobExecutionError";
  /** The operator whose code failed, when known. */
  readonly operatorName: string | undefined;
  /** The task (vertex and subtask) that failed, when known. */
  readonly taskName: string | undefined;

  constructor(jobName: string, cause: SerializedError, taskName?: string) {
    const where = taskName !== undefined ? ` in task ${taskName}` : "";
    super(`job "${jobName}" failed${where}: ${cause.message}`);
    this.operatorName = cause.operatorName;
    this.taskName = taskName;
    this.stack = `${this.name}: ${this.message}\n${cause.stack ?? ""}`;
  }
}

/** A failure the coordinator observed itself (a slot crashed or was lost): a message, no user stack. */
export function coordinatorError(message: string): SerializedError {
  return { name: "Error", message, stack: undefined, operatorName: undefined };
}

export class JobCancelledError extends Error {
  override name = "JobCancelledError";

  constructor(jobName: string) {
    super(`job "${jobName}" was cancelled`);
  }
}
