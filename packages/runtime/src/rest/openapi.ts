/**
 * The OpenAPI 3.1 description of the JobManager's REST API, served at `/openapi.json`. The route
 * table of `rest-server.ts` and this document name the same operations; a test checks that every
 * route the server answers is described here, so the two cannot drift apart silently.
 * @module
 */

import { MAX_SQL_SCRIPT } from "../cluster/job-submission.ts";

const errors = {
  description: "Error",
  content: {
    "application/json": {
      schema: { $ref: "#/components/schemas/Errors" },
    },
  },
};

const jobId = {
  name: "jobId",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^[a-f0-9]{32}$" },
};

const json = (schema: unknown, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Weir JobManager REST API",
    version: "1",
    description:
      "Submit, inspect and stop jobs on a Weir cluster. Modelled on Flink's REST API. Every endpoint requires " +
      "`Authorization: Bearer <token>` when the server has a token (always when bound to a non-loopback address).",
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Errors: {
        type: "object",
        required: ["errors"],
        properties: { errors: { type: "array", items: { type: "string" } } },
      },
      JobSubmission: {
        type: "object",
        additionalProperties: false,
        description: "Exactly one of jobFile, artifactId and sql names what runs.",
        oneOf: [{ required: ["jobFile"] }, { required: ["artifactId"] }, { required: ["sql"] }],
        properties: {
          jobFile: {
            type: "string",
            description: "Absolute path of a job module on the JobManager's machine.",
          },
          artifactId: { type: "string", description: "Id of a module uploaded with POST /artifacts." },
          sql: {
            type: "string",
            minLength: 1,
            maxLength: MAX_SQL_SCRIPT,
            description:
              "A SQL script: DDL, SET, RESET, USE and INSERT statements (or statement sets), run as one " +
              "job (a statement set), or a single CREATE TABLE ... AS SELECT. A SELECT is refused: a " +
              "cluster job writes its results to sinks. Planned before it is accepted: a syntax or " +
              "planning error is a 400 whose message starts with `line L, column C: `. Its SET " +
              "statements configure the job; the fields of this request win over them. Takes no params.",
          },
          params: { description: "Job parameters, passed to the job's builder (not with sql)." },
          parallelism: { type: "integer", minimum: 1, maximum: 1024 },
          jobName: { type: "string" },
          checkpointIntervalMs: { type: "integer", minimum: 1 },
          unalignedCheckpoints: {
            type: "boolean",
            description: "Unaligned checkpoints: barriers overtake buffered data, which is checkpointed too.",
          },
          alignedCheckpointTimeoutMs: {
            type: "integer",
            minimum: 0,
            description:
              "With unalignedCheckpoints: start aligned, switch to unaligned after this long (0: at once).",
          },
          maxConcurrentCheckpoints: {
            type: "integer",
            minimum: 1,
            description:
              "Checkpoints in flight at once (default 1; must be 1 with unalignedCheckpoints). Flink's execution.checkpointing.max-concurrent-checkpoints.",
          },
          restartAttempts: { type: "integer", minimum: 0 },
          localRecovery: {
            type: "boolean",
            description:
              "Task-local recovery: TaskManagers keep local copies of their tasks' state (default false)",
          },
          stateBackend: {
            type: "string",
            enum: ["heap", "hashmap", "lmdb"],
            description:
              "Where keyed state lives: heap (default) or lmdb, on the TaskManagers' disks with incremental checkpoints",
          },
          failoverStrategy: {
            type: "string",
            enum: ["region", "full"],
            description: "What a task failure restarts: its pipelined region (default) or every task",
          },
          restartDelayMs: { type: "integer", minimum: 0 },
          fromSavepoint: { type: "string", description: "Name of a savepoint this JobManager took." },
          allowNonRestoredState: { type: "boolean" },
        },
      },
      JobSummary: {
        type: "object",
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          state: {
            type: "string",
            enum: ["INITIALIZING", "RUNNING", "RESTARTING", "FINISHED", "FAILED", "CANCELED"],
          },
          "start-time": { type: "integer" },
          "end-time": { type: "integer" },
          duration: { type: "integer" },
        },
      },
      JobDetails: {
        type: "object",
        properties: {
          jid: { type: "string" },
          name: { type: "string" },
          state: { type: "string" },
          attempt: { type: "integer" },
          vertices: {
            type: "array",
            items: {
              type: "object",
              properties: {
                id: { type: "integer" },
                name: { type: "string" },
                parallelism: { type: "integer" },
                maxParallelism: { type: "integer" },
                operators: { type: "array", items: { type: "string" } },
                metrics: {
                  type: "object",
                  properties: {
                    "read-records": { type: "integer" },
                    "write-records": { type: "integer" },
                    "read-records-per-second": { type: "integer" },
                    "write-records-per-second": { type: "integer" },
                    "backpressure-ratio": { type: "number" },
                    "current-watermark": {
                      type: ["integer", "null"],
                      description:
                        "Lowest event-time watermark over the vertex's subtasks, epoch milliseconds; null while a subtask has none.",
                    },
                  },
                },
              },
            },
          },
          edges: { type: "array", items: { type: "object" } },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    "/overview": {
      get: {
        operationId: "getOverview",
        summary: "Cluster overview",
        responses: { "200": json({ type: "object" }), default: errors },
      },
    },
    "/taskmanagers": {
      get: {
        operationId: "listTaskManagers",
        summary: "Registered TaskManagers",
        responses: { "200": json({ type: "object" }), default: errors },
      },
    },
    "/artifacts": {
      post: {
        operationId: "uploadArtifact",
        summary:
          "Upload a job module; it is stored under a generated name (the client's file name is ignored)",
        requestBody: {
          required: true,
          content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
        },
        responses: {
          "201": json({ type: "object", properties: { id: { type: "string" } } }, "Stored"),
          default: errors,
        },
      },
    },
    "/jobs": {
      get: {
        operationId: "listJobs",
        summary: "Every job this JobManager ran",
        responses: {
          "200": json({
            type: "object",
            properties: { jobs: { type: "array", items: { $ref: "#/components/schemas/JobSummary" } } },
          }),
          default: errors,
        },
      },
      post: {
        operationId: "submitJob",
        summary: "Submit a job: a job module or a SQL script (runs code on the cluster: a privileged act)",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/JobSubmission" } } },
        },
        responses: {
          "202": json({ type: "object", properties: { jobid: { type: "string" } } }, "Submitted"),
          default: errors,
        },
      },
    },
    "/jobs/{jobId}": {
      get: {
        operationId: "getJob",
        summary: "Job details: state, vertex graph, per-vertex metrics",
        parameters: [jobId],
        responses: { "200": json({ $ref: "#/components/schemas/JobDetails" }), default: errors },
      },
      patch: {
        operationId: "cancelJob",
        summary: "Cancel the job (mode=cancel)",
        parameters: [
          jobId,
          { name: "mode", in: "query", required: false, schema: { type: "string", enum: ["cancel"] } },
        ],
        responses: { "202": json({ type: "object" }, "Cancelling"), default: errors },
      },
    },
    "/jobs/{jobId}/checkpoints": {
      get: {
        operationId: "getCheckpoints",
        summary: "Checkpoint counts and history",
        parameters: [jobId],
        responses: { "200": json({ type: "object" }), default: errors },
      },
    },
    "/jobs/{jobId}/exceptions": {
      get: {
        operationId: "getExceptions",
        summary: "Failures of the job and of its attempts",
        parameters: [jobId],
        responses: { "200": json({ type: "object" }), default: errors },
      },
    },
    "/jobs/{jobId}/execution-result": {
      get: {
        operationId: "getExecutionResult",
        summary: "Collected results once the job finished",
        parameters: [jobId],
        responses: { "200": json({ type: "object" }), default: errors },
      },
    },
    "/jobs/{jobId}/savepoints": {
      post: {
        operationId: "triggerSavepoint",
        summary:
          "Take a savepoint (the next checkpoint, kept in its own directory); cancel-job stops the job after it",
        parameters: [jobId],
        requestBody: {
          required: false,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  "cancel-job": { type: "boolean" },
                  "target-directory": {
                    type: "string",
                    description:
                      "Absolute directory on the server to create the savepoint's directory in (default: the server's savepoints directory)",
                  },
                },
              },
            },
          },
        },
        responses: {
          "202": json({ type: "object", properties: { "request-id": { type: "string" } } }, "Triggered"),
          default: errors,
        },
      },
    },
    "/jobs/{jobId}/savepoints/{requestId}": {
      get: {
        operationId: "getSavepoint",
        summary: "Status of a savepoint request",
        parameters: [jobId, { name: "requestId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": json({ type: "object" }), default: errors },
      },
    },
    "/jobs/{jobId}/stop": {
      post: {
        operationId: "stopJob",
        summary:
          "Stop with a savepoint: the job's last checkpoint becomes the savepoint, sinks commit it, the job finishes",
        parameters: [jobId],
        requestBody: {
          required: false,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  targetDirectory: {
                    type: "string",
                    description: "Absolute directory on the server to create the savepoint's directory in",
                  },
                  drain: {
                    type: "boolean",
                    description:
                      "End the sources' input first, so windows and timers fire as at the end of bounded data (default false: every task stops where the savepoint's barrier found it)",
                  },
                },
              },
            },
          },
        },
        responses: {
          "202": json({ type: "object", properties: { "request-id": { type: "string" } } }, "Stopping"),
          default: errors,
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        responses: {
          "200": {
            description: "Prometheus text format 0.0.4",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApi",
        summary: "This document",
        responses: { "200": json({ type: "object" }) },
      },
    },
  },
} as const;
