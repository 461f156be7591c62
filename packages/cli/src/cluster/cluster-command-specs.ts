/**
 * Flags and help of the cluster commands: `weir jobmanager`, `weir taskmanager` and
 * `weir cluster start`. Every flag has an environment variable for secrets (so they stay out of
 * process listings) and a documented default.
 * @module
 */

import { type CommandSpec, type FlagSpec, HELP_FLAG } from "../command-spec.ts";

const BIND: FlagSpec = {
  name: "bind",
  type: "string",
  value: "HOST",
  description: "Address to bind the RPC port to (default 127.0.0.1; another address needs --secret).",
};
const SECRET: FlagSpec = {
  name: "secret",
  type: "string",
  value: "S",
  description: "Cluster secret TaskManagers present (default: env WEIR_CLUSTER_SECRET; none on loopback).",
};

const CONFIG: FlagSpec = {
  name: "config",
  type: "string",
  value: "PATH",
  description:
    "Configuration file (default: env WEIR_CONFIG, else ./weir.yaml if present). Flags and env win.",
};
const TLS_FLAGS: FlagSpec[] = [
  {
    name: "tls-cert",
    type: "string",
    value: "PEM",
    description: "Certificate file for mutual TLS between cluster processes (with --tls-key and --tls-ca).",
  },
  { name: "tls-key", type: "string", value: "PEM", description: "Private key file for mutual TLS." },
  {
    name: "tls-ca",
    type: "string",
    value: "PEM",
    description: "CA (or the shared self-signed certificate) that cluster peers must chain to.",
  },
];

export const JOBMANAGER_COMMAND: CommandSpec = {
  name: "jobmanager",
  usage: "weir jobmanager [flags]",
  summary: "Run a JobManager: TaskManagers register with it, jobs are submitted through its REST API",
  description:
    "Starts the cluster's coordinator. TaskManagers connect to its RPC port; jobs are submitted, inspected\n" +
    "and cancelled through the REST API (GET /openapi.json describes it). Both bind to 127.0.0.1 unless\n" +
    "configured: bound to another address, the RPC port requires a cluster secret and the REST API a\n" +
    "bearer token (one is generated and printed once if none is given). Logs are JSON lines on stdout.",
  flags: [
    {
      name: "rpc-port",
      type: "string",
      value: "P",
      description: "RPC port for TaskManagers (default 6123).",
    },
    { name: "rest-port", type: "string", value: "P", description: "REST port (default 8081)." },
    BIND,
    {
      name: "rest-bind",
      type: "string",
      value: "HOST",
      description: "Address to bind the REST API to (default: --bind).",
    },
    {
      name: "rest-token",
      type: "string",
      value: "T",
      description: "Bearer token of the REST API (default: env WEIR_REST_TOKEN; generated off loopback).",
    },
    {
      name: "rest-tls-cert",
      type: "string",
      value: "PEM",
      description: "Serve the REST API over HTTPS with this certificate file (with --rest-tls-key).",
    },
    {
      name: "rest-tls-key",
      type: "string",
      value: "PEM",
      description: "Private key file of the REST certificate.",
    },
    SECRET,
    ...TLS_FLAGS,
    CONFIG,
    {
      name: "checkpoint-dir",
      type: "string",
      value: "PATH",
      description: "Directory for checkpoints of every job (default .weir/checkpoints).",
    },
    {
      name: "checkpoint-s3-bucket",
      type: "string",
      value: "BUCKET",
      description: "Keep checkpoints in this S3 bucket instead (prefix, endpoint, region: weir.yaml or env).",
    },
    {
      name: "heartbeat-interval",
      type: "string",
      value: "MS",
      description: "How often TaskManagers send heartbeats (default 1000).",
    },
    {
      name: "heartbeat-timeout",
      type: "string",
      value: "MS",
      description: "A TaskManager silent this long is lost (default 5000).",
    },
    {
      name: "metrics-interval",
      type: "string",
      value: "MS",
      description: "How often tasks report their counters (default 1000).",
    },
    {
      name: "set",
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      description:
        "A default of every job, with Flink's key (repeatable): execution.checkpointing.*, restart-strategy.*,\n" +
        "      jobmanager.execution.failover-strategy, state.backend.type; a submission's own fields win.",
    },
    HELP_FLAG,
  ],
};

export const TASKMANAGER_COMMAND: CommandSpec = {
  name: "taskmanager",
  usage: "weir taskmanager --jobmanager HOST:PORT [flags]",
  summary: "Run a TaskManager that offers slots to a JobManager",
  description:
    "Connects to the JobManager's RPC port, registers its slots and runs the tasks deployed on them, one\n" +
    "worker thread per slot. Data between TaskManagers flows over TCP from slot to slot; --bind is the\n" +
    "address those connections reach (default 127.0.0.1, so set it on multi-machine clusters).",
  flags: [
    {
      name: "jobmanager",
      type: "string",
      value: "HOST:PORT",
      description: "The JobManager's RPC address (default 127.0.0.1:6123).",
    },
    { name: "slots", type: "string", value: "N", description: "Slots offered (default 1)." },
    {
      name: "bind",
      type: "string",
      value: "HOST",
      description: "Address slots listen on for data from other TaskManagers (default 127.0.0.1).",
    },
    SECRET,
    ...TLS_FLAGS,
    CONFIG,
    { name: "id", type: "string", value: "ID", description: "TaskManager id (default: generated)." },
    {
      name: "state-dir",
      type: "string",
      value: "DIR",
      description: "Where on-disk (lmdb) keyed state is kept while tasks run (default .weir/state/<id>).",
    },
    HELP_FLAG,
  ],
};

export const CLUSTER_COMMAND: CommandSpec = {
  name: "cluster",
  usage: "weir cluster start [flags]",
  summary: "Start a local cluster: a JobManager and TaskManagers as child processes",
  description:
    "Starts a JobManager and N TaskManagers on this machine as child processes, prints the REST address,\n" +
    "and stops them all on Ctrl-C. Submit jobs with POST /jobs (see GET /openapi.json).",
  flags: [
    { name: "taskmanagers", type: "string", value: "N", description: "TaskManagers to start (default 2)." },
    { name: "slots", type: "string", value: "N", description: "Slots per TaskManager (default 2)." },
    { name: "rpc-port", type: "string", value: "P", description: "RPC port (default 6123)." },
    { name: "rest-port", type: "string", value: "P", description: "REST port (default 8081)." },
    {
      name: "checkpoint-dir",
      type: "string",
      value: "PATH",
      description: "Directory for checkpoints (default .weir/checkpoints).",
    },
    HELP_FLAG,
  ],
};

export const JOBS_COMMAND: CommandSpec = {
  name: "jobs",
  usage: "weir jobs list | submit <job-file> | submit --sql <script.sql> | cancel <job-id> [flags]",
  summary: "List, submit and cancel jobs on a running cluster through its REST API",
  description:
    "A REST client of the JobManager. It reads the server's OpenAPI description (GET /openapi.json) and calls\n" +
    "the operations it names (listJobs, submitJob, cancelJob), so it follows the server's routes. submit sends\n" +
    "the absolute path of the job file: the file must exist on the JobManager's machine. submit --sql sends the\n" +
    "script's text instead: its DDL, SET and INSERT statements run as one job (a statement set), planned by the\n" +
    "JobManager before it accepts it; a refused script prints [ERROR] <file>: line L, column C: … and exits 1.",
  flags: [
    {
      name: "url",
      type: "string",
      value: "URL",
      description: "REST address of the JobManager (default: env WEIR_REST_URL, else http://127.0.0.1:8081).",
    },
    {
      name: "token",
      type: "string",
      value: "T",
      description: "Bearer token (default: env WEIR_REST_TOKEN).",
    },
    {
      name: "parallelism",
      short: "p",
      type: "string",
      value: "N",
      description: "submit: default parallelism.",
    },
    { name: "params", type: "string", value: "JSON", description: "submit: job parameters as a JSON value." },
    {
      name: "sql",
      type: "string",
      value: "FILE",
      description: "submit: a SQL script (DDL, SET, INSERT) to run as one job, instead of a job file.",
    },
    {
      name: "checkpoint-interval",
      type: "string",
      value: "MS",
      description: "submit: take a checkpoint every MS milliseconds.",
    },
    {
      name: "failover-strategy",
      type: "string",
      value: "S",
      description: "submit: what a task failure restarts, region (default) or full.",
    },
    {
      name: "local-recovery",
      type: "boolean",
      description: "submit: TaskManagers keep local copies of their tasks' state and restore from them.",
    },
    {
      name: "state-backend",
      type: "string",
      value: "KIND",
      description:
        "submit: where keyed state lives, heap or lmdb (on the TaskManagers' disks, incremental checkpoints).",
    },
    HELP_FLAG,
  ],
};

const REST_CLIENT_FLAGS: readonly FlagSpec[] = [
  {
    name: "jobmanager",
    short: "m",
    type: "string",
    value: "URL",
    description:
      "REST address of the JobManager, or of a local `weir run --rest-port` (default: env WEIR_REST_URL, else http://127.0.0.1:8081).",
  },
  { name: "token", type: "string", value: "T", description: "Bearer token (default: env WEIR_REST_TOKEN)." },
  {
    name: "timeout",
    type: "string",
    value: "MS",
    description: "How long to wait for the savepoint to complete (default 120000).",
  },
];

export const SAVEPOINT_COMMAND: CommandSpec = {
  name: "savepoint",
  usage: "weir savepoint <job-id> [target-dir] [flags]",
  summary: "Take a savepoint of a running job through the REST API",
  description:
    "Asks the JobManager (or a local `weir run --rest-port`) for a savepoint of the job: its next completed\n" +
    "checkpoint, copied into its own directory savepoint-<job-id>-<checkpoint-id> under target-dir (default: the\n" +
    "server's savepoints directory). Waits for it and prints its path; restore it with\n" +
    "`weir run --from-savepoint <path>`. target-dir is a directory on the server's machine (made absolute here).",
  flags: [...REST_CLIENT_FLAGS, HELP_FLAG],
};

export const STOP_COMMAND: CommandSpec = {
  name: "stop",
  usage: "weir stop <job-id> [--savepoint-path DIR] [--drain] [flags]",
  summary: "Stop a running job with a savepoint through the REST API",
  description:
    "Stops the job with a savepoint, as Flink's stop: every task stops where the savepoint's barrier finds it\n" +
    "(no record after the savepoint reaches a sink), sinks commit what the savepoint covers, and the job\n" +
    "finishes. With --drain the sources end their input first, so windows and timers fire as at the end of\n" +
    "bounded data (use it to end a job for good). Prints the savepoint's path.",
  flags: [
    {
      name: "drain",
      type: "boolean",
      description: "End the sources' input before the savepoint (emit every pending window and timer).",
    },
    {
      name: "savepoint-path",
      short: "p",
      type: "string",
      value: "DIR",
      description:
        "Directory on the server to create the savepoint in (default: the server's savepoints directory).",
    },
    ...REST_CLIENT_FLAGS,
    HELP_FLAG,
  ],
};
