/**
 * `weir savepoint <job-id> [target-dir]` and `weir stop <job-id> [--savepoint-path DIR] [--drain]`, Flink's CLI
 * shapes over the REST API (operations triggerSavepoint, stopJob and getSavepoint, found in the
 * server's OpenAPI description). The server is a cluster's JobManager or a local `weir run
 * --rest-port`. Both wait until the savepoint is complete and print its path, the argument of
 * `weir run --from-savepoint`.
 *
 * Failures say what and where: a malformed job id is a usage error (exit 2); an unknown job, an
 * unreachable server, a target directory the server cannot write, a job without checkpointing or
 * a savepoint that failed or timed out are errors (exit 1).
 * @module
 */

import { resolve } from "node:path";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { UsageError } from "../usage-error.ts";
import { SAVEPOINT_COMMAND, STOP_COMMAND } from "./cluster-command-specs.ts";
import { positiveFlag } from "./cluster-flags.ts";
import { RestClient, RestError } from "./rest-client.ts";

const JOB_ID = /^[a-f0-9]{32}$/;
const POLL_MS = 100;

interface SavepointStatus {
  readonly status: { readonly id: "IN_PROGRESS" | "COMPLETED" | "FAILED" };
  readonly operation: { readonly location?: string | null; readonly "failure-cause"?: string };
}

export async function savepointCommand(args: readonly string[], kind: "savepoint" | "stop"): Promise<number> {
  const spec = kind === "savepoint" ? SAVEPOINT_COMMAND : STOP_COMMAND;
  const { values, positionals } = parseCommandArgs(args, spec.flags, kind);
  if (values.help === true) {
    process.stdout.write(commandHelp(spec));
    return 0;
  }
  const [jobId, positionalTarget, ...extra] = positionals;
  if (jobId === undefined) throw new UsageError(`missing the job id: ${spec.usage}`, kind);
  if (kind === "stop" && positionalTarget !== undefined)
    throw new UsageError(
      `unexpected argument "${positionalTarget}" (the directory goes in --savepoint-path)`,
      kind,
    );
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`, kind);
  if (!JOB_ID.test(jobId))
    throw new UsageError(
      `"${jobId}" is not a job id: expected 32 hexadecimal characters, as \`weir jobs list\` prints them`,
      kind,
    );
  const rawTarget =
    kind === "savepoint" ? positionalTarget : (values["savepoint-path"] as string | undefined);
  if (rawTarget !== undefined && rawTarget.trim().length === 0)
    throw new UsageError("the savepoint directory is empty", kind);
  const target = rawTarget === undefined ? undefined : resolve(rawTarget);
  const timeoutMs = positiveFlag(values.timeout, "timeout", 120_000, kind);
  const url =
    (values.jobmanager as string | undefined) ?? process.env.WEIR_REST_URL ?? "http://127.0.0.1:8081";
  const client = new RestClient(url, (values.token as string | undefined) ?? process.env.WEIR_REST_TOKEN);

  try {
    const { "request-id": requestId } = (
      kind === "savepoint"
        ? await client.call(
            "triggerSavepoint",
            { jobId },
            target === undefined ? {} : { "target-directory": target },
          )
        : await client.call(
            "stopJob",
            { jobId },
            {
              ...(target === undefined ? {} : { targetDirectory: target }),
              ...(values.drain === true ? { drain: true } : {}),
            },
          )
    ) as { "request-id": string };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await client.call("getSavepoint", { jobId, requestId })) as SavepointStatus;
      if (status.status.id === "COMPLETED") {
        process.stdout.write(`Savepoint completed. Path: ${status.operation.location}\n`);
        if (kind === "stop") process.stderr.write(`weir: job ${jobId} is stopping\n`);
        return 0;
      }
      if (status.status.id === "FAILED") {
        process.stderr.write(
          `weir: the savepoint of job ${jobId} failed: ${status.operation["failure-cause"]}\n`,
        );
        return 1;
      }
      if (Date.now() > deadline) {
        process.stderr.write(
          `weir: the savepoint of job ${jobId} did not complete within ${timeoutMs} ms (it is still pending: a checkpoint must complete)\n`,
        );
        return 1;
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  } catch (error) {
    if (error instanceof RestError && error.status === 404 && /no job/.test(error.detail)) {
      process.stderr.write(`weir: no job ${jobId} at ${url}\n`);
      return 1;
    }
    if (error instanceof RestError) {
      process.stderr.write(`weir: ${kind} of job ${jobId} refused: ${error.detail}\n`);
      return 1;
    }
    process.stderr.write(`weir: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
