/**
 * `@weir/runtime`: runs Weir jobs. The local mini-cluster runs a job module with one worker thread
 * per slot; see {@link runJob}.
 * @module
 */

export { checkpointToObjects } from "./checkpoint/checkpoint-persistence.ts";
export { CheckpointStore, LocalDirectoryBlobStore } from "./checkpoint/storage/index.ts";
export {
  ConfigValueError,
  EXECUTION_CONFIG_KEYS,
  type ExecutionSettings,
  executionSettingsFromConfig,
  parseFlinkDuration,
} from "./config/flink-execution-config.ts";
export type {
  CheckpointFailure,
  CheckpointStats,
  TaskCheckpointFigures,
} from "./coordinator/checkpoint-coordinator.ts";
export type { CheckpointingOptions, CheckpointStorageOptions } from "./coordinator/checkpointing-options.ts";
export { type CollectedListener, collectSinkName } from "./coordinator/collected-results.ts";
export { JobCancelledError, JobExecutionError } from "./coordinator/job-errors.ts";
export type { JobRun, JobState } from "./coordinator/job-run.ts";
export type { FailoverStrategy, LocalClusterOptions } from "./coordinator/local-cluster.ts";
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
export { HeapStateBackend } from "./state/heap-state-backend.ts";
export type { KeyedStateHandle } from "./state/keyed-state-handle.ts";
export { LmdbStateBackend, type LmdbStateBackendOptions } from "./state/lmdb/lmdb-state-backend.ts";
export type { StateBackend } from "./state/state-backend.ts";
export { parseStateBackendKind, type StateBackendOptions } from "./state/state-backend-factory.ts";
export { ManualClock, type ProcessingClock, SYSTEM_CLOCK } from "./time/processing-clock.ts";
