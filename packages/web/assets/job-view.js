// @ts-check
/**
 * One job's page: state and timing, the job graph, per-vertex metrics, checkpoint history and
 * exceptions, from `/jobs/{id}`, `/jobs/{id}/checkpoints` and `/jobs/{id}/exceptions` fetched
 * together on every poll, so the three sections always describe the same moment.
 * @module
 */

import { el, table } from "./dom.js";
import {
  backpressureLevel,
  formatBytes,
  formatCount,
  formatDuration,
  formatTime,
  formatWatermark,
} from "./format.js";
import { renderJobGraph } from "./job-graph.js";
import { getJson } from "./rest-client.js";

/** @typedef {import("./rest-client.js").JobDetails} JobDetails */
/** @typedef {import("./rest-client.js").Checkpoints} Checkpoints */
/** @typedef {import("./rest-client.js").Exceptions} Exceptions */

/** The API allows only 32 hex digits; anything else never reaches a request. */
const JOB_ID = /^[a-f0-9]{32}$/;

/**
 * @param {string} jobId
 * @returns {Promise<HTMLElement>}
 */
export async function renderJob(jobId) {
  if (!JOB_ID.test(jobId)) return el("section", {}, el("p", { class: "error-text" }, "Not a job id."));
  /** @type {[JobDetails, Checkpoints, Exceptions]} */
  const [details, checkpoints, exceptions] = await Promise.all([
    getJson(`/jobs/${jobId}`),
    getJson(`/jobs/${jobId}/checkpoints`),
    getJson(`/jobs/${jobId}/exceptions`),
  ]);
  const job = ENDED.has(details.state) ? withoutRates(details) : details;
  return el(
    "div",
    {},
    header(job),
    el(
      "section",
      { class: "graph", "data-testid": "job-graph" },
      el("h2", {}, "Job graph"),
      renderJobGraph(job.vertices, job.edges),
    ),
    vertexTable(job),
    checkpointSection(checkpoints),
    exceptionSection(exceptions),
  );
}

const ENDED = new Set(["FINISHED", "FAILED", "CANCELED"]);

/**
 * An ended job's last reported rates describe a moment long gone; shown as "—" instead.
 * @param {JobDetails} job
 * @returns {JobDetails}
 */
function withoutRates(job) {
  return {
    ...job,
    vertices: job.vertices.map((v) => ({
      ...v,
      metrics: {
        ...v.metrics,
        "read-records-per-second": Number.NaN,
        "write-records-per-second": Number.NaN,
      },
    })),
  };
}

/** @param {JobDetails} job */
function header(job) {
  return el(
    "section",
    {},
    el("h1", { "data-testid": "job-name" }, job.name),
    el(
      "div",
      { class: "facts" },
      el(
        "span",
        {},
        "State ",
        el("span", { class: `state state-${job.state}`, "data-testid": "job-state" }, job.state),
      ),
      el("span", {}, "Started ", el("b", {}, formatTime(job["start-time"]))),
      el("span", {}, "Duration ", el("b", { "data-testid": "job-duration" }, formatDuration(job.duration))),
      el("span", {}, "Attempt ", el("b", {}, job.attempt)),
      el("span", {}, "TaskManagers ", el("b", {}, job.taskmanagers.join(", ") || "—")),
      el("span", {}, "Id ", el("b", {}, job.jid)),
    ),
  );
}

/** @param {JobDetails} job */
function vertexTable(job) {
  const rows = job.vertices.map((v) => {
    const m = v.metrics;
    const level = backpressureLevel(m["backpressure-ratio"]);
    return el(
      "tr",
      { "data-testid": "vertex-row", "data-vertex-id": String(v.id) },
      el("td", { "data-testid": "vertex-name", title: v.operators.join(" → ") }, v.name),
      el("td", { class: "number", "data-testid": "vertex-parallelism" }, v.parallelism),
      el("td", { class: "number", "data-testid": "vertex-records-in" }, formatCount(m["read-records"])),
      el("td", { class: "number", "data-testid": "vertex-records-out" }, formatCount(m["write-records"])),
      el(
        "td",
        { class: "number", "data-testid": "vertex-rate-in" },
        formatCount(m["read-records-per-second"]),
      ),
      el(
        "td",
        { class: "number", "data-testid": "vertex-rate-out" },
        formatCount(m["write-records-per-second"]),
      ),
      el(
        "td",
        {},
        el(
          "span",
          { class: `badge bp-${level}`, "data-testid": "vertex-backpressure" },
          `${level.toUpperCase()} ${Math.round(m["backpressure-ratio"] * 100)}%`,
        ),
      ),
      el("td", { "data-testid": "vertex-watermark" }, formatWatermark(m["current-watermark"])),
    );
  });
  return el(
    "section",
    {},
    el("h2", {}, "Vertices"),
    table(
      "vertices-table",
      [
        "Vertex",
        ["Parallelism", "number"],
        ["Records in", "number"],
        ["Records out", "number"],
        ["In / s", "number"],
        ["Out / s", "number"],
        "Backpressure",
        "Watermark",
      ],
      rows,
      "The job has no graph yet (it is being scheduled).",
    ),
  );
}

/** @param {Checkpoints} checkpoints */
function checkpointSection(checkpoints) {
  const rows = checkpoints.history.map((c) =>
    el(
      "tr",
      { "data-testid": "checkpoint-row" },
      el("td", { class: "number", "data-testid": "checkpoint-id" }, c.id),
      el("td", {}, c.status),
      el("td", {}, formatTime(c.completedAt)),
      el("td", { class: "number" }, formatDuration(c.durationMs)),
      el("td", { class: "number" }, formatBytes(c.sizeBytes)),
      el("td", { class: "number" }, formatDuration(c.maxAlignmentMs)),
    ),
  );
  return el(
    "section",
    {},
    el("h2", {}, "Checkpoints"),
    el(
      "div",
      { class: "facts" },
      el("span", {}, "Checkpointing ", el("b", {}, checkpoints.enabled ? "enabled" : "disabled")),
      el(
        "span",
        {},
        "Completed ",
        el("b", { "data-testid": "checkpoints-completed" }, checkpoints.counts.completed),
      ),
      el("span", {}, "Restarts ", el("b", {}, checkpoints.counts.restarts)),
    ),
    table(
      "checkpoints-table",
      [
        ["Id", "number"],
        "Status",
        "Completed",
        ["Duration", "number"],
        ["Size", "number"],
        ["Max alignment", "number"],
      ],
      rows,
      checkpoints.enabled ? "No checkpoint completed yet." : "This job runs without checkpoints.",
    ),
  );
}

/** @param {Exceptions} exceptions */
function exceptionSection(exceptions) {
  const entries = exceptions.exceptionHistory.entries;
  return el(
    "section",
    { "data-testid": "exceptions" },
    el("h2", {}, `Exceptions (${entries.length})`),
    entries.length === 0
      ? el("p", { class: "empty" }, "No failures.")
      : entries.map((e) =>
          el(
            "details",
            { "data-testid": "exception" },
            el(
              "summary",
              {},
              `${formatTime(e.timestamp)} — ${e.exceptionName}: ${e.message}`,
              e.taskName === undefined ? "" : ` (in ${e.taskName})`,
              e.restarting ? " — restarted" : "",
            ),
            el("pre", {}, e.stacktrace),
          ),
        ),
  );
}
