/**
 * `@weir/web`: the web dashboard served by the JobManager's REST server. Pass `serveDashboard` as
 * the REST server's `dashboard` option; the dashboard then lives at `/` (append `#token=<token>`
 * when the server requires a bearer token).
 * @module
 */

export { DASHBOARD_ASSETS, type DashboardAsset } from "./dashboard-assets.ts";
export { DASHBOARD_CONTENT_SECURITY_POLICY, serveDashboard } from "./serve-dashboard.ts";
