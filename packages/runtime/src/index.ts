/**
 * `@weir/runtime`: runs Weir jobs. The local mini-cluster runs a job module with one worker thread
 * per slot; see {@link runJob}.
 * @module
 */

export type {
  CheckpointingOptions,
  CheckpointStats,
  CheckpointStorageOptions,
} from "./coordinator/checkpoint-coordinator.ts";
export { JobCancelledError, JobExecutionError } from "./coordinator/job-errors.ts";
export type { LocalClusterOptions } from "./coordinator/local-cluster.ts";
export type { RestartStrategy } from "./coordinator/restart-strategy.ts";
export { jobModuleUrl, type RunJobOptions, runJob } from "./coordinator/run-job.ts";
export { InvalidJobError } from "./graph/job-graph.ts";
export { JobModuleError } from "./graph/job-module.ts";
export { hashKey, keyGroupForKey } from "./keys/key-hash.ts";
export {
  type BenchmarkResult,
  computeResult,
  type Timed,
  timeRun,
  toJsonLine,
} from "./metrics/run-measurement.ts";
export { ManualClock, type ProcessingClock, SYSTEM_CLOCK } from "./time/processing-clock.ts";
