/**
 * What the REST API serves: the JobManager of a cluster, or one local `weir run` (see
 * {@link LocalRestBackend}). The REST server and the metrics read only this surface, so both kinds
 * answer the same routes and the CLI (`weir jobs`, `weir savepoint`, `weir stop`) talks to either.
 * @module
 */

import type { ClusterJob } from "../cluster/cluster-job.ts";
import type { JobSubmission } from "../cluster/job-submission.ts";
import type { RegisteredTaskManager } from "../cluster/task-manager-registry.ts";

export interface RestBackend {
  readonly jobs: ReadonlyMap<string, ClusterJob>;
  readonly registry: {
    readonly all: readonly RegisteredTaskManager[];
    readonly totalSlots: number;
    readonly availableSlots: number;
    freeSlots(taskManager: RegisteredTaskManager): number;
  };
  /** Where savepoints go when a request names no target directory. */
  readonly savepointsDir: string;
  /** Stores an uploaded job module; returns its id. May refuse (an HTTP error). */
  storeArtifact(source: Buffer): string;
  /** Starts a submitted job. May refuse (an HTTP error). */
  submit(submission: JobSubmission): Promise<ClusterJob>;
}
