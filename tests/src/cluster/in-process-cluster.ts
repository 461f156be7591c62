/**
 * A JobManager, its REST server and TaskManagers in the test's own process (TaskManagers still run
 * their slots as worker threads and talk over real TCP). Faster to start than processes, for tests
 * of the REST API rather than of process failures.
 * @module
 */

import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  JobManager,
  type JobManagerOptions,
  RestServer,
  type RestServerOptions,
  TaskManager,
  type TaskManagerOptions,
} from "@weir/runtime/cluster";
import { planClusterScript } from "@weir/sql";

export interface InProcessCluster {
  readonly jobManager: JobManager;
  readonly rest: RestServer;
  readonly taskManagers: TaskManager[];
  readonly url: string;
  close(): Promise<void>;
}

export async function startInProcessCluster(options: {
  taskManagers: number;
  slots: number;
  jobManager?: JobManagerOptions;
  rest?: RestServerOptions;
  /** Extra options of TaskManager `index` (0-based). */
  taskManager?: (index: number) => Partial<TaskManagerOptions>;
}): Promise<InProcessCluster> {
  // As `weir jobmanager`, which plans SQL scripts submitted as `{ "sql": … }`.
  const jobManager = await JobManager.start({
    rpcPort: 0,
    metricsIntervalMs: 50,
    sqlPlanner: planClusterScript,
    ...options.jobManager,
  });
  const rest = await RestServer.start(jobManager, { port: 0, ...options.rest });
  const taskManagers: TaskManager[] = [];
  // Shipped modules import "@weir/api", resolved from where they are written: inside the repository.
  const artifactsDir = fileURLToPath(new URL(`./.artifacts-${process.pid}-${Date.now()}`, import.meta.url));
  for (let i = 0; i < options.taskManagers; i++) {
    const tm = new TaskManager({
      jobManagerHost: "127.0.0.1",
      jobManagerPort: jobManager.rpcAddress.port,
      slots: options.slots,
      taskManagerId: `tm-${i + 1}`,
      artifactsDir,
      ...(options.jobManager?.secret === undefined ? {} : { secret: options.jobManager.secret }),
      ...options.taskManager?.(i),
    });
    await tm.start();
    taskManagers.push(tm);
  }
  return {
    jobManager,
    rest,
    taskManagers,
    url: rest.address.url,
    async close() {
      await rest.close();
      await jobManager.close();
      await Promise.all(taskManagers.map((tm) => tm.close()));
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}
