/**
 * The REST API of a local `weir run` (`--rest-port`): the same routes as a JobManager's, serving the
 * one job this process runs, so `weir savepoint`, `weir stop` and `weir jobs list` work against a
 * local run as against a cluster. It has no TaskManagers (the slots are this process's threads)
 * and refuses submissions and uploads: a local run runs exactly the job it was started with.
 *
 * Sequence: `weir run job.ts --checkpoint-interval 500 --rest-port 8081` creates the backend and
 * passes {@link LocalRestBackend.observer} to the run -> the run starts ({@link attach}) -> `weir
 * savepoint <id> /tmp/sp` -> the next completed checkpoint is copied to `/tmp/sp/savepoint-<id>-<n>`.
 * @module
 */

import { ClusterJob } from "../cluster/cluster-job.ts";
import { TaskManagerRegistry } from "../cluster/task-manager-registry.ts";
import type { JobRun, JobRunObserver } from "../coordinator/job-run.ts";
import { HttpError } from "./http-exchange.ts";
import type { RestBackend } from "./rest-backend.ts";

export class LocalRestBackend implements RestBackend {
  readonly jobs = new Map<string, ClusterJob>();
  readonly registry = new TaskManagerRegistry(60_000);
  readonly savepointsDir: string;
  readonly #job: ClusterJob;

  constructor(jobName: string, checkpointingEnabled: boolean, savepointsDir: string) {
    this.savepointsDir = savepointsDir;
    this.#job = new ClusterJob(jobName, checkpointingEnabled, savepointsDir);
    this.jobs.set(this.#job.id, this.#job);
  }

  get jobId(): string {
    return this.#job.id;
  }

  /** The job's view for the REST API: pass it to the run as its observer. */
  get observer(): JobRunObserver {
    return this.#job;
  }

  /** The run started: cancellation and stop-with-savepoint act on it from now on. */
  attach(run: JobRun): void {
    this.#job.run = run;
    if (this.#job.state === "INITIALIZING") this.#job.state = "RUNNING";
  }

  /** The location of a completed stop-with-savepoint, if that is how the run ended. */
  get stoppedWithSavepoint(): string | undefined {
    for (const request of this.#job.savepoints.values())
      if (request.cancelJob && request.status === "COMPLETED") return request.location;
    return undefined;
  }

  /**
   * After a stop-with-savepoint the run ends at once, and with it this API: waits (up to
   * `timeoutMs`) until the client that stopped the job has read the savepoint's location.
   */
  async stopReported(timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const reported = () =>
      [...this.#job.savepoints.values()].some((r) => r.cancelJob && r.outcomeReported === true);
    while (!reported() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  storeArtifact(): string {
    throw new HttpError(
      409,
      "this is a local weir run serving its one job: upload jobs to a cluster's jobmanager",
    );
  }

  async submit(): Promise<ClusterJob> {
    throw new HttpError(
      409,
      "this is a local weir run serving its one job: submit jobs to a cluster's jobmanager",
    );
  }

  close(): void {
    this.registry.close();
  }
}
