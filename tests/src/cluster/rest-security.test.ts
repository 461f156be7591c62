/**
 * Security of the cluster's entry points (reliability.md §5): no file is reachable by path
 * (traversal payloads, encoded or not, on every path-taking route), uploads ignore client file
 * names, request bodies have limits (413), a REST server bound to a non-loopback address refuses
 * to start without a token and then requires it on every endpoint, and the RPC port refuses
 * TaskManagers without the cluster secret.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { JobManager, RestServer, TaskManager } from "@weir/runtime/cluster";
import { ClusterProcesses, rest } from "./cluster-processes.ts";
import { type InProcessCluster, startInProcessCluster } from "./in-process-cluster.ts";

let cluster: InProcessCluster;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weir-security-"));
  cluster = await startInProcessCluster({
    taskManagers: 0,
    slots: 1,
    jobManager: { uploadsDir: join(dir, "uploads"), savepointsDir: join(dir, "savepoints") },
    rest: { maxJsonBytes: 4096, maxUploadBytes: 8192 },
  });
});

after(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the path verbatim (fetch would normalize dot segments away). */
function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () =>
        resolve({ status: response.statusCode!, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const TRAVERSALS = [
  "../../../../etc/passwd",
  "..%2f..%2f..%2fetc%2fpasswd",
  "..%252f..%252f..%252fetc%252fpasswd",
  "%2e%2e/%2e%2e/etc/passwd",
  "..\\..\\..\\etc\\passwd",
  "..%5c..%5cetc%5cpasswd",
  "%00../../etc/passwd",
  "/etc/passwd",
  "....//....//etc/passwd",
];

test("traversal payloads on every path-taking route are refused and never read a file", async () => {
  const routes = [
    (p: string) => `/jobs/${p}`,
    (p: string) => `/jobs/${p}/checkpoints`,
    (p: string) => `/jobs/${p}/exceptions`,
    (p: string) => `/jobs/${p}/execution-result`,
    (p: string) => `/jobs/0123456789abcdef0123456789abcdef/savepoints/${p}`,
    (p: string) => `/artifacts/${p}`,
    (p: string) => `/${p}`,
    (p: string) => `/openapi.json/${p}`,
  ];
  for (const route of routes) {
    for (const payload of TRAVERSALS) {
      const path = route(payload);
      for (const method of ["GET", "POST", "PATCH"]) {
        const answer = await rawRequest(cluster.url, method, path);
        assert.ok([400, 404, 405].includes(answer.status), `${method} ${path} -> ${answer.status}`);
        assert.doesNotMatch(answer.text, /root:/, `${method} ${path} leaked a file`);
        assert.ok(!answer.text.includes("passwd"), `${method} ${path}: the error echoes the path`);
        assert.ok(JSON.parse(answer.text).errors.length === 1, "JSON error body");
      }
    }
  }
});

test("an upload's client-side file name is ignored: stored under a generated id", async () => {
  const answer = await rawRequest(
    cluster.url,
    "POST",
    "/artifacts",
    {
      "content-type": "application/octet-stream",
      "content-disposition": 'attachment; filename="../../../../tmp/evil.job.ts"',
      "x-file-name": "../../evil.job.ts",
    },
    Buffer.from("export default 1;\n"),
  );
  assert.equal(answer.status, 201);
  const { id } = JSON.parse(answer.text) as { id: string };
  assert.match(id, /^[a-f0-9-]{36}$/);
  assert.deepEqual(readdirSync(join(dir, "uploads")), [`${id}.job.ts`]);
  assert.equal(existsSync("/tmp/evil.job.ts"), false);
});

test("oversized requests get 413 with a JSON error, declared or streamed", async () => {
  const big = Buffer.alloc(5000, "a");
  const declared = await rawRequest(
    cluster.url,
    "POST",
    "/jobs",
    { "content-type": "application/json", "content-length": String(big.length) },
    big,
  );
  assert.equal(declared.status, 413);
  assert.deepEqual(JSON.parse(declared.text), { errors: ["request body exceeds 4096 bytes"] });
  const chunked = await rawRequest(
    cluster.url,
    "POST",
    "/artifacts",
    { "transfer-encoding": "chunked" },
    Buffer.alloc(20_000, "b"),
  );
  assert.equal(chunked.status, 413);
  assert.deepEqual(JSON.parse(chunked.text), { errors: ["request body exceeds 8192 bytes"] });
});

function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return undefined;
}

test("bound to a non-loopback address, the REST API refuses to start without a token and requires it", async (t) => {
  const host = nonLoopbackAddress();
  if (host === undefined) {
    t.skip("this machine has no non-loopback IPv4 address");
    return;
  }
  await assert.rejects(
    RestServer.start(cluster.jobManager, { host, port: 0 }),
    /not a loopback address: it needs a bearer token/,
  );
  const token = "s3cret-token-of-enough-length";
  const server = await RestServer.start(cluster.jobManager, { host, port: 0, token });
  try {
    const url = server.address.url;
    assert.ok(url.includes(host));
    for (const path of [
      "/overview",
      "/jobs",
      "/taskmanagers",
      "/metrics",
      "/openapi.json",
      "/jobs/0123456789abcdef0123456789abcdef",
    ]) {
      const missing = await rest(url, "GET", path);
      assert.equal(missing.status, 401, `${path} without a token`);
      assert.deepEqual(missing.body, { errors: ["missing or wrong bearer token"] });
      assert.equal(
        (await rest(url, "GET", path, { token: `${token}x` })).status,
        401,
        `${path} with a wrong token`,
      );
      assert.equal((await rest(url, "GET", path, { token: token.slice(0, -1) })).status, 401);
    }
    assert.equal(
      (await rest(url, "POST", "/jobs", { json: { jobFile: "/x.job.ts" } })).status,
      401,
      "submission too",
    );
    assert.equal((await rest(url, "GET", "/overview", { token })).status, 200);
  } finally {
    await server.close();
  }
});

test("the weir jobmanager command refuses a non-loopback RPC bind without a secret", () => {
  const host = nonLoopbackAddress() ?? "0.0.0.0";
  const bin = new URL("../../../packages/cli/bin/weir.js", import.meta.url).pathname;
  let failure: { status: number; stderr: string } | undefined;
  try {
    execFileSync(
      process.execPath,
      [bin, "jobmanager", "--bind", host, "--rpc-port", "0", "--rest-port", "0"],
      {
        stdio: "pipe",
        env: { ...process.env, WEIR_CLUSTER_SECRET: "" },
        timeout: 20_000,
      },
    );
  } catch (error) {
    const e = error as { status: number; stderr: Buffer };
    failure = { status: e.status, stderr: e.stderr.toString() };
  }
  assert.ok(failure !== undefined, "the jobmanager must not start");
  assert.equal(failure.status, 1);
  assert.match(failure.stderr, /not a loopback address: set a cluster secret/);
});

test("the RPC port refuses TaskManagers without the right cluster secret", async () => {
  const secret = "cluster-secret-0123456789";
  const jobManager = await JobManager.start({ rpcPort: 0, secret });
  try {
    for (const given of [undefined, "wrong-secret-0123456789"]) {
      const refused = new Promise<string>((resolve) => {
        const tm = new TaskManager({
          jobManagerHost: "127.0.0.1",
          jobManagerPort: jobManager.rpcAddress.port,
          slots: 1,
          ...(given === undefined ? {} : { secret: given }),
          onRefused: (reason) => {
            void tm.close();
            resolve(reason);
          },
        });
        void tm.start();
      });
      assert.equal(await refused, "wrong or missing cluster secret");
    }
    assert.equal(jobManager.registry.all.length, 0);
    const tm = new TaskManager({
      jobManagerHost: "127.0.0.1",
      jobManagerPort: jobManager.rpcAddress.port,
      slots: 1,
      secret,
    });
    await tm.start();
    assert.equal(jobManager.registry.all.length, 1);
    await tm.close();
  } finally {
    await jobManager.close();
  }
});

test("weir jobmanager takes its settings from weir.yaml: a token there protects the REST API", async () => {
  const config = join(dir, "weir.yaml");
  writeFileSync(
    config,
    "jobmanager:\n  rpc-port: 0\n  rest:\n    port: 0\n    token: 'token-from-weir-yaml-0123'\n  heartbeat:\n    timeout: 2500\n",
  );
  const processes = new ClusterProcesses();
  try {
    const jm = await processes.startJobManager(["--config", config]);
    assert.equal((await rest(jm.restUrl, "GET", "/overview")).status, 401);
    assert.equal(
      (await rest(jm.restUrl, "GET", "/overview", { token: "token-from-weir-yaml-0123" })).status,
      200,
    );
  } finally {
    await processes.stopAll();
  }
});
