/**
 * `weir cluster start`: a local cluster as child processes (one JobManager, N TaskManagers), each
 * run by this same Node binary and CLI. It waits for the JobManager's "started" line to learn its
 * ports, prints the REST address, relays the children's logs, and on Ctrl-C stops every child
 * (SIGTERM, then SIGKILL after a grace period) before exiting.
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { UsageError } from "../usage-error.ts";
import { CLUSTER_COMMAND } from "./cluster-command-specs.ts";
import { portFlag, positiveFlag } from "./cluster-flags.ts";

const WEIR_BIN = fileURLToPath(new URL("../../bin/weir.js", import.meta.url));
const STOP_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 30_000;

function startChild(args: string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, [WEIR_BIN, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  createInterface({ input: child.stdout! }).on("line", onLine);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export async function clusterCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, CLUSTER_COMMAND.flags, "cluster");
  if (values.help === true) {
    process.stdout.write(commandHelp(CLUSTER_COMMAND));
    return 0;
  }
  if (positionals[0] !== "start" || positionals.length !== 1)
    throw new UsageError('expected "weir cluster start"', "cluster");
  const taskManagers = positiveFlag(values.taskmanagers, "taskmanagers", 2, "cluster");
  const slots = positiveFlag(values.slots, "slots", 2, "cluster");
  const jobManagerArgs = [
    "jobmanager",
    "--rpc-port",
    String(portFlag(values["rpc-port"], "rpc-port", 6123, "cluster")),
    "--rest-port",
    String(portFlag(values["rest-port"], "rest-port", 8081, "cluster")),
  ];
  const checkpointDir = values["checkpoint-dir"] as string | undefined;
  if (checkpointDir !== undefined) jobManagerArgs.push("--checkpoint-dir", checkpointDir);

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map(stop));
  };
  const started = new Promise<{ rpcPort: number; restUrl: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the jobmanager did not start in time")),
      START_TIMEOUT_MS,
    );
    const jobManager = startChild(jobManagerArgs, (line) => {
      process.stdout.write(`${line}\n`);
      try {
        const entry = JSON.parse(line) as { msg?: string; rpcPort?: number; restUrl?: string };
        if (entry.msg === "jobmanager started") {
          clearTimeout(timer);
          resolve({ rpcPort: entry.rpcPort!, restUrl: entry.restUrl! });
        }
      } catch {
        // Not a log line of ours; relayed as it is.
      }
    });
    jobManager.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the jobmanager exited (code ${code})`));
    });
    children.push(jobManager);
  });
  let address: { rpcPort: number; restUrl: string };
  try {
    address = await started;
  } catch (error) {
    await stopAll();
    throw error;
  }
  for (let i = 0; i < taskManagers; i++) {
    const child = startChild(
      [
        "taskmanager",
        "--jobmanager",
        `127.0.0.1:${address.rpcPort}`,
        "--slots",
        String(slots),
        "--id",
        `tm-${i + 1}`,
      ],
      (line) => process.stdout.write(`${line}\n`),
    );
    children.push(child);
  }
  process.stderr.write(
    `weir: local cluster running: ${taskManagers} taskmanagers x ${slots} slots; REST API at ${address.restUrl} (Ctrl-C stops it)\n`,
  );
  const exitedEarly = new Promise<number>((resolve) => {
    for (const child of children)
      child.once("exit", (code) => {
        if (!stopping) resolve(code ?? 1);
      });
  });
  const interrupted = new Promise<number>((resolve) => {
    process.once("SIGINT", () => resolve(0));
    process.once("SIGTERM", () => resolve(0));
  });
  const code = await Promise.race([interrupted, exitedEarly]);
  if (code !== 0) process.stderr.write("weir: a cluster process exited; stopping the cluster\n");
  await stopAll();
  return code === 0 ? 0 : 1;
}
