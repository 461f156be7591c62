/**
 * `weir taskmanager`: runs a TaskManager until SIGINT or SIGTERM. It keeps reconnecting while the
 * JobManager is away; a JobManager that refuses it (wrong secret) ends it with exit code 1.
 * Settings come from flags, environment and weir.yaml (cluster-settings.ts).
 * @module
 */

import { jsonLogger, TaskManager } from "@weir/runtime/cluster";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { TASKMANAGER_COMMAND } from "./cluster-command-specs.ts";
import { hostPortFlag } from "./cluster-flags.ts";
import { ClusterSettings } from "./cluster-settings.ts";
import { pemGroup } from "./cluster-tls-files.ts";

export async function taskManagerCommand(args: readonly string[]): Promise<number> {
  const command = "taskmanager";
  const { values } = parseCommandArgs(args, TASKMANAGER_COMMAND.flags, command);
  if (values.help === true) {
    process.stdout.write(commandHelp(TASKMANAGER_COMMAND));
    return 0;
  }
  const settings = ClusterSettings.load(command, values);
  const jobManager = hostPortFlag(settings.get("taskmanager.jobmanager")!, "jobmanager", command);
  const secret = settings.get("cluster.secret");
  const tls = pemGroup(
    settings,
    { cert: "cluster.tls.cert", key: "cluster.tls.key", ca: "cluster.tls.ca" },
    command,
  );
  const id = values.id as string | undefined;
  const stateDir = settings.get("taskmanager.state-dir");
  const log = jsonLogger("taskmanager", (line) => process.stdout.write(line));
  let refused: string | undefined;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const taskManager = new TaskManager({
    jobManagerHost: jobManager.host,
    jobManagerPort: jobManager.port,
    slots: settings.integer("taskmanager.slots", 1, 1024),
    dataHost: settings.get("taskmanager.bind")!,
    ...(secret === undefined ? {} : { secret }),
    ...(tls === undefined ? {} : { tls }),
    ...(id === undefined ? {} : { taskManagerId: id }),
    ...(stateDir === undefined ? {} : { stateDir }),
    log,
    onRefused: (reason) => {
      refused = reason;
      stop();
    },
  });
  await Promise.race([taskManager.start(), stopped]);
  await stopped;
  await taskManager.close();
  if (refused !== undefined) {
    process.stderr.write(`weir: the jobmanager refused this taskmanager: ${refused}\n`);
    return 1;
  }
  return 0;
}
