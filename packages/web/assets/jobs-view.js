// @ts-check
/**
 * The jobs list: a cluster overview line and one row per job (name, state, start, duration), each
 * linking to its job page. Rendered afresh on every poll from `/overview` and `/jobs`.
 * @module
 */

import { el, table } from "./dom.js";
import { formatDuration, formatTime } from "./format.js";
import { getJson } from "./rest-client.js";

/** @typedef {import("./rest-client.js").JobSummary} JobSummary */
/** @typedef {import("./rest-client.js").Overview} Overview */

/** @returns {Promise<HTMLElement>} */
export async function renderJobs() {
  /** @type {[Overview, { jobs: JobSummary[] }]} */
  const [overview, { jobs }] = await Promise.all([getJson("/overview"), getJson("/jobs")]);
  const sorted = [...jobs].sort((a, b) => b["start-time"] - a["start-time"]);
  const rows = sorted.map((job) =>
    el(
      "tr",
      { "data-testid": "job-row", "data-job-id": job.id },
      el("td", {}, el("a", { href: `#/jobs/${job.id}`, "data-testid": "job-link" }, job.name)),
      el("td", {}, el("span", { class: `state state-${job.state}`, "data-testid": "job-state" }, job.state)),
      el("td", {}, formatTime(job["start-time"])),
      el("td", { class: "number", "data-testid": "job-duration" }, formatDuration(job.duration)),
      el("td", { class: "muted" }, job.id),
    ),
  );
  return el(
    "div",
    {},
    el(
      "section",
      { "data-testid": "overview" },
      el("h1", {}, "Cluster"),
      el(
        "div",
        { class: "facts" },
        el("span", {}, "TaskManagers ", el("b", {}, overview.taskmanagers)),
        el(
          "span",
          {},
          "Slots ",
          el("b", {}, `${overview["slots-available"]} free of ${overview["slots-total"]}`),
        ),
        el("span", {}, "Running ", el("b", {}, overview["jobs-running"])),
        el("span", {}, "Finished ", el("b", {}, overview["jobs-finished"])),
        el("span", {}, "Cancelled ", el("b", {}, overview["jobs-cancelled"])),
        el("span", {}, "Failed ", el("b", {}, overview["jobs-failed"])),
      ),
    ),
    el(
      "section",
      {},
      el("h2", {}, "Jobs"),
      table(
        "jobs-table",
        ["Name", "State", "Started", ["Duration", "number"], "Id"],
        rows,
        "No jobs yet: submit one with `weir submit` or POST /jobs.",
      ),
    ),
  );
}
