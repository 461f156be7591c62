/**
 * The JobManager: the cluster's coordinator process. It accepts TaskManagers on its RPC port
 * (registration, heartbeats, slot messages), runs each submitted job with the mini-cluster's job
 * run (checkpoint coordinator, restart strategy, collected results) on slots placed across
 * TaskManagers, and serves the REST API.
 *
 * Secure defaults: every port binds to 127.0.0.1 unless configured. Bound to another address,
 * the RPC port requires a cluster secret from TaskManagers and the REST API a bearer token
 * (`rest-server.ts`); without them the JobManager refuses to start rather than run open.
 * @module
 */

import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { basename, join, resolve } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { pathToFileURL } from "node:url";
import {
  type ClusterJobSettings,
  clusterJobSettings,
  type ExecutionSettings,
  executionSettingsFromConfig,
  overlaySettings,
} from "../config/flink-execution-config.ts";
import type { CheckpointStorageOptions } from "../coordinator/checkpointing-options.ts";
import type { JobRun } from "../coordinator/job-run.ts";
import { startJobRun } from "../coordinator/local-cluster.ts";
import { captureGraph, loadJobDefinition } from "../graph/job-module.ts";
import { ClusterJob } from "./cluster-job.ts";
import type { ToJobManager, ToTaskManager } from "./cluster-messages.ts";
import { type ClusterTls, tlsServerOptions } from "./cluster-tls.ts";
import { ControlConnection } from "./control-connection.ts";
import { tokensEqual } from "./data-handshake.ts";
import { type JobSubmission, type SqlScriptPlanner, SubmissionError } from "./job-submission.ts";
import { LocalRecovery } from "./local-recovery.ts";
import { isLoopback } from "./loopback.ts";
import { type RemoteSlotGroup, remoteSlotLauncher } from "./remote-slot-group.ts";
import { type Logger, SILENT_LOGGER } from "./structured-log.ts";
import { type RegisteredTaskManager, TaskManagerRegistry } from "./task-manager-registry.ts";

const REGISTRATION_TIMEOUT_MS = 10_000;

export interface JobManagerOptions {
  /** Address of the RPC port TaskManagers connect to (default 127.0.0.1). */
  readonly rpcHost?: string;
  /** Default 6123, as Flink; 0 picks a free port. */
  readonly rpcPort?: number;
  /** Required of TaskManagers when set; required to be set when `rpcHost` is not a loopback address. */
  readonly secret?: string;
  /** Mutual TLS for every connection between cluster processes (see cluster-tls.ts). */
  readonly tls?: ClusterTls;
  /** How often TaskManagers send heartbeats (default 1000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** A TaskManager silent for this long is lost (default 5000 ms). */
  readonly heartbeatTimeoutMs?: number;
  /** How often slot threads report their counters (default 1000 ms). */
  readonly metricsIntervalMs?: number;
  /** How long an attempt waits for enough free slots (default 60 000 ms). */
  readonly slotWaitMs?: number;
  /** Checkpoint storage of every job (default: directory `.weir/checkpoints`). */
  readonly checkpointStorage?: CheckpointStorageOptions;
  /** Uploaded job modules, stored under generated names (default `.weir/uploads`). */
  readonly uploadsDir?: string;
  /** Savepoints (default `.weir/savepoints`). */
  readonly savepointsDir?: string;
  readonly log?: Logger;
  /** Plans SQL scripts submitted as `sql` (absent: such submissions are refused). */
  readonly sqlPlanner?: SqlScriptPlanner;
  /**
   * What a submission that does not say otherwise runs with (weir.yaml's Flink keys, read with
   * `executionSettingsFromConfig`): a submission's `checkpointIntervalMs`, `unalignedCheckpoints`,
   * `alignedCheckpointTimeoutMs`, restart and failover strategy and state backend win over these.
   * Of the state backend only the kind counts: TaskManagers keep LMDB files in their own directory.
   */
  readonly jobDefaults?: Pick<
    ExecutionSettings,
    "checkpointing" | "restartStrategy" | "failoverStrategy" | "stateBackend"
  >;
}

export class JobManager {
  readonly registry: TaskManagerRegistry;
  readonly jobs = new Map<string, ClusterJob>();
  readonly startedAt = Date.now();
  readonly #options: JobManagerOptions;
  readonly #log: Logger;
  readonly #groups = new Map<string, RemoteSlotGroup>();
  readonly #server: Server;
  readonly #connections = new Set<ControlConnection<ToJobManager, ToTaskManager>>();
  readonly uploadsDir: string;
  readonly savepointsDir: string;

  private constructor(options: JobManagerOptions, server: Server) {
    this.#options = options;
    this.#log = options.log ?? SILENT_LOGGER;
    this.#server = server;
    this.registry = new TaskManagerRegistry(options.heartbeatTimeoutMs ?? 5_000);
    this.registry.subscribe({
      lost: (tm, reason) => this.#log("warn", "taskmanager lost", { taskManager: tm.id, reason }),
    });
    this.uploadsDir = resolve(options.uploadsDir ?? ".weir/uploads");
    this.savepointsDir = resolve(options.savepointsDir ?? ".weir/savepoints");
    const accept = (socket: Socket) => this.#accept(new ControlConnection(socket));
    // A TLS server reports a connection once its handshake (client certificate included) passed.
    server.on(options.tls === undefined ? "connection" : "secureConnection", accept);
  }

  static async start(options: JobManagerOptions = {}): Promise<JobManager> {
    const host = options.rpcHost ?? "127.0.0.1";
    if (options.secret !== undefined && options.secret.length < 16)
      throw new Error("the cluster secret must have at least 16 characters");
    if (!isLoopback(host) && options.secret === undefined && options.tls === undefined)
      throw new Error(
        `the RPC port binds to ${host}, which is not a loopback address: set a cluster secret of at least 16 characters ` +
          "(--secret or WEIR_CLUSTER_SECRET) or mutual TLS (--tls-cert, --tls-key, --tls-ca) so that only your TaskManagers can join",
      );
    const server =
      options.tls === undefined ? createServer() : createTlsServer(tlsServerOptions(options.tls));
    await new Promise<void>((resolvePromise, reject) => {
      server.once("error", reject);
      server.listen(options.rpcPort ?? 6123, host, () => resolvePromise());
    });
    return new JobManager(options, server);
  }

  get rpcAddress(): { host: string; port: number } {
    const address = this.#server.address() as { address: string; port: number };
    return { host: address.address, port: address.port };
  }

  #accept(connection: ControlConnection<ToJobManager, ToTaskManager>): void {
    this.#connections.add(connection);
    let taskManager: RegisteredTaskManager | undefined;
    const timer = setTimeout(() => {
      if (taskManager === undefined) connection.close("no registration in time");
    }, REGISTRATION_TIMEOUT_MS);
    connection.listen(
      (message) => {
        if (taskManager === undefined) {
          taskManager = this.#register(connection, message);
          clearTimeout(timer);
          return;
        }
        this.registry.heartbeat(taskManager.id);
        if (message.type === "heartbeat") connection.send({ type: "heartbeat" });
        this.#handle(message);
      },
      (reason) => {
        clearTimeout(timer);
        this.#connections.delete(connection);
        if (taskManager !== undefined) this.registry.lose(taskManager, reason);
      },
    );
  }

  #register(
    connection: ControlConnection<ToJobManager, ToTaskManager>,
    message: ToJobManager,
  ): RegisteredTaskManager | undefined {
    const refuse = (reason: string) => {
      this.#log("warn", "refused a taskmanager", { reason, remote: connection.socket.remoteAddress });
      connection.send({ type: "refused", reason });
      connection.socket.end();
      return undefined;
    };
    if (message.type !== "register")
      return refuse(`expected a registration, got ${JSON.stringify(message.type)}`);
    const secret = this.#options.secret;
    if (secret !== undefined && (typeof message.secret !== "string" || !tokensEqual(message.secret, secret)))
      return refuse("wrong or missing cluster secret");
    if (!Number.isInteger(message.slots) || message.slots < 1 || message.slots > 1024)
      return refuse(`slots must be an integer from 1 to 1024, got ${message.slots}`);
    const tm: RegisteredTaskManager = {
      id: String(message.taskManagerId),
      slots: message.slots,
      dataHost: advertisedDataHost(String(message.dataHost), connection.socket.remoteAddress),
      hostname: String(message.hostname),
      pid: Number(message.pid),
      registeredAt: Date.now(),
      remoteAddress: connection.socket.remoteAddress ?? "unknown",
      lastHeartbeat: Date.now(),
      taken: new Map(),
      send: (m) => connection.send(m),
      disconnect: (reason) => connection.close(reason),
    };
    connection.send({
      type: "registered",
      heartbeatIntervalMs: this.#options.heartbeatIntervalMs ?? 1_000,
      heartbeatTimeoutMs: this.#options.heartbeatTimeoutMs ?? 5_000,
      metricsIntervalMs: this.#options.metricsIntervalMs ?? 1_000,
    });
    this.registry.register(tm);
    this.#log("info", "taskmanager registered", { taskManager: tm.id, slots: tm.slots, host: tm.hostname });
    return tm;
  }

  #handle(message: ToJobManager): void {
    switch (message.type) {
      case "heartbeat":
      case "register":
        return;
      case "slot-message":
        this.#groups.get(message.deploymentId)?.fromSlot(message.slot, message.message, message.deploymentId);
        return;
      case "data-port":
        this.#groups.get(message.deploymentId)?.dataPort(message.slot, message.port, message.deploymentId);
        return;
      case "slot-crashed":
        this.#groups
          .get(message.deploymentId)
          ?.slotCrashed(message.slot, message.reason, message.deploymentId);
        return;
      case "local-restore":
        this.#groups.get(message.deploymentId)?.localRestore(message.slot, message.ok, message.deploymentId);
        return;
      case "state-blob-reads":
        this.#groups.get(message.deploymentId)?.stateBlobReads(message.reads);
        return;
      case "slot-metrics": {
        this.#groups.get(message.deploymentId)?.report(message.slot, message.counters, message.deploymentId);
        return;
      }
    }
  }

  /** Stores an uploaded job module under a generated name; returns its id. */
  storeArtifact(source: Buffer): string {
    const id = randomUUID();
    mkdirSync(this.uploadsDir, { recursive: true, mode: 0o700 });
    const path = this.#artifactPath(id);
    writeFileSync(`${path}.tmp`, source, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    return id;
  }

  #artifactPath(id: string): string {
    return join(this.uploadsDir, `${id}.job.ts`);
  }

  /** Loads the job module, builds its graph and starts it; resolves once it is running. */
  async submit(submission: JobSubmission): Promise<ClusterJob> {
    let module: { artifactId: string; source: string } | undefined;
    let moduleUrl: string;
    let params = submission.params;
    let defaultName: string;
    if (submission.sql !== undefined) {
      const planned = await this.#planSql(submission.sql);
      moduleUrl = planned.moduleUrl;
      params = planned.params;
      defaultName = submission.jobName ?? planned.jobName;
    } else {
      let path: string;
      if (submission.artifactId !== undefined) {
        path = this.#artifactPath(submission.artifactId);
        if (!existsSync(path)) throw new SubmissionError(`no uploaded artifact ${submission.artifactId}`);
        module = { artifactId: submission.artifactId, source: readFileSync(path, "utf8") };
      } else {
        path = submission.jobFile!;
        if (!existsSync(path) || !statSync(path).isFile())
          throw new SubmissionError("jobFile does not name a job module file on the jobmanager's machine");
      }
      moduleUrl = pathToFileURL(path).href;
      defaultName = submission.jobName ?? basename(path).replace(/\.(job\.)?[cm]?[jt]s$/, "");
    }
    const definition = await loadJobDefinition(moduleUrl);
    const request = await captureGraph(definition, params, {
      parallelism: submission.parallelism,
      jobName: defaultName,
    });
    const named = submission.jobName === undefined ? request : { ...request, jobName: submission.jobName };
    const storage = this.#options.checkpointStorage;
    // Submission fields win over the job's own configuration (a SQL script's SET), which wins
    // over the cluster's defaults.
    let defaults: ClusterJobSettings;
    let stateBackend: "heap" | "lmdb" | undefined;
    try {
      defaults = overlaySettings(this.#options.jobDefaults ?? {}, clusterJobSettings(named.configuration));
      // The kind only: a job's `state.backend.lmdb.localdir` names a path, which a client never does.
      stateBackend =
        submission.stateBackend ??
        (named.configuration === undefined
          ? undefined
          : executionSettingsFromConfig(named.configuration).stateBackend?.kind) ??
        this.#options.jobDefaults?.stateBackend?.kind;
    } catch (error) {
      throw new SubmissionError(error instanceof Error ? error.message : String(error));
    }
    const checkpointing =
      submission.checkpointIntervalMs === undefined && defaults.checkpointing === undefined
        ? undefined
        : {
            ...defaults.checkpointing,
            intervalMs: submission.checkpointIntervalMs ?? defaults.checkpointing!.intervalMs,
            ...(storage === undefined ? {} : { storage }),
            ...(submission.unalignedCheckpoints ? { unaligned: true } : {}),
            ...(submission.alignedCheckpointTimeoutMs === undefined
              ? {}
              : { alignedCheckpointTimeoutMs: submission.alignedCheckpointTimeoutMs }),
            ...(submission.maxConcurrentCheckpoints === undefined
              ? {}
              : { maxConcurrent: submission.maxConcurrentCheckpoints }),
          };
    const job = new ClusterJob(named.jobName, checkpointing !== undefined, this.savepointsDir);
    const log = this.#log;
    const localRecovery = submission.localRecovery ? new LocalRecovery(job.id) : undefined;
    job.localRecovery = localRecovery;
    let run: JobRun;
    try {
      run = startJobRun(
        moduleUrl,
        params,
        named,
        {
          ...(checkpointing === undefined ? {} : { checkpointing }),
          ...(stateBackend === undefined ? {} : { stateBackend: { kind: stateBackend } }),
          ...(submission.failoverStrategy === undefined
            ? defaults.failoverStrategy === undefined
              ? {}
              : { failoverStrategy: defaults.failoverStrategy }
            : { failoverStrategy: submission.failoverStrategy }),
          ...(submission.restartStrategy === undefined
            ? defaults.restartStrategy === undefined
              ? {}
              : { restartStrategy: defaults.restartStrategy }
            : { restartStrategy: submission.restartStrategy }),
          ...(submission.fromSavepoint === undefined
            ? {}
            : {
                restoreFrom: {
                  path: join(this.savepointsDir, submission.fromSavepoint),
                  allowNonRestoredState: submission.allowNonRestoredState,
                },
              }),
          log: (line: string) => log("info", line, { job: job.id }),
        },
        {
          observer: job,
          launchSlots: remoteSlotLauncher({
            registry: this.registry,
            slotWaitMs: this.#options.slotWaitMs ?? 60_000,
            module,
            ...(localRecovery === undefined ? {} : { localRecovery }),
            track: (group, deploymentId) => {
              this.#groups.set(deploymentId, group);
              job.group = group;
              return () => this.#groups.delete(deploymentId);
            },
          }),
        },
      );
    } catch (error) {
      throw new SubmissionError(error instanceof Error ? error.message : String(error));
    }
    job.run = run;
    if (job.state === "INITIALIZING") job.state = "RUNNING";
    this.jobs.set(job.id, job);
    log("info", "job submitted", { job: job.id, name: job.name });
    run.result().then(
      (result) => {
        job.result = result;
        log("info", "job finished", {
          job: job.id,
          durationMs: result.durationMs,
          restarts: result.restarts,
        });
      },
      (error: unknown) => log("warn", "job ended", { job: job.id, state: job.state, reason: String(error) }),
    );
    // The job is over: nobody restores from its local state copies any more.
    if (localRecovery !== undefined)
      void run
        .result()
        .catch(() => {})
        .finally(() => {
          for (const tm of this.registry.all) tm.send({ type: "discard-local-state", jobId: job.id });
        });
    return job;
  }

  /** A SQL script's job module and params; its errors (positioned `line L, column C: …`) are the client's. */
  async #planSql(script: string): Promise<{ moduleUrl: string; params: unknown; jobName: string }> {
    const planner = this.#options.sqlPlanner;
    if (planner === undefined)
      throw new SubmissionError(
        "this jobmanager was started without the SQL planner: submit a job module instead",
      );
    try {
      return await planner(script);
    } catch (error) {
      throw new SubmissionError(error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.run?.cancel();
    await Promise.allSettled([...this.jobs.values()].map((job) => job.run?.result()));
    this.registry.close();
    for (const connection of this.#connections) connection.close("jobmanager shutting down");
    await new Promise<void>((resolvePromise) => this.#server.close(() => resolvePromise()));
  }
}

/**
 * A TaskManager whose slots listen on a wildcard address cannot advertise it: peers are told the
 * address its control connection came from instead (the one the JobManager reached it by).
 */
function advertisedDataHost(dataHost: string, remoteAddress: string | undefined): string {
  if (dataHost !== "0.0.0.0" && dataHost !== "::" && dataHost !== "[::]") return dataHost;
  return (remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
}
