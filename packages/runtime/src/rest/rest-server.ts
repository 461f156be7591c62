/**
 * The JobManager's REST API (node:http, JSON), modelled on Flink's: jobs (submit, list, details
 * with the vertex graph and per-vertex metrics, cancel, savepoints, stop-with-savepoint,
 * checkpoints, exceptions, results), TaskManagers, overview, Prometheus metrics and the OpenAPI
 * description.
 *
 * Secure by default:
 * - binds to 127.0.0.1 unless told otherwise; bound elsewhere it refuses to start without a bearer
 *   token, and with a token every endpoint requires it (compared in constant time);
 * - no endpoint maps a URL to a file: paths are matched against a fixed route table, ids against
 *   strict patterns, and encoded separators or dot segments are refused before routing;
 * - uploads are stored under generated names, and every body has a size limit (413 beyond it);
 * - errors are JSON `{ "errors": ["…"] }` and never echo the request path.
 * @module
 */

import { timingSafeEqual } from "node:crypto";
import { accessSync, constants, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { isAbsolute } from "node:path";
import type { ClusterJob } from "../cluster/cluster-job.ts";
import { parseSubmission, SubmissionError } from "../cluster/job-submission.ts";
import { isLoopback } from "../cluster/loopback.ts";
import { HttpError, readBody, readJson, sendError, sendJson, sendText } from "./http-exchange.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";
import { renderMetrics } from "./prometheus-metrics.ts";
import type { RestBackend } from "./rest-backend.ts";

export interface RestServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8081, as Flink; 0 picks a free port. */
  readonly port?: number;
  /** Bearer token; required when `host` is not a loopback address. */
  readonly token?: string;
  /** Largest JSON body (default 1 MiB). */
  readonly maxJsonBytes?: number;
  /** Largest uploaded job module (default 10 MiB). */
  readonly maxUploadBytes?: number;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP is then not spoken at all. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Serves the web dashboard's static files (`weir jobmanager` passes `@weir/web`'s handler; the
   * runtime does not depend on it). Asked first for every GET with the path (query removed): it
   * answers one of its own fixed paths and returns true, or returns false to leave the request to
   * the API. Asked before the token check, because a browser cannot attach a bearer header to a page
   * load and the assets hold no job data; every API call the dashboard makes carries the token.
   */
  readonly dashboard?: (path: string, response: ServerResponse) => boolean;
}

export class RestConfigurationError extends Error {
  override name = "RestConfigurationError";
}

type Handler = (context: {
  request: IncomingMessage;
  response: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}) => Promise<void> | void;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

const PARAM_PATTERNS: Record<string, RegExp> = {
  jobId: /^[a-f0-9]{32}$/,
  requestId: /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/,
};

/** Encoded separators, dots, backslashes and NULs have no business in any route of this API. */
const SUSPICIOUS_PATH = /%2e|%2f|%5c|%00|\\|\0|\/\.\.?(\/|$)/i;

export class RestServer {
  readonly #jobManager: RestBackend;
  readonly #server: Server;
  readonly #token: Buffer | undefined;
  readonly #maxJson: number;
  readonly #maxUpload: number;
  readonly #routes: Route[];
  readonly #scheme: "http" | "https";
  readonly #dashboard: RestServerOptions["dashboard"];

  private constructor(jobManager: RestBackend, server: Server, options: RestServerOptions) {
    this.#jobManager = jobManager;
    this.#server = server;
    this.#token = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
    this.#maxJson = options.maxJsonBytes ?? 1024 * 1024;
    this.#maxUpload = options.maxUploadBytes ?? 10 * 1024 * 1024;
    this.#routes = this.#routeTable();
    this.#scheme = options.tls === undefined ? "http" : "https";
    this.#dashboard = options.dashboard;
    server.on("request", (request, response) => void this.#serve(request, response));
  }

  /** `jobManager`: a cluster's JobManager, or a local run's {@link RestBackend}. */
  static async start(jobManager: RestBackend, options: RestServerOptions = {}): Promise<RestServer> {
    const host = options.host ?? "127.0.0.1";
    if (options.token !== undefined && options.token.length < 16)
      throw new RestConfigurationError("the REST token must have at least 16 characters");
    if (!isLoopback(host) && options.token === undefined)
      throw new RestConfigurationError(
        `the REST API binds to ${host}, which is not a loopback address: it needs a bearer token (--rest-token or WEIR_REST_TOKEN)`,
      );
    const timeouts = { requestTimeout: 60_000, headersTimeout: 20_000 };
    const server: Server =
      options.tls === undefined
        ? createServer(timeouts)
        : createHttpsServer({
            ...timeouts,
            cert: options.tls.cert,
            key: options.tls.key,
            minVersion: "TLSv1.2",
          });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 8081, host, () => resolve());
    });
    return new RestServer(jobManager, server, options);
  }

  get address(): { host: string; port: number; url: string } {
    const address = this.#server.address() as { address: string; port: number; family: string };
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return { host: address.address, port: address.port, url: `${this.#scheme}://${host}:${address.port}` };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #authorized(request: IncomingMessage): boolean {
    if (this.#token === undefined) return true;
    const given = Buffer.from(request.headers.authorization ?? "");
    return given.length === this.#token.length && timingSafeEqual(given, this.#token);
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const dashboardPath = (request.url ?? "/").split("?", 1)[0]!;
      if (request.method === "GET" && this.#dashboard?.(dashboardPath, response) === true) return;
      if (!this.#authorized(request)) {
        response.setHeader("www-authenticate", 'Bearer realm="weir"');
        throw new HttpError(401, "missing or wrong bearer token");
      }
      const raw = request.url ?? "/";
      const queryAt = raw.indexOf("?");
      const rawPath = queryAt < 0 ? raw : raw.slice(0, queryAt);
      if (!rawPath.startsWith("/") || SUSPICIOUS_PATH.test(rawPath))
        throw new HttpError(400, "malformed request path");
      let segments: string[];
      try {
        segments = rawPath
          .split("/")
          .filter((s) => s.length > 0)
          .map((s) => decodeURIComponent(s));
      } catch {
        throw new HttpError(400, "malformed request path");
      }
      const query = new URLSearchParams(queryAt < 0 ? "" : raw.slice(queryAt + 1));
      let pathMatched = false;
      for (const route of this.#routes) {
        const params = match(route.segments, segments);
        if (params === undefined) continue;
        pathMatched = true;
        if (route.method !== request.method) continue;
        await route.handler({ request, response, params, query });
        return;
      }
      throw new HttpError(pathMatched ? 405 : 404, pathMatched ? "method not allowed" : "not found");
    } catch (error) {
      if (error instanceof HttpError) sendError(response, error.status, error.message);
      else if (error instanceof SubmissionError) sendError(response, 400, error.message);
      else sendError(response, 500, error instanceof Error ? error.message : String(error));
    }
  }

  #job(params: Record<string, string>): ClusterJob {
    const job = this.#jobManager.jobs.get(params.jobId!);
    if (job === undefined) throw new HttpError(404, "no job with this id");
    return job;
  }

  #routeTable(): Route[] {
    const jm = this.#jobManager;
    const route = (method: string, path: string, handler: Handler): Route => ({
      method,
      segments: path.split("/").filter((s) => s.length > 0),
      handler,
    });
    return [
      route("GET", "/openapi.json", ({ response }) => sendJson(response, 200, OPENAPI_DOCUMENT)),
      route("GET", "/metrics", ({ response }) =>
        sendText(response, 200, "text/plain; version=0.0.4; charset=utf-8", renderMetrics(jm)),
      ),
      route("GET", "/overview", ({ response }) => {
        const jobs = [...jm.jobs.values()];
        const count = (state: string) => jobs.filter((j) => j.state === state).length;
        sendJson(response, 200, {
          taskmanagers: jm.registry.all.length,
          "slots-total": jm.registry.totalSlots,
          "slots-available": jm.registry.availableSlots,
          "jobs-running": count("RUNNING") + count("RESTARTING") + count("INITIALIZING"),
          "jobs-finished": count("FINISHED"),
          "jobs-cancelled": count("CANCELED"),
          "jobs-failed": count("FAILED"),
        });
      }),
      route("GET", "/taskmanagers", ({ response }) =>
        sendJson(response, 200, {
          taskmanagers: jm.registry.all.map((tm) => ({
            id: tm.id,
            hostname: tm.hostname,
            dataHost: tm.dataHost,
            pid: tm.pid,
            slotsNumber: tm.slots,
            freeSlots: jm.registry.freeSlots(tm),
            registeredAt: tm.registeredAt,
            timeSinceLastHeartbeat: Date.now() - tm.lastHeartbeat,
          })),
        }),
      ),
      route("POST", "/artifacts", async ({ request, response }) => {
        const body = await readBody(request, this.#maxUpload);
        if (body.length === 0) throw new HttpError(400, "the upload is empty");
        sendJson(response, 201, { id: jm.storeArtifact(body) });
      }),
      route("GET", "/jobs", ({ response }) =>
        sendJson(response, 200, { jobs: [...jm.jobs.values()].map(summary) }),
      ),
      route("POST", "/jobs", async ({ request, response }) => {
        const submission = parseSubmission(await readJson(request, this.#maxJson));
        const job = await jm.submit(submission);
        sendJson(response, 202, { jobid: job.id });
      }),
      route("GET", "/jobs/:jobId", ({ response, params }) =>
        sendJson(response, 200, details(this.#job(params))),
      ),
      route("PATCH", "/jobs/:jobId", ({ response, params, query }) => {
        const job = this.#job(params);
        const mode = query.get("mode") ?? "cancel";
        if (mode !== "cancel") throw new HttpError(400, 'mode must be "cancel"');
        job.run?.cancel();
        sendJson(response, 202, {});
      }),
      route("GET", "/jobs/:jobId/checkpoints", ({ response, params }) => {
        const job = this.#job(params);
        sendJson(response, 200, {
          enabled: job.checkpointingEnabled,
          counts: {
            completed: job.completedCheckpoints,
            failed: job.failedCheckpoints,
            restarts: job.attempt,
          },
          latest: {
            completed: job.checkpoints[job.checkpoints.length - 1] ?? null,
            // As Flink's `latest.failed`, with the reason (expired, declined, stopped, storage).
            failed:
              job.lastFailedCheckpoint === undefined
                ? null
                : {
                    id: job.lastFailedCheckpoint.checkpointId,
                    status: "FAILED",
                    reason: job.lastFailedCheckpoint.reason,
                    failure_timestamp: job.lastFailedCheckpoint.failedAt,
                    failure_message: job.lastFailedCheckpoint.message,
                  },
          },
          history: [...job.checkpoints].reverse(),
        });
      }),
      route("GET", "/jobs/:jobId/exceptions", ({ response, params }) => {
        const job = this.#job(params);
        sendJson(response, 200, { exceptionHistory: { entries: [...job.exceptions].reverse() } });
      }),
      route("GET", "/jobs/:jobId/execution-result", ({ response, params }) => {
        const job = this.#job(params);
        const collected = job.collectedResults();
        if (collected === undefined) {
          // A finished job's results arrive just after its state changes: not complete until then.
          const ended = job.state === "FAILED" || job.state === "CANCELED";
          sendJson(response, 200, { status: { id: ended ? "COMPLETED" : "IN_PROGRESS" }, state: job.state });
          return;
        }
        sendJson(response, 200, {
          status: { id: "COMPLETED" },
          state: job.state,
          "job-execution-result": {
            id: job.id,
            restarts: job.result?.restarts,
            durationMs: job.result?.durationMs,
            collected,
          },
        });
      }),
      route("POST", "/jobs/:jobId/savepoints", async ({ request, response, params }) => {
        const job = this.#job(params);
        const body =
          request.headers["content-type"] === undefined ? {} : await readJson(request, this.#maxJson);
        const cancelJob = (body as { "cancel-job"?: unknown })["cancel-job"] === true;
        const target = savepointTarget((body as { "target-directory"?: unknown })["target-directory"]);
        const savepoint = job.triggerSavepoint(cancelJob, target);
        sendJson(response, 202, { "request-id": savepoint.requestId });
      }),
      route("POST", "/jobs/:jobId/stop", async ({ request, response, params }) => {
        const job = this.#job(params);
        const body =
          request.headers["content-type"] === undefined ? {} : await readJson(request, this.#maxJson);
        const target = savepointTarget((body as { targetDirectory?: unknown }).targetDirectory);
        const drain = (body as { drain?: unknown }).drain;
        if (drain !== undefined && typeof drain !== "boolean")
          throw new HttpError(400, `"drain" must be true or false, got ${JSON.stringify(drain)}`);
        const savepoint = job.stop(drain === true, target);
        sendJson(response, 202, { "request-id": savepoint.requestId });
      }),
      route("GET", "/jobs/:jobId/savepoints/:requestId", ({ response, params }) => {
        const savepoint = this.#job(params).savepoints.get(params.requestId!);
        if (savepoint === undefined) throw new HttpError(404, "no savepoint request with this id");
        if (savepoint.status !== "IN_PROGRESS") savepoint.outcomeReported = true;
        sendJson(response, 200, {
          status: { id: savepoint.status },
          operation:
            savepoint.status === "FAILED"
              ? { "failure-cause": savepoint.failure }
              : {
                  location: savepoint.location ?? null,
                  name: savepoint.location?.split(/[\\/]/).pop() ?? null,
                },
        });
      }),
    ];
  }
}

/**
 * A savepoint's target directory, as Flink's `target-directory`: absolute, created if missing, and
 * writable by this process, checked before the request is accepted so a bad one is a 400 at once
 * instead of a savepoint failing later.
 */
function savepointTarget(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.includes("\0"))
    throw new HttpError(400, "the target directory must be a non-empty string");
  if (!isAbsolute(value)) throw new HttpError(400, "the target directory must be an absolute path");
  try {
    mkdirSync(value, { recursive: true });
    accessSync(value, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new HttpError(400, `the target directory cannot be written (${code})`);
  }
  return value;
}

function match(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    if (p.startsWith(":")) {
      const name = p.slice(1);
      if (!PARAM_PATTERNS[name]!.test(s)) return undefined;
      params[name] = s;
    } else if (p !== s) return undefined;
  }
  return params;
}

function summary(job: ClusterJob) {
  return {
    id: job.id,
    name: job.name,
    state: job.state,
    "start-time": job.submittedAt,
    "end-time": job.endedAt ?? -1,
    duration: (job.endedAt ?? Date.now()) - job.submittedAt,
  };
}

function details(job: ClusterJob) {
  const graph = job.graph;
  const counters = job.vertexCounters();
  return {
    jid: job.id,
    name: job.name,
    state: job.state,
    attempt: job.attempt,
    "region-restarts": job.regionRestarts,
    "local-recovery":
      job.localRecovery === undefined
        ? { enabled: false }
        : {
            enabled: true,
            "local-restores": job.localRecovery.localRestores,
            "remote-restores": job.localRecovery.remoteRestores,
            fallbacks: job.localRecovery.fallbacks,
            "state-blobs-local": job.localRecovery.stateBlobReads.local,
            "state-blob-bytes-local": job.localRecovery.stateBlobReads.localBytes,
            "state-blobs-remote": job.localRecovery.stateBlobReads.remote,
            "state-blob-bytes-remote": job.localRecovery.stateBlobReads.remoteBytes,
          },
    subtasks: [...(job.group?.counters ?? [])].flatMap(([slot, tasks]) =>
      tasks.map((task) => ({
        vertex: task.vertex,
        subtask: task.subtask,
        slot,
        taskmanager: job.group?.taskManagerOf(slot)?.id ?? null,
        "read-records": task.recordsIn,
        "write-records": task.recordsOut,
      })),
    ),
    "start-time": job.submittedAt,
    "end-time": job.endedAt ?? -1,
    duration: (job.endedAt ?? Date.now()) - job.submittedAt,
    taskmanagers: [...new Set(job.group?.placement?.map((tm) => tm.id) ?? [])],
    vertices: (graph?.vertices ?? []).map((vertex) => {
      const c = counters.get(vertex.id);
      return {
        id: vertex.id,
        name: vertex.name,
        parallelism: vertex.parallelism,
        maxParallelism: vertex.maxParallelism,
        operators: vertex.operators.map((op) => op.node.name),
        metrics: {
          "read-records": c?.recordsIn ?? 0,
          "write-records": c?.recordsOut ?? 0,
          "read-records-per-second": c?.recordsInPerSecond ?? 0,
          "write-records-per-second": c?.recordsOutPerSecond ?? 0,
          "backpressure-ratio": c?.backpressuredRatio ?? 0,
          "current-watermark": watermarkForJson(c?.watermark ?? null),
        },
      };
    }),
    edges: (graph?.edges ?? []).map((edge) => ({
      id: edge.id,
      source: edge.sourceVertex,
      target: edge.targetVertex,
      partitioning: edge.partitioning,
    })),
  };
}

/**
 * JSON has no infinities: the end-of-input watermark (+Infinity) is sent as Flink sends
 * Long.MAX_VALUE, as the largest safe integer; "no watermark yet" (null or -Infinity) as null.
 */
function watermarkForJson(watermark: number | null): number | null {
  if (watermark === null || watermark === Number.NEGATIVE_INFINITY) return null;
  return watermark === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : watermark;
}
