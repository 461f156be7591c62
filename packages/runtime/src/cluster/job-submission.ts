/**
 * What a client submits to run a job, and its validation. Every field is checked before any code
 * runs, with an error naming the field; paths are never taken from the client except `jobFile`
 * (a job module already on the JobManager's machine, a privileged act like Flink's submission),
 * and savepoints are named, not located: `fromSavepoint` is the name the JobManager gave one.
 *
 * A job is one of: a `jobFile`, an uploaded `artifactId`, or a `sql` script (DDL, SET and INSERT
 * statements, run as one statement set), which the JobManager plans before accepting it.
 *
 * Example: `{ "jobFile": "/jobs/word-count.job.ts", "parallelism": 4, "checkpointIntervalMs": 1000 }`,
 * `{ "artifactId": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "params": { "count": 100 } }` or
 * `{ "sql": "CREATE TABLE src …; CREATE TABLE out …; INSERT INTO out SELECT * FROM src" }`.
 * @module
 */

import { isAbsolute } from "node:path";
import type { RestartStrategy } from "../coordinator/restart-strategy.ts";
import { parseStateBackendKind, type StateBackendOptions } from "../state/state-backend-factory.ts";

export interface JobSubmission {
  readonly jobFile: string | undefined;
  readonly artifactId: string | undefined;
  /** A SQL script's text; its SET statements configure the job under the fields below. */
  readonly sql: string | undefined;
  readonly params: unknown;
  readonly parallelism: number;
  readonly jobName: string | undefined;
  readonly checkpointIntervalMs: number | undefined;
  /** Unaligned checkpoints (Flink's `execution.checkpointing.unaligned.enabled`). */
  readonly unalignedCheckpoints: boolean;
  /** With unaligned checkpoints: start aligned, switch after this long (0 or absent: unaligned at once). */
  readonly alignedCheckpointTimeoutMs: number | undefined;
  /** Checkpoints in flight at once (Flink's `execution.checkpointing.max-concurrent-checkpoints`). */
  readonly maxConcurrentCheckpoints: number | undefined;
  readonly restartStrategy: RestartStrategy | undefined;
  /** What a task failure restarts: its pipelined region (default) or every task. */
  readonly failoverStrategy: "region" | "full" | undefined;
  /**
   * Task-local recovery (Flink's `state.backend.local-recovery`, default false): TaskManagers keep a
   * copy of their tasks' latest snapshots and restore from it when a task comes back to them.
   */
  readonly localRecovery: boolean;
  /**
   * Where keyed state lives (`state.backend.type`): `heap`, or `lmdb` on the TaskManagers' disks
   * (their own working directories: a client never names a path). Absent: the job's own setting,
   * then the cluster's default, then heap.
   */
  readonly stateBackend: StateBackendOptions["kind"] | undefined;
  readonly fromSavepoint: string | undefined;
  readonly allowNonRestoredState: boolean;
}

export class SubmissionError extends Error {
  override name = "SubmissionError";
}

/**
 * Turns a SQL script into the job module and params that run it, or throws an error whose message
 * starts with `line L, column C: ` (syntax, validation, planning). The runtime does not depend on
 * the SQL engine: `weir jobmanager` passes `@weir/sql`'s `planClusterScript`.
 */
export type SqlScriptPlanner = (
  script: string,
) => Promise<{ readonly moduleUrl: string; readonly params: unknown; readonly jobName: string }>;

/** Longest SQL script accepted (characters); the body limit of the REST server applies too. */
export const MAX_SQL_SCRIPT = 1_000_000;

export const ARTIFACT_ID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
export const SAVEPOINT_NAME = /^savepoint-[a-f0-9]{32}-[0-9]{1,15}$/;
const JOB_FILE = /\.(job\.)?[cm]?[jt]s$/;
const FIELDS = new Set([
  "jobFile",
  "artifactId",
  "sql",
  "params",
  "parallelism",
  "jobName",
  "checkpointIntervalMs",
  "unalignedCheckpoints",
  "alignedCheckpointTimeoutMs",
  "maxConcurrentCheckpoints",
  "restartAttempts",
  "failoverStrategy",
  "localRecovery",
  "stateBackend",
  "restartDelayMs",
  "fromSavepoint",
  "allowNonRestoredState",
]);

function positiveInteger(body: Record<string, unknown>, field: string, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
    throw new SubmissionError(`${field} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

export function parseSubmission(body: unknown): JobSubmission {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new SubmissionError("the request body must be a JSON object");
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!FIELDS.has(key))
      throw new SubmissionError(
        `unknown field ${JSON.stringify(key)}; expected one of ${[...FIELDS].join(", ")}`,
      );
  const { jobFile, artifactId, sql, jobName, fromSavepoint } = record;
  if ([jobFile, artifactId, sql].filter((v) => v !== undefined).length !== 1)
    throw new SubmissionError(
      "give exactly one of jobFile (a path on the jobmanager's machine), artifactId (an upload) and sql (a SQL script)",
    );
  if (sql !== undefined) {
    if (typeof sql !== "string" || sql.trim().length === 0 || sql.length > MAX_SQL_SCRIPT)
      throw new SubmissionError(`sql must be a SQL script of 1 to ${MAX_SQL_SCRIPT} characters`);
    if (record.params !== undefined)
      throw new SubmissionError("a sql submission takes no params: the script's SET statements configure it");
  }
  if (jobFile !== undefined) {
    if (
      typeof jobFile !== "string" ||
      jobFile.includes("\0") ||
      !isAbsolute(jobFile) ||
      !JOB_FILE.test(jobFile)
    )
      throw new SubmissionError("jobFile must be an absolute path to a .ts or .js job module");
  }
  if (artifactId !== undefined && (typeof artifactId !== "string" || !ARTIFACT_ID.test(artifactId)))
    throw new SubmissionError("artifactId must be an id returned by POST /artifacts");
  if (jobName !== undefined && (typeof jobName !== "string" || jobName.length === 0 || jobName.length > 200))
    throw new SubmissionError("jobName must be a string of 1 to 200 characters");
  if (
    fromSavepoint !== undefined &&
    (typeof fromSavepoint !== "string" || !SAVEPOINT_NAME.test(fromSavepoint))
  )
    throw new SubmissionError(
      "fromSavepoint must be the name of a savepoint this jobmanager took (savepoint-<job id>-<checkpoint id>)",
    );
  if (record.allowNonRestoredState !== undefined && typeof record.allowNonRestoredState !== "boolean")
    throw new SubmissionError("allowNonRestoredState must be a boolean");
  if (record.unalignedCheckpoints !== undefined && typeof record.unalignedCheckpoints !== "boolean")
    throw new SubmissionError("unalignedCheckpoints must be a boolean");
  const alignedTimeout = record.alignedCheckpointTimeoutMs;
  if (
    alignedTimeout !== undefined &&
    (typeof alignedTimeout !== "number" ||
      !Number.isInteger(alignedTimeout) ||
      alignedTimeout < 0 ||
      alignedTimeout > 86_400_000)
  )
    throw new SubmissionError(
      `alignedCheckpointTimeoutMs must be an integer from 0 to 86400000, got ${JSON.stringify(alignedTimeout)}`,
    );
  if (
    (record.unalignedCheckpoints === true || alignedTimeout !== undefined) &&
    record.checkpointIntervalMs === undefined
  )
    throw new SubmissionError(
      "unalignedCheckpoints and alignedCheckpointTimeoutMs need checkpointIntervalMs",
    );
  if (alignedTimeout !== undefined && record.unalignedCheckpoints !== true)
    throw new SubmissionError("alignedCheckpointTimeoutMs needs unalignedCheckpoints: true");
  const maxConcurrentCheckpoints = positiveInteger(record, "maxConcurrentCheckpoints", 1_000);
  if (maxConcurrentCheckpoints !== undefined && record.checkpointIntervalMs === undefined)
    throw new SubmissionError("maxConcurrentCheckpoints needs checkpointIntervalMs");
  if (
    maxConcurrentCheckpoints !== undefined &&
    maxConcurrentCheckpoints > 1 &&
    record.unalignedCheckpoints === true
  )
    throw new SubmissionError(
      "maxConcurrentCheckpoints must be 1 with unalignedCheckpoints (unaligned checkpoints run one at a time, as in Flink)",
    );
  const failover = record.failoverStrategy;
  if (failover !== undefined && failover !== "region" && failover !== "full")
    throw new SubmissionError(`failoverStrategy must be "region" or "full", got ${JSON.stringify(failover)}`);
  if (record.localRecovery !== undefined && typeof record.localRecovery !== "boolean")
    throw new SubmissionError("localRecovery must be a boolean");
  let stateBackend: StateBackendOptions["kind"] | undefined;
  if (record.stateBackend !== undefined) {
    if (typeof record.stateBackend !== "string")
      throw new SubmissionError(
        `stateBackend must be "heap" (alias "hashmap") or "lmdb", got ${JSON.stringify(record.stateBackend)}`,
      );
    try {
      stateBackend = parseStateBackendKind(record.stateBackend, "stateBackend");
    } catch (error) {
      throw new SubmissionError((error as Error).message);
    }
  }
  const attempts = record.restartAttempts;
  if (attempts !== undefined && (typeof attempts !== "number" || !Number.isInteger(attempts) || attempts < 0))
    throw new SubmissionError(
      `restartAttempts must be a non-negative integer, got ${JSON.stringify(attempts)}`,
    );
  const delay = record.restartDelayMs;
  if (
    delay !== undefined &&
    (typeof delay !== "number" || !Number.isInteger(delay) || delay < 0 || delay > 3_600_000)
  )
    throw new SubmissionError(
      `restartDelayMs must be an integer from 0 to 3600000, got ${JSON.stringify(delay)}`,
    );
  return {
    jobFile: jobFile as string | undefined,
    artifactId: artifactId as string | undefined,
    sql: sql as string | undefined,
    params: record.params,
    parallelism: positiveInteger(record, "parallelism", 1024) ?? 1,
    jobName: jobName as string | undefined,
    checkpointIntervalMs: positiveInteger(record, "checkpointIntervalMs", 86_400_000),
    unalignedCheckpoints: record.unalignedCheckpoints === true,
    alignedCheckpointTimeoutMs: alignedTimeout as number | undefined,
    maxConcurrentCheckpoints,
    failoverStrategy: failover as "region" | "full" | undefined,
    localRecovery: record.localRecovery === true,
    stateBackend,
    restartStrategy:
      attempts === undefined && delay === undefined
        ? undefined
        : {
            kind: "fixed-delay",
            attempts: (attempts as number | undefined) ?? 3,
            delayMs: (delay as number | undefined) ?? 1_000,
          },
    fromSavepoint: fromSavepoint as string | undefined,
    allowNonRestoredState: record.allowNonRestoredState === true,
  };
}
