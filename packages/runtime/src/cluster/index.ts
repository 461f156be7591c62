/**
 * `@weir/runtime/cluster`: the cluster mode's processes (JobManager, TaskManager), the REST server
 * and structured logs, for the CLI and for embedding.
 * @module
 */

export { LocalRestBackend } from "../rest/local-rest-backend.ts";
export type { RestBackend } from "../rest/rest-backend.ts";
export { RestConfigurationError, RestServer, type RestServerOptions } from "../rest/rest-server.ts";
export type { ClusterJob } from "./cluster-job.ts";
export { JobManager, type JobManagerOptions } from "./job-manager.ts";
export type { SqlScriptPlanner } from "./job-submission.ts";
export { isLoopback } from "./loopback.ts";
export { jsonLogger, type Logger, type LogLevel } from "./structured-log.ts";
export { TaskManager, type TaskManagerOptions } from "./task-manager.ts";
