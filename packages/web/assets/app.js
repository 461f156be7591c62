// @ts-check
/**
 * The dashboard's entry point: a hash router (`#/`, `#/jobs/<id>`, `#/taskmanagers`) and the
 * poll loop. Invariant: at most one request round is in flight; the next starts a second after
 * the previous one settled, so a slow JobManager is never flooded, and a round that finishes after
 * the user navigated elsewhere is dropped instead of overwriting the new page.
 * @module
 */

import { el } from "./dom.js";
import { renderJob } from "./job-view.js";
import { renderJobs } from "./jobs-view.js";
import { adoptTokenFromFragment } from "./rest-client.js";
import { renderTaskManagers } from "./taskmanagers-view.js";

const POLL_INTERVAL_MS = 1000;

/** @returns {{ name: string, render: () => Promise<HTMLElement> }} */
function routeOf(/** @type {string} */ hash) {
  const path = hash.replace(/^#/, "") || "/";
  const job = /^\/jobs\/([^/]+)$/.exec(path);
  if (job !== null) {
    const jobId = job[1] ?? "";
    return { name: "job", render: () => renderJob(jobId) };
  }
  if (path === "/taskmanagers") return { name: "taskmanagers", render: renderTaskManagers };
  return { name: "jobs", render: renderJobs };
}

const view = /** @type {HTMLElement} */ (document.getElementById("view"));
const connection = /** @type {HTMLElement} */ (document.getElementById("connection"));
/** Bumped on every navigation; a round started under an older value is stale. */
let generation = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

async function refresh() {
  const started = generation;
  const route = routeOf(window.location.hash);
  for (const link of document.querySelectorAll("[data-nav]"))
    link.classList.toggle(
      "active",
      link.getAttribute("data-nav") === (route.name === "job" ? "jobs" : route.name),
    );
  try {
    const content = await route.render();
    if (started !== generation) return;
    view.replaceChildren(content);
    connection.textContent = `updated ${new Date().toLocaleTimeString()}`;
    connection.classList.remove("error");
  } catch (error) {
    if (started !== generation) return;
    connection.textContent = error instanceof Error ? error.message : String(error);
    connection.classList.add("error");
    if (view.childElementCount === 0)
      view.replaceChildren(el("p", { class: "error-text" }, connection.textContent));
  } finally {
    if (started === generation) timer = setTimeout(refresh, POLL_INTERVAL_MS);
  }
}

function navigate() {
  // A `#token=` link opened in a tab that already shows the dashboard changes only the hash.
  adoptTokenFromFragment();
  generation++;
  clearTimeout(timer);
  view.replaceChildren();
  void refresh();
}

window.addEventListener("hashchange", navigate);
navigate();
