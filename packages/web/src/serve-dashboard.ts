/**
 * The handler the JobManager's REST server calls for GET requests (its `dashboard` option): it
 * answers the dashboard's fixed paths from memory and declines everything else, which the REST
 * server then routes to the API (or answers 404). Invariant: the response to a dashboard path is
 * always one of DASHBOARD_ASSETS, sent with its own content type and headers that confine the page
 * to its own origin (CSP without inline script or style, no framing, no sniffing).
 *
 * Example: `serveDashboard("/", response)` sends index.html and returns true;
 * `serveDashboard("/jobs", response)` returns false and writes nothing.
 * @module
 */

import type { ServerResponse } from "node:http";
import { DASHBOARD_ASSETS } from "./dashboard-assets.ts";

/**
 * Same origin only: scripts and styles from the table above, API calls to the same server.
 * No 'unsafe-inline' anywhere, so data shown on the page (job names, exception messages) can
 * never run as script even if the rendering code slipped.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function serveDashboard(path: string, response: ServerResponse): boolean {
  const asset = DASHBOARD_ASSETS.get(path);
  if (asset === undefined) return false;
  response.writeHead(200, {
    "content-type": asset.contentType,
    "content-length": asset.body.length,
    "content-security-policy": DASHBOARD_CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    // The assets change only with the package; revalidation keeps an upgraded JobManager's page fresh.
    "cache-control": "no-cache",
  });
  response.end(asset.body);
  return true;
}
