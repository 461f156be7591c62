/**
 * The web dashboard end to end: a JobManager and a TaskManager as real `weir` processes (the
 * JobManager's REST server serving `@weir/web`), an unbounded checkpointed job, and Debian's
 * headless Chromium driven by playwright-core. It checks what a user sees: the jobs list with the
 * job, the job page with the same vertices and edges as the REST API and metrics that move,
 * checkpoints filling the history, the TaskManagers page, the token kept out of URLs, and no
 * Content-Security-Policy violation. Screenshots go to os.tmpdir()/weir-dashboard-screenshots.
 */

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { ClusterProcesses, type Json, rest, waitFor } from "../cluster/cluster-processes.ts";
import type { ProgressParams } from "../jobs/event-time-progress.job.ts";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";

const CHROMIUM = "/usr/bin/chromium";
const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));
const EVENT_TIME_JOB = fileURLToPath(new URL("../jobs/event-time-progress.job.ts", import.meta.url));
const TOKEN = "dashboard-test-token-0123456789abcdef";
const SCREENSHOTS = join(tmpdir(), "weir-dashboard-screenshots");
const JOB_NAME = "dashboard e2e";
/** Rendered as text, it must show literally; parsed as HTML, it would set window.__xss. */
const HOSTILE_NAME = `<img src=x onerror="window.__xss=1">failing job`;

const processes = new ClusterProcesses();
let dir: string;
let url: string;
let jobId: string;
/** A bounded job that fails once (injected) and recovers: fills the exception history. */
let failingJobId: string;
let browser: Browser;
let page: Page;
/** Console errors and failed requests of the page: CSP violations are reported there. */
const pageProblems: string[] = [];

const api = (path: string) => rest(url, "GET", path, { token: TOKEN });

before(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the dashboard test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)`,
    );
  dir = mkdtempSync(join(tmpdir(), "weir-dashboard-"));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const jm = await processes.startJobManager([
    "--rest-token",
    TOKEN,
    "--checkpoint-dir",
    join(dir, "checkpoints"),
    "--metrics-interval",
    "200",
  ]);
  url = jm.restUrl;
  processes.startTaskManager("127.0.0.1", jm.rpcPort, "tm-dashboard", 4);
  await waitFor(
    async () => ((await api("/taskmanagers")).body?.taskmanagers?.length === 1 ? true : undefined),
    20_000,
  );
  const params: ExactlyOnceParams = { count: 1_000_000_000, keys: 4, recordsPerSecond: 2000, failAt: -1 };
  const submitted = await rest(url, "POST", "/jobs", {
    token: TOKEN,
    json: { jobFile: JOB, params, parallelism: 2, checkpointIntervalMs: 300, jobName: JOB_NAME },
  });
  assert.equal(submitted.status, 202, submitted.text);
  jobId = submitted.body.jobid;
  await waitFor(
    async () => ((await api(`/jobs/${jobId}`)).body.state === "RUNNING" ? true : undefined),
    30_000,
  );
  const failing: ExactlyOnceParams = { count: 4000, keys: 4, recordsPerSecond: 4000, failAt: 1000 };
  const second = await rest(url, "POST", "/jobs", {
    token: TOKEN,
    json: {
      jobFile: JOB,
      params: failing,
      parallelism: 2,
      checkpointIntervalMs: 200,
      restartAttempts: 2,
      restartDelayMs: 100,
      jobName: HOSTILE_NAME,
    },
  });
  assert.equal(second.status, 202, second.text);
  failingJobId = second.body.jobid;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("console", (message) => {
    if (message.type() === "error") pageProblems.push(message.text());
  });
  page.on("pageerror", (error) => pageProblems.push(error.message));
});

after(async () => {
  await browser?.close();
  await processes.stopAll();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function screenshot(name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

/** Numbers as the dashboard prints them ("12,345"). */
const count = (text: string | null) => Number((text ?? "").replaceAll(",", ""));

test("without the token the dashboard loads but says how to give the token", async () => {
  const answer = await fetch(`${url}/`);
  assert.equal(answer.status, 200, "the page itself needs no token: a browser cannot send one on navigation");
  assert.equal((await fetch(`${url}/jobs`)).status, 401, "the API still does");
  await page.goto(`${url}/`);
  const status = page.getByTestId("connection");
  await waitFor(async () => ((await status.textContent())?.includes("401") ? true : undefined), 10_000);
  assert.match((await status.textContent()) ?? "", /#token=/);
});

test("the jobs list shows the running job, and the token leaves the address bar", async () => {
  await page.goto(`${url}/#token=${TOKEN}`);
  const row = page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`);
  await row.waitFor({ timeout: 10_000 });
  // The unauthorised requests of the previous step are all settled once the list rendered.
  pageProblems.length = 0;
  assert.equal(await row.getByTestId("job-link").textContent(), JOB_NAME);
  assert.equal(await row.getByTestId("job-state").textContent(), "RUNNING");
  assert.doesNotMatch(page.url(), /token/, "the token must not stay in the URL");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("weir.rest-token")), TOKEN);
  const before = await row.getByTestId("job-duration").textContent();
  await waitFor(
    async () => ((await row.getByTestId("job-duration").textContent()) !== before ? true : undefined),
    5000,
  );
  await screenshot("01-jobs");
});

test("the job page shows the graph of the REST API with live metrics and checkpoints", async () => {
  await page.locator(`[data-job-id="${jobId}"] [data-testid=job-link]`).click();
  await page.getByTestId("job-graph").waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId("job-name").textContent(), JOB_NAME);

  const details: Json = (await api(`/jobs/${jobId}`)).body;
  assert.ok(details.vertices.length >= 2, "the job has several vertices");
  assert.equal(await page.getByTestId("graph-vertex").count(), details.vertices.length);
  assert.equal(await page.getByTestId("graph-edge").count(), details.edges.length);
  const partitionings = await page.locator("[data-testid=graph-edge] text").allTextContents();
  assert.deepEqual(
    partitionings.sort(),
    details.edges.map((e: Json) => String(e.partitioning).toUpperCase()).sort(),
  );
  assert.ok(partitionings.includes("HASH"), "keyBy appears as a HASH edge");
  assert.deepEqual(
    await page.getByTestId("vertex-name").allTextContents(),
    details.vertices.map((v: Json) => v.name),
  );
  assert.deepEqual(
    (await page.getByTestId("vertex-parallelism").allTextContents()).map(Number),
    details.vertices.map((v: Json) => v.parallelism),
  );
  for (const bp of await page.getByTestId("vertex-backpressure").allTextContents())
    assert.match(bp, /^(OK|LOW|HIGH) \d+%$/);

  // Live: the page polls, so the records it shows grow without a reload.
  const recordsShown = async () => {
    const ins = await page.getByTestId("vertex-records-in").allTextContents();
    const outs = await page.getByTestId("vertex-records-out").allTextContents();
    return [...ins, ...outs].reduce((sum, text) => sum + count(text), 0);
  };
  const first = await waitFor(async () => {
    const n = await recordsShown();
    return n > 0 ? n : undefined;
  }, 15_000);
  const later = await waitFor(async () => {
    const n = await recordsShown();
    return n > first ? n : undefined;
  }, 10_000);
  assert.ok(later > first);
  // Throughput: the source emits about 2000 records/s, and the page shows a rate of that order.
  const rate = await waitFor(async () => {
    const shown = (await page.getByTestId("vertex-rate-out").allTextContents()).map(count);
    return Math.max(...shown) > 0 ? Math.max(...shown) : undefined;
  }, 10_000);
  assert.ok(rate > 200 && rate < 20_000, `rate shown: ${rate}/s`);

  // Checkpoints every 300 ms: the history fills, newest first, matching the REST API's ids.
  await waitFor(
    async () => ((await page.getByTestId("checkpoint-row").count()) >= 3 ? true : undefined),
    20_000,
  );
  const ids = (await page.getByTestId("checkpoint-id").allTextContents()).map(Number);
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => b - a),
  );
  assert.ok(count(await page.getByTestId("checkpoints-completed").textContent()) >= 3);
  assert.equal(await page.getByTestId("exception").count(), 0, "a healthy job shows no exception");
  await screenshot("02-job");
});

test("the TaskManagers page lists the TaskManager with its slots and heartbeat", async () => {
  await page.locator("[data-nav=taskmanagers]").click();
  const row = page.getByTestId("taskmanager-row");
  await row.first().waitFor({ timeout: 10_000 });
  assert.deepEqual(await page.getByTestId("taskmanager-id").allTextContents(), ["tm-dashboard"]);
  assert.match((await page.getByTestId("taskmanager-slots").textContent()) ?? "", /^\d+ \/ 4$/);
  assert.match((await page.getByTestId("taskmanager-heartbeat").textContent()) ?? "", /^\d+ ms$|^\ds$/);
  await screenshot("03-taskmanagers");
});

test("a job's failures appear in its exception history, and hostile names stay text", async () => {
  await page.goto(`${url}/#/jobs/${failingJobId}`);
  const exception = page.getByTestId("exception");
  await exception.first().waitFor({ timeout: 30_000 });
  const summary = (await exception.first().locator("summary").textContent()) ?? "";
  assert.match(summary, /injected failure at record 1000/);
  assert.match(summary, /restarted/);
  await exception.first().locator("summary").click();
  assert.match((await exception.first().locator("pre").textContent()) ?? "", /injected failure/);
  assert.equal(await page.getByTestId("job-name").textContent(), HOSTILE_NAME);
  assert.equal(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined);
  // The job recovers from its checkpoint and finishes; the page follows without a reload.
  await waitFor(
    async () => ((await page.getByTestId("job-state").textContent()) === "FINISHED" ? true : undefined),
    30_000,
  );
  await page.getByTestId("vertex-rate-in").first().waitFor();
  assert.deepEqual(new Set(await page.getByTestId("vertex-rate-in").allTextContents()), new Set(["—"]));
  await screenshot("04-exceptions");
});

test("an event-time job's page shows each vertex's watermark as a time that advances", async () => {
  const params: ProgressParams = { count: 1_000_000_000, recordsPerSecond: 1000, stepMs: 10, lagMs: 500 };
  const submitted = await rest(url, "POST", "/jobs", {
    token: TOKEN,
    json: { jobFile: EVENT_TIME_JOB, params, parallelism: 1, jobName: "event time" },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const eventTimeJobId = submitted.body.jobid;
  await page.locator("[data-nav=jobs]").click();
  await page.locator(`[data-job-id="${eventTimeJobId}"] [data-testid=job-link]`).click();
  await page.getByTestId("job-graph").waitFor({ timeout: 10_000 });
  // Event time starts at the epoch: 10 ms per record, the watermark 501 ms behind.
  const shown = async () => page.getByTestId("vertex-watermark").allTextContents();
  const first = await waitFor(async () => {
    const texts = await shown();
    return texts.length === 2 && texts.every((t) => /^1970-01-01 00:\d\d:\d\d\.\d\d9$/.test(t))
      ? texts
      : undefined;
  }, 20_000);
  const later = await waitFor(async () => {
    const texts = await shown();
    return texts.every((t, i) => t > first[i]!) ? texts : undefined;
  }, 10_000);
  assert.ok(later.every((t, i) => t > first[i]!));
  assert.match(
    (await page.getByTestId("graph-vertex").allTextContents()).join(" "),
    /wm 1970-01-01 00:\d\d:\d\d\.\d\d9/,
    "the graph's vertex boxes show the watermark too",
  );
  await screenshot("05-event-time-job");
  assert.equal(
    (await rest(url, "PATCH", `/jobs/${eventTimeJobId}?mode=cancel`, { token: TOKEN })).status,
    202,
  );
});

test("the page ran without script errors or Content-Security-Policy violations", () => {
  assert.deepEqual(pageProblems, []);
});

test("through the REST server: the dashboard's headers, and traversal never reaches a file", async () => {
  const index = await fetch(`${url}/`);
  assert.equal(index.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(index.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  const script = await fetch(`${url}/web/app.js`);
  assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
  for (const path of [
    "/../package.json",
    "/web/../package.json",
    "/%2e%2e/package.json",
    "/web/%2e%2e/app.js",
  ]) {
    // node:http sends the path as written (fetch would normalise the dots away); with the token,
    // so that the router, not the token check, is what refuses it.
    const answer = await rawGet(path);
    assert.ok(answer.status === 404 || answer.status === 400, `${path}: ${answer.status}`);
    assert.doesNotMatch(answer.body, /"workspaces"|"name"/, path);
  }
  assert.equal((await rawGet("/web/nothing-here.js")).status, 404);
});

async function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { request } = await import("node:http");
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const req = request({ host: hostname, port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
