/**
 * Mutual TLS inside the cluster and HTTPS for the REST API: a job runs exactly once with every
 * control and data connection encrypted and mutually authenticated; a plaintext connection to the
 * RPC port, a TaskManager without TLS, and a TaskManager with a certificate the cluster does not
 * trust are all refused; the REST API speaks HTTPS only.
 * Certificates are made by the system's `openssl` for the test.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { JobManager, RestServer, TaskManager } from "@weir/runtime/cluster";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";
import { type Json, waitFor } from "./cluster-processes.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));

interface Pem {
  readonly cert: string;
  readonly key: string;
}

function selfSigned(dir: string, name: string): Pem {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "pipe" },
  );
  return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
}

let dir: string;
let internal: Pem;
let stranger: Pem;
let jobManager: JobManager;
let restServer: RestServer;
const taskManagers: TaskManager[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weir-tls-"));
  internal = selfSigned(dir, "weir-internal");
  stranger = selfSigned(dir, "someone-else");
  const tls = { ...internal, ca: internal.cert };
  jobManager = await JobManager.start({
    rpcPort: 0,
    tls,
    metricsIntervalMs: 50,
    checkpointStorage: { kind: "memory" },
  });
  restServer = await RestServer.start(jobManager, { port: 0, tls: internal });
  for (const id of ["tm-a", "tm-b"]) {
    const tm = new TaskManager({
      jobManagerHost: "127.0.0.1",
      jobManagerPort: jobManager.rpcAddress.port,
      slots: 2,
      taskManagerId: id,
      tls,
    });
    await tm.start();
    taskManagers.push(tm);
  }
});

after(async () => {
  await restServer.close();
  await jobManager.close();
  await Promise.all(taskManagers.map((tm) => tm.close()));
  rmSync(dir, { recursive: true, force: true });
});

function https(path: string, method = "GET", body?: unknown): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${restServer.address.url}${path}`,
      {
        method,
        ca: internal.cert,
        headers: body === undefined ? {} : { "content-type": "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test("a job runs exactly once across TaskManagers over mutual TLS, submitted through HTTPS", async () => {
  assert.match(restServer.address.url, /^https:/);
  const params: ExactlyOnceParams = { count: 8_000, keys: 4, recordsPerSecond: 1_000_000, failAt: 4_000 };
  const submitted = await https("/jobs", "POST", {
    jobFile: JOB,
    parallelism: 4,
    params,
    checkpointIntervalMs: 50,
    restartAttempts: 1,
    restartDelayMs: 0,
  });
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const jobId = submitted.body.jobid as string;
  const result = await waitFor(
    async () => {
      const r = await https(`/jobs/${jobId}/execution-result`);
      return r.body.status.id === "COMPLETED" ? r.body : undefined;
    },
    30_000,
    50,
  );
  assert.equal(result.state, "FINISHED");
  assert.equal(
    (await https(`/jobs/${jobId}`)).body.taskmanagers.length,
    2,
    "the job spanned both taskmanagers",
  );
  const reports = result["job-execution-result"].collected.reports as Json[];
  assert.deepEqual(
    reports.filter((r) => r.kind === "anomaly"),
    [],
  );
  assert.deepEqual(
    reports
      .filter((r) => r.kind === "final")
      .map((r) => [r.key, r.count])
      .sort((a, b) => a[0] - b[0]),
    [
      [0, 2000],
      [1, 2000],
      [2, 2000],
      [3, 2000],
    ],
  );
});

test("a plaintext connection to the RPC port is refused", async () => {
  const socket = connect(jobManager.rpcAddress.port, "127.0.0.1");
  await once(socket, "connect");
  // A registration frame in plaintext: not a TLS ClientHello, so the server drops the connection.
  const body = Buffer.from('{"type":"register"}');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  socket.write(Buffer.concat([head, body]));
  socket.on("error", () => {});
  await once(socket, "close");
  assert.deepEqual(jobManager.registry.all.map((tm) => tm.id).sort(), ["tm-a", "tm-b"]);
});

test("TaskManagers without TLS or with an untrusted certificate never register", async () => {
  const attempts = [
    new TaskManager({
      jobManagerHost: "127.0.0.1",
      jobManagerPort: jobManager.rpcAddress.port,
      slots: 1,
      taskManagerId: "tm-plain",
    }),
    new TaskManager({
      jobManagerHost: "127.0.0.1",
      jobManagerPort: jobManager.rpcAddress.port,
      slots: 1,
      taskManagerId: "tm-stranger",
      tls: { ...stranger, ca: internal.cert },
    }),
  ];
  for (const tm of attempts) void tm.start();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  for (const tm of attempts) await tm.close();
  assert.deepEqual(jobManager.registry.all.map((tm) => tm.id).sort(), ["tm-a", "tm-b"]);
});

test("the REST API does not answer plain HTTP when TLS is on", async () => {
  const { port } = restServer.address;
  const outcome = await new Promise<string>((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/overview" }, (res) =>
      resolve(`status ${res.statusCode}`),
    );
    req.on("error", (error) => resolve(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    req.end();
  });
  assert.match(outcome, /^error /, outcome);
  assert.equal((await https("/overview")).status, 200);
});
