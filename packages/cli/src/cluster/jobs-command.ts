/**
 * `weir jobs`: a client of the JobManager's REST API that finds each operation in the server's own
 * OpenAPI document by its operationId, so the CLI and the server cannot disagree about paths and
 * methods. Errors from the server are printed as they come (`{"errors": [...]}`).
 * @module
 */

import { resolve } from "node:path";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { UsageError } from "../usage-error.ts";
import { JOBS_COMMAND } from "./cluster-command-specs.ts";
import { positiveFlag } from "./cluster-flags.ts";

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { operationId?: string }>>;
}

class RestClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  #document: OpenApiDocument | undefined;

  constructor(base: string, token: string | undefined) {
    this.#base = base.replace(/\/+$/, "");
    this.#headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  }

  async #fetch(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers:
          body === undefined ? this.#headers : { ...this.#headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the jobmanager at ${this.#base}: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    const parsed = text.length === 0 ? {} : (JSON.parse(text) as { errors?: string[] });
    if (!response.ok)
      throw new Error(
        `${method} ${path}: ${response.status} ${(parsed as { errors?: string[] }).errors?.join("; ") ?? text}`,
      );
    return parsed;
  }

  /** Calls the operation `operationId` with its path parameters filled in. */
  async call(operationId: string, params: Record<string, string> = {}, body?: unknown): Promise<unknown> {
    this.#document ??= (await this.#fetch("GET", "/openapi.json")) as OpenApiDocument;
    for (const [template, methods] of Object.entries(this.#document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation.operationId !== operationId) continue;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          encodeURIComponent(params[name] ?? ""),
        );
        return this.#fetch(method.toUpperCase(), path, body);
      }
    }
    throw new Error(`the jobmanager's API has no operation ${operationId}`);
  }
}

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
      if (argument === undefined)
        throw new UsageError("missing the job file: weir jobs submit <job-file>", command);
      let params: unknown;
      if (values.params !== undefined) {
        try {
          params = JSON.parse(values.params as string);
        } catch (error) {
          throw new UsageError(`--params is not valid JSON: ${(error as Error).message}`, command);
        }
      }
      const interval = values["checkpoint-interval"];
      const { jobid } = (await client.call(
        "submitJob",
        {},
        {
          jobFile: resolve(argument),
          parallelism: positiveFlag(values.parallelism, "parallelism", 1, command),
          ...(params === undefined ? {} : { params }),
          ...(interval === undefined
            ? {}
            : { checkpointIntervalMs: positiveFlag(interval, "checkpoint-interval", 1, command) }),
        },
      )) as { jobid: string };
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
      throw new UsageError('expected "list", "submit <job-file>" or "cancel <job-id>"', command);
  }
}
