/**
 * The dashboard's files, as a table of fixed URL paths loaded into memory once. Invariant: a
 * request path is only ever a key into this table, never part of a filesystem path, so no
 * request can name a file outside it (`/../package.json`, `/assets/%2e%2e/x` are simply absent
 * keys). Adding a file to the dashboard means adding a row here.
 *
 * Example: `DASHBOARD_ASSETS.get("/")` is index.html with `text/html; charset=utf-8`;
 * `DASHBOARD_ASSETS.get("/index.html")` is undefined (one name per file).
 * @module
 */

import { readFileSync } from "node:fs";

export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const CONTENT_TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
} as const;

/** URL path -> file under packages/web/assets/ (both fixed at build time, never from a request). */
const FILES: readonly (readonly [urlPath: string, file: string, type: keyof typeof CONTENT_TYPES])[] = [
  ["/", "index.html", "html"],
  ["/web/dashboard.css", "dashboard.css", "css"],
  ["/web/favicon.svg", "favicon.svg", "svg"],
  ["/web/app.js", "app.js", "js"],
  ["/web/rest-client.js", "rest-client.js", "js"],
  ["/web/format.js", "format.js", "js"],
  ["/web/dom.js", "dom.js", "js"],
  ["/web/jobs-view.js", "jobs-view.js", "js"],
  ["/web/job-view.js", "job-view.js", "js"],
  ["/web/job-graph.js", "job-graph.js", "js"],
  ["/web/taskmanagers-view.js", "taskmanagers-view.js", "js"],
];

function load(): ReadonlyMap<string, DashboardAsset> {
  const table = new Map<string, DashboardAsset>();
  for (const [urlPath, file, type] of FILES) {
    const body = readFileSync(new URL(`../assets/${file}`, import.meta.url));
    table.set(urlPath, { contentType: CONTENT_TYPES[type], body });
  }
  return table;
}

export const DASHBOARD_ASSETS: ReadonlyMap<string, DashboardAsset> = load();
