/**
 * `weir jobs`: a client of the JobManager's REST API that finds each operation in the server's own
 * OpenAPI document by its operationId ({@link RestClient}), so the CLI and the server cannot disagree
 * about paths and methods. Errors from the server are printed as they come (`{"errors": [...]}`),
 * except a refused SQL script's, printed as `weir sql` prints them: `[ERROR] <file>: line L, column
 * C: …` with the offending line under it, exit code 1.
 * @module
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseStateBackendKind } from "@weir/runtime";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { UsageError } from "../usage-error.ts";
import { JOBS_COMMAND } from "./cluster-command-specs.ts";
import { positiveFlag } from "./cluster-flags.ts";
import { RestClient, RestError } from "./rest-client.ts";

export async function jobsCommand(args: readonly string[]): Promise<number> {
  const command = "jobs";
  const { values, positionals } = parseCommandArgs(args, JOBS_COMMAND.flags, command);
  if (values.help === true) {
    process.stdout.write(commandHelp(JOBS_COMMAND));
    return 0;
  }
  const client = new RestClient(
    (values.url as string | undefined) ?? process.env.WEIR_REST_URL ?? "http://127.0.0.1:8081",
    (values.token as string | undefined) ?? process.env.WEIR_REST_TOKEN,
  );
  const [action, argument, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`, command);
  switch (action) {
    case "list": {
      const { jobs } = (await client.call("listJobs")) as {
        jobs: { id: string; name: string; state: string }[];
      };
      for (const job of jobs) process.stdout.write(`${job.id}  ${job.state.padEnd(11)}  ${job.name}\n`);
      return 0;
    }
    case "submit": {
      const sqlFile = values.sql as string | undefined;
      if (sqlFile !== undefined && argument !== undefined)
        throw new UsageError("give either a job file or --sql <script.sql>, not both", command);
      if (sqlFile !== undefined && values.params !== undefined)
        throw new UsageError("--params is for job modules; a SQL script configures itself with SET", command);
      if (argument === undefined && sqlFile === undefined)
        throw new UsageError(
          "missing the job file: weir jobs submit <job-file> or weir jobs submit --sql <script.sql>",
          command,
        );
      let sql: string | undefined;
      if (sqlFile !== undefined) {
        try {
          sql = readFileSync(sqlFile, "utf8");
        } catch (error) {
          throw new UsageError(`cannot read --sql ${sqlFile}: ${(error as Error).message}`, command);
        }
      }
      let params: unknown;
      if (values.params !== undefined) {
        try {
          params = JSON.parse(values.params as string);
        } catch (error) {
          throw new UsageError(`--params is not valid JSON: ${(error as Error).message}`, command);
        }
      }
      const interval = values["checkpoint-interval"];
      const failover = values["failover-strategy"];
      if (failover !== undefined && failover !== "region" && failover !== "full")
        throw new UsageError(
          `--failover-strategy must be region or full, got "${String(failover)}"`,
          command,
        );
      const backend = values["state-backend"] as string | undefined;
      let stateBackend: string | undefined;
      if (backend !== undefined) {
        try {
          stateBackend = parseStateBackendKind(backend, "--state-backend");
        } catch (error) {
          throw new UsageError((error as Error).message, command);
        }
      }
      const body = {
        ...(sql === undefined ? { jobFile: resolve(argument!) } : { sql }),
        parallelism: positiveFlag(values.parallelism, "parallelism", 1, command),
        ...(params === undefined ? {} : { params }),
        ...(interval === undefined
          ? {}
          : { checkpointIntervalMs: positiveFlag(interval, "checkpoint-interval", 1, command) }),
        ...(failover === undefined ? {} : { failoverStrategy: failover }),
        ...(values["local-recovery"] === true ? { localRecovery: true } : {}),
        ...(stateBackend === undefined ? {} : { stateBackend }),
      };
      let jobid: string;
      try {
        ({ jobid } = (await client.call("submitJob", {}, body)) as { jobid: string });
      } catch (error) {
        if (sqlFile === undefined || !(error instanceof RestError) || error.status !== 400) throw error;
        if (!/^line \d+, column \d+: /.test(error.detail)) throw error;
        process.stderr.write(`[ERROR] ${sqlFile}: ${error.detail}\n`);
        return 1;
      }
      process.stdout.write(`${jobid}\n`);
      return 0;
    }
    case "cancel":
      if (argument === undefined)
        throw new UsageError("missing the job id: weir jobs cancel <job-id>", command);
      await client.call("cancelJob", { jobId: argument });
      process.stdout.write(`cancelling ${argument}\n`);
      return 0;
    default:
      throw new UsageError(
        'expected "list", "submit <job-file>", "submit --sql <script.sql>" or "cancel <job-id>"',
        command,
      );
  }
}
