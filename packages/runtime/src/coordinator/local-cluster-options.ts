/**
 * What a caller may ask of a job run on the local mini-cluster (or of the same run logic on a
 * cluster's JobManager), the defaults of what it leaves out, and the checks a run passes before it
 * starts.
 *
 * Invariant: a run only starts with options it can honour: a bounded graph in BATCH mode, at most
 * {@link MAX_SUBTASKS} slots, a valid restart strategy, a known failover strategy, and no live
 * `onCollected` listener on a run that could restart without checkpoints (it would see records twice).
 * Such jobs are rejected synchronously, before any slot starts.
 * @module
 */

import { MAX_SUBTASKS } from "../exchange/channel-id.ts";
import type { ExecutionRequest } from "../graph/environment-impl.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import type { StateBackendOptions } from "../state/state-backend-factory.ts";
import type { CheckpointFailure, CheckpointStats } from "./checkpoint-coordinator.ts";
import type { CheckpointingOptions } from "./checkpointing-options.ts";
import type { CollectedListener } from "./collected-results.ts";
import type { JobRun, JobRunObserver } from "./job-run.ts";
import { type RestartStrategy, validateRestartStrategy } from "./restart-strategy.ts";

export interface LocalClusterOptions {
  /** Records per exchange batch (default 1024). */
  readonly batchSize?: number;
  /** Credits (batches in flight) per channel (default 4). */
  readonly buffersPerChannel?: number;
  /** Cancels the job when aborted; `execute()` then rejects with {@link JobCancelledError}. */
  readonly signal?: AbortSignal;
  /** Periodic aligned checkpoints; off when absent. */
  readonly checkpointing?: CheckpointingOptions;
  /** Where keyed state lives (`state.backend`): heap (default) or lmdb (on local disk). */
  readonly stateBackend?: StateBackendOptions;
  /**
   * What a task failure does. Default: no restart without checkpointing; with checkpointing,
   * exponential delay from 1 s to 60 s, as Flink's default.
   */
  readonly restartStrategy?: RestartStrategy;
  /** Receives one line per event worth telling an operator (restarts, restores, skipped checkpoints). */
  readonly log?: (message: string) => void;
  /** Called with the figures of every completed checkpoint. */
  readonly onCheckpoint?: (stats: CheckpointStats) => void;
  /** Called for every triggered checkpoint that did not complete (expired, stopped, not stored). */
  readonly onCheckpointFailed?: (failure: CheckpointFailure) => void;
  /**
   * Start from the newest intact checkpoint in this directory (a savepoint: what a cancelled or
   * failed run kept), at this job's parallelism; operators are matched by uid.
   */
  readonly restoreFrom?: { readonly path: string; readonly allowNonRestoredState?: boolean };
  /**
   * What a task failure restarts (Flink's `jobmanager.execution.failover-strategy`): `region`
   * (default) restarts only the failed task's pipelined region, `full` every task.
   */
  readonly failoverStrategy?: FailoverStrategy;
  /** Sees state changes, failures and completed checkpoints (e.g. a local REST API's job view). */
  readonly observer?: JobRunObserver;
  /** Called once the run started, with the run (to cancel it, or to serve it over REST). */
  readonly onStart?: (run: JobRun) => void;
  /**
   * Receives collect sinks' records while the job runs, as they become final: per completed
   * checkpoint with checkpointing (a restart never delivers a record twice), at once without it
   * (then the run must not restart). Such records are not kept for `collected()`. Must not throw.
   */
  readonly onCollected?: CollectedListener;
}

/** @public */
export type FailoverStrategy = "region" | "full";

const DEFAULT_RESTARTS_WITH_CHECKPOINTING: RestartStrategy = {
  kind: "exponential-delay",
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 1.5,
  attempts: Number.POSITIVE_INFINITY,
};

/** The restart strategy a run uses: the caller's, else Flink's default for its checkpointing. */
export function effectiveRestartStrategy(options: LocalClusterOptions): RestartStrategy {
  return (
    options.restartStrategy ??
    (options.checkpointing !== undefined ? DEFAULT_RESTARTS_WITH_CHECKPOINTING : { kind: "none" })
  );
}

/** Throws when the job cannot run with these options (see the module's invariant). */
export function checkRunnable(
  request: ExecutionRequest,
  graph: JobGraph,
  options: LocalClusterOptions,
): void {
  if (request.executionMode === "BATCH" && !graph.bounded) {
    const unbounded = request.graph.nodes.filter(
      (n) => n.kind === "source" && n.source.boundedness !== "BOUNDED",
    );
    throw new Error(
      `BATCH execution needs bounded sources; unbounded: ${unbounded.map((n) => `"${n.name}"`).join(", ")}`,
    );
  }
  const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
  if (slots > MAX_SUBTASKS) throw new RangeError(`parallelism above ${MAX_SUBTASKS} is not supported`);
  if (options.restartStrategy !== undefined) validateRestartStrategy(options.restartStrategy);
  if (
    options.onCollected !== undefined &&
    options.checkpointing === undefined &&
    (options.restartStrategy?.kind ?? "none") !== "none"
  )
    throw new Error(
      "onCollected without checkpointing delivers records as they arrive, and a restart would deliver " +
        "them again: enable checkpointing to restart, or use no restart strategy",
    );
  const strategy = options.failoverStrategy;
  if (strategy !== undefined && strategy !== "region" && strategy !== "full")
    throw new TypeError(`unknown failover strategy ${JSON.stringify(strategy)}; expected "region" or "full"`);
}
