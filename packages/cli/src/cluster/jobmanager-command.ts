/**
 * `weir jobmanager`: runs a JobManager with its REST API and web dashboard (`@weir/web`, at `/`)
 * until SIGINT or SIGTERM, then cancels the running jobs and exits. Settings come from flags,
 * environment and weir.yaml (cluster-settings.ts).
 * Prints one JSON line `{"msg":"jobmanager started", rpcPort, restUrl}` that scripts (and
 * `weir cluster start`) read to find the ports.
 * @module
 */

import { randomBytes } from "node:crypto";
import type { CheckpointStorageOptions } from "@weir/runtime";
import { isLoopback, JobManager, jsonLogger, RestServer } from "@weir/runtime/cluster";
import { serveDashboard } from "@weir/web";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { JOBMANAGER_COMMAND } from "./cluster-command-specs.ts";
import { ClusterSettings } from "./cluster-settings.ts";
import { pemGroup } from "./cluster-tls-files.ts";

export async function jobManagerCommand(args: readonly string[]): Promise<number> {
  const command = "jobmanager";
  const { values } = parseCommandArgs(args, JOBMANAGER_COMMAND.flags, command);
  if (values.help === true) {
    process.stdout.write(commandHelp(JOBMANAGER_COMMAND));
    return 0;
  }
  const settings = ClusterSettings.load(command, values);
  const bind = settings.get("jobmanager.bind")!;
  const restBind = settings.get("jobmanager.rest.bind") ?? bind;
  let restToken = settings.get("jobmanager.rest.token");
  const log = jsonLogger("jobmanager", (line) => process.stdout.write(line));
  if (restToken === undefined && !isLoopback(restBind)) {
    restToken = randomBytes(32).toString("base64url");
    // Printed once, to the terminal that started the process, never logged.
    process.stderr.write(`weir: REST API token (bound to ${restBind}): ${restToken}\n`);
  }
  const secret = settings.get("cluster.secret");
  const tls = pemGroup(
    settings,
    { cert: "cluster.tls.cert", key: "cluster.tls.key", ca: "cluster.tls.ca" },
    command,
  );
  const restTls = pemGroup(
    settings,
    { cert: "jobmanager.rest.tls.cert", key: "jobmanager.rest.tls.key" },
    command,
  );
  const jobManager = await JobManager.start({
    rpcHost: bind,
    rpcPort: settings.integer("jobmanager.rpc-port", 0, 65535),
    ...(secret === undefined ? {} : { secret }),
    ...(tls === undefined ? {} : { tls }),
    heartbeatIntervalMs: settings.integer("jobmanager.heartbeat.interval", 1, 3_600_000),
    heartbeatTimeoutMs: settings.integer("jobmanager.heartbeat.timeout", 1, 3_600_000),
    metricsIntervalMs: settings.integer("jobmanager.metrics-interval", 1, 3_600_000),
    checkpointStorage: checkpointStorage(settings),
    jobDefaults: settings.jobDefaults(),
    // Loaded on the first SQL submission: a JobManager that only runs job modules never loads the planner.
    sqlPlanner: async (script) => (await import("@weir/sql")).planClusterScript(script),
    log,
  });
  let rest: RestServer;
  try {
    rest = await RestServer.start(jobManager, {
      host: restBind,
      port: settings.integer("jobmanager.rest.port", 0, 65535),
      ...(restToken === undefined ? {} : { token: restToken }),
      ...(restTls === undefined ? {} : { tls: restTls }),
      dashboard: serveDashboard,
    });
  } catch (error) {
    await jobManager.close();
    throw error;
  }
  log("info", "jobmanager started", {
    rpcHost: jobManager.rpcAddress.host,
    rpcPort: jobManager.rpcAddress.port,
    restUrl: rest.address.url,
    tls: tls !== undefined,
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log("info", "jobmanager stopping");
  await rest.close();
  await jobManager.close();
  return 0;
}

/** S3 when a bucket is configured (credentials from the AWS SDK's chain: env, profile, role), else a directory. */
function checkpointStorage(settings: ClusterSettings): CheckpointStorageOptions {
  const bucket = settings.get("jobmanager.checkpoint-s3.bucket");
  if (bucket === undefined) return { kind: "directory", path: settings.get("jobmanager.checkpoint-dir")! };
  const optional = (name: "prefix" | "endpoint" | "region") => {
    const value = settings.get(`jobmanager.checkpoint-s3.${name}`);
    return value === undefined ? {} : { [name]: value };
  };
  return { kind: "s3", bucket, ...optional("prefix"), ...optional("endpoint"), ...optional("region") };
}
