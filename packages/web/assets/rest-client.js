// @ts-check
/**
 * The dashboard's only way to the REST API. Invariant: the bearer token travels in the
 * Authorization header and lives in sessionStorage, never in a URL the server sees: it is given
 * as a `#token=…` fragment (fragments are not sent in requests), moved to sessionStorage, and
 * removed from the address bar at once.
 *
 * Example: opening `http://jm:8081/#token=abc…` stores the token and shows `http://jm:8081/#/`.
 * @module
 */

const TOKEN_KEY = "weir.rest-token";

/**
 * @typedef {{ id: string, name: string, state: string, "start-time": number, "end-time": number, duration: number }} JobSummary
 * @typedef {{ "read-records": number, "write-records": number, "read-records-per-second": number,
 *   "write-records-per-second": number, "backpressure-ratio": number, "current-watermark"?: number | null }} VertexMetrics
 * @typedef {{ id: number, name: string, parallelism: number, maxParallelism: number, operators: string[],
 *   metrics: VertexMetrics }} Vertex
 * @typedef {{ id: number, source: number, target: number, partitioning: string }} Edge
 * @typedef {{ jid: string, name: string, state: string, attempt: number, "start-time": number,
 *   "end-time": number, duration: number, taskmanagers: string[], vertices: Vertex[], edges: Edge[] }} JobDetails
 * @typedef {{ id: number, status: string, completedAt: number, durationMs: number, sizeBytes: number,
 *   maxAlignmentMs: number }} CheckpointRecord
 * @typedef {{ enabled: boolean, counts: { completed: number, restarts: number },
 *   history: CheckpointRecord[] }} Checkpoints
 * @typedef {{ timestamp: number, exceptionName: string, message: string, stacktrace: string,
 *   taskName?: string, restarting: boolean }} JobException
 * @typedef {{ exceptionHistory: { entries: JobException[] } }} Exceptions
 * @typedef {{ id: string, hostname: string, dataHost: string, pid: number, slotsNumber: number,
 *   freeSlots: number, registeredAt: number, timeSinceLastHeartbeat: number }} TaskManager
 * @typedef {{ taskmanagers: number, "slots-total": number, "slots-available": number,
 *   "jobs-running": number, "jobs-finished": number, "jobs-cancelled": number, "jobs-failed": number }} Overview
 */

export class RestError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = "RestError";
    this.status = status;
  }
}

/** Moves a `#token=…` fragment into sessionStorage; call once, before the first request. */
export function adoptTokenFromFragment() {
  const hash = window.location.hash;
  if (!hash.startsWith("#token=")) return;
  const token = decodeURIComponent(hash.slice("#token=".length));
  if (token.length > 0) sessionStorage.setItem(TOKEN_KEY, token);
  history.replaceState(null, "", `${window.location.pathname}#/`);
}

/**
 * GETs a JSON document of the API (a path such as `/jobs`).
 * @param {string} path
 * @returns {Promise<any>}
 */
export async function getJson(path) {
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { headers, cache: "no-store", credentials: "omit" });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (Array.isArray(body.errors)) message = `${response.status}: ${body.errors.join("; ")}`;
    } catch {
      // Not a JSON error body: the status line says enough.
    }
    if (response.status === 401)
      message += " — open the dashboard as /#token=<REST token> (the token is kept for this tab only)";
    throw new RestError(response.status, message);
  }
  return response.json();
}
