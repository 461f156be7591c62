/**
 * Test fixtures for cluster tests: JobManager and TaskManager processes started with the pinned
 * Node (`process.execPath`) through the real `weir` CLI, a small REST client, and polling.
 * Every process started here is killed by `stopAll()`, so a failing test leaves none behind.
 * @module
 */

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const WEIR_BIN = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));

export interface StartedJobManager {
  readonly process: ChildProcess;
  readonly rpcPort: number;
  readonly restUrl: string;
  readonly logs: string[];
}

export class ClusterProcesses {
  readonly #children = new Set<ChildProcess>();

  spawnWeir(
    args: string[],
    env: Record<string, string> = {},
    wrap: string[] = [],
  ): { child: ChildProcess; logs: string[] } {
    const command = wrap.length > 0 ? wrap[0]! : process.execPath;
    const commandArgs =
      wrap.length > 0 ? [...wrap.slice(1), process.execPath, WEIR_BIN, ...args] : [WEIR_BIN, ...args];
    const child = spawn(command, commandArgs, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    const logs: string[] = [];
    createInterface({ input: child.stdout! }).on("line", (line) => logs.push(line));
    createInterface({ input: child.stderr! }).on("line", (line) => logs.push(line));
    this.#children.add(child);
    child.once("exit", () => this.#children.delete(child));
    return { child, logs };
  }

  async startJobManager(
    args: string[] = [],
    env: Record<string, string> = {},
    wrap: string[] = [],
  ): Promise<StartedJobManager> {
    const { child, logs } = this.spawnWeir(
      ["jobmanager", "--rpc-port", "0", "--rest-port", "0", ...args],
      env,
      wrap,
    );
    const started = await waitFor(() => {
      if (child.exitCode !== null)
        throw new Error(`jobmanager exited (${child.exitCode}):\n${logs.join("\n")}`);
      for (const line of logs) {
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line) as { msg?: string; rpcPort?: number; restUrl?: string };
        if (entry.msg === "jobmanager started") return entry;
      }
      return undefined;
    }, 20_000);
    return { process: child, rpcPort: started.rpcPort!, restUrl: started.restUrl!, logs };
  }

  startTaskManager(
    rpcHost: string,
    rpcPort: number,
    id: string,
    slots: number,
    extra: string[] = [],
    wrap: string[] = [],
  ): ChildProcess {
    return this.spawnWeir(
      [
        "taskmanager",
        "--jobmanager",
        `${rpcHost}:${rpcPort}`,
        "--slots",
        String(slots),
        "--id",
        id,
        ...extra,
      ],
      {},
      wrap,
    ).child;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.#children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
  }
}

/** Polls `probe` every `everyMs` until it returns something other than undefined. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Submits a job (`POST /jobs` with `job` as the body), checks it was accepted, and returns its id. */
export async function submitJob(url: string, job: Record<string, unknown>): Promise<string> {
  const submitted = await rest(url, "POST", "/jobs", { json: job });
  assert.equal(submitted.status, 202, submitted.text);
  return submitted.body.jobid as string;
}

/** Waits (`timeoutMs` at most) until job `jobId` has completed; resolves to its execution result. */
export async function completedResult(url: string, jobId: string, timeoutMs: number): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rest(url, "GET", `/jobs/${jobId}/execution-result`);
      return r.body.status?.id === "COMPLETED" ? r.body : undefined;
    },
    timeoutMs,
    50,
  );
}

/** A parsed JSON body; tests check its shape with assertions. */
// biome-ignore lint/suspicious/noExplicitAny: REST answers are JSON of many shapes, checked by assertions
export type Json = any;

export interface RestAnswer {
  readonly status: number;
  readonly body: Json;
  readonly text: string;
}

export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; token?: string; body?: Uint8Array | string; contentType?: string } = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  } else if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}
