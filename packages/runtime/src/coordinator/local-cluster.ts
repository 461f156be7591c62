/**
 * The local mini-cluster: the coordinator on the calling thread, one worker thread per slot.
 * It starts the slots, checks that every slot rebuilt the same graph, runs the source
 * enumerators, collects results, and ends the job when every task finished, one failed, or the
 * caller cancelled.
 *
 * Failure handling (foundation level): the first task failure fails the job; the other slots are
 * cancelled (operators closed) and the threads stopped. Restarts come with checkpoints.
 * @module
 */

import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { JobExecutionResult, Sink } from "@weir/api";
import { MAX_SUBTASKS } from "../exchange/channel-id.ts";
import type { ExecutionRequest } from "../graph/environment-impl.ts";
import { graphFingerprint } from "../graph/graph-fingerprint.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import type { SourceNode } from "../graph/transformation.ts";
import {
  type SerializedError,
  type SlotDeployment,
  serializeError,
  type ToCoordinator,
  type ToSlot,
} from "../rpc/messages.ts";
import { JobCancelledError, JobExecutionError } from "./job-errors.ts";
import { SourceCoordinator } from "./source-coordinator.ts";
import { WatermarkAlignment } from "./watermark-alignment.ts";

export interface LocalClusterOptions {
  /** Records per exchange batch (default 1024). */
  readonly batchSize?: number;
  /** Credits (batches in flight) per channel (default 4). */
  readonly buffersPerChannel?: number;
  /** Cancels the job when aborted; `execute()` then rejects with {@link JobCancelledError}. */
  readonly signal?: AbortSignal;
}

const SLOT_MAIN = new URL("../worker/slot-main.ts", import.meta.url);
/** How long cancelled slots get to close their operators before their threads are stopped. */
const CANCEL_GRACE_MS = 5_000;
/** How long a finished slot gets to flush its output and exit on its own. */
const SHUTDOWN_GRACE_MS = 5_000;

export async function runOnLocalCluster(
  moduleUrl: string,
  params: unknown,
  request: ExecutionRequest,
  options: LocalClusterOptions = {},
): Promise<JobExecutionResult> {
  const graph = buildJobGraph(request.graph.nodes, request.parallelism);
  if (request.executionMode === "BATCH" && !graph.bounded) {
    const unbounded = request.graph.nodes.filter(
      (n) => n.kind === "source" && n.source.boundedness !== "BOUNDED",
    );
    throw new Error(
      `BATCH execution needs bounded sources; unbounded: ${unbounded.map((n) => `"${n.name}"`).join(", ")}`,
    );
  }
  const run = new LocalJobRun(moduleUrl, params, request, graph, options);
  return run.result();
}

class LocalJobRun {
  readonly #request: ExecutionRequest;
  readonly #graph: JobGraph;
  readonly #workers: Worker[] = [];
  readonly #sources = new Map<number, SourceCoordinator>();
  readonly #collected = new Map<string, unknown[]>();
  readonly #alignment = new WatermarkAlignment();
  readonly #fingerprint: string;
  readonly #startedAt = Date.now();
  #pendingTasks: number;
  #ready = 0;
  #cancelled = 0;
  #state: "DEPLOYING" | "RUNNING" | "FINISHED" | "FAILING" | "FAILED" | "CANCELED" = "DEPLOYING";
  #resolve!: (result: JobExecutionResult) => void;
  #reject!: (error: Error) => void;
  readonly #done: Promise<JobExecutionResult>;
  #failure: Error | undefined;

  constructor(
    moduleUrl: string,
    params: unknown,
    request: ExecutionRequest,
    graph: JobGraph,
    options: LocalClusterOptions,
  ) {
    this.#request = request;
    this.#graph = graph;
    this.#fingerprint = graphFingerprint(graph);
    this.#done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#pendingTasks = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
    const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
    if (slots > MAX_SUBTASKS) throw new RangeError(`parallelism above ${MAX_SUBTASKS} is not supported`);

    // One MessageChannel per pair of slots carries every channel between them, in order.
    const ports: MessagePort[][] = Array.from({ length: slots }, () => []);
    const peerPorts: [number, number][][] = Array.from({ length: slots }, () => []);
    for (let a = 0; a < slots; a++) {
      for (let b = a + 1; b < slots; b++) {
        const { port1, port2 } = new MessageChannel();
        peerPorts[a]!.push([b, ports[a]!.length]);
        ports[a]!.push(port1);
        peerPorts[b]!.push([a, ports[b]!.length]);
        ports[b]!.push(port2);
      }
    }
    for (let slot = 0; slot < slots; slot++) {
      const deployment: SlotDeployment = {
        slot,
        moduleUrl,
        params,
        jobName: request.jobName,
        parallelism: request.parallelism,
        executionMode: request.executionMode,
        attempt: 0,
        batchSize: options.batchSize ?? 1024,
        buffersPerChannel: options.buffersPerChannel ?? 4,
        peerPorts: peerPorts[slot]!,
      };
      const worker = new Worker(SLOT_MAIN, {
        workerData: { deployment, ports: ports[slot] },
        transferList: ports[slot]!,
        name: `weir-slot-${slot}`,
      });
      worker.on("message", (message: ToCoordinator) => this.#onMessage(slot, message));
      worker.on("error", (error) => this.#fail(serializeError(error), `slot ${slot}`));
      worker.on("exit", (code) => {
        if (this.#state === "RUNNING" || this.#state === "DEPLOYING") {
          this.#fail(
            {
              name: "Error",
              message: `worker thread of slot ${slot} exited unexpectedly (code ${code})`,
              stack: undefined,
              operatorName: undefined,
            },
            `slot ${slot}`,
          );
        }
      });
      this.#workers.push(worker);
    }
    if (options.signal !== undefined) {
      if (options.signal.aborted) this.cancel();
      else options.signal.addEventListener("abort", () => this.cancel(), { once: true });
    }
  }

  result(): Promise<JobExecutionResult> {
    return this.#done;
  }

  #send(slot: number, message: ToSlot): void {
    this.#workers[slot]?.postMessage(message);
  }

  #onMessage(slot: number, message: ToCoordinator): void {
    try {
      this.#dispatch(slot, message);
    } catch (error) {
      this.#fail(serializeError(error), "coordinator");
    }
  }

  #dispatch(slot: number, message: ToCoordinator): void {
    switch (message.type) {
      case "ready":
        if (message.fingerprint !== this.#fingerprint) {
          this.#fail(
            {
              name: "Error",
              message:
                `slot ${slot} built a different job graph than the coordinator: building the job must be deterministic ` +
                "(do not read clocks, randomness or changing files while declaring the graph)",
              stack: undefined,
              operatorName: undefined,
            },
            `slot ${slot}`,
          );
          return;
        }
        if (++this.#ready === this.#workers.length) void this.#start();
        return;
      case "load-failed":
        this.#fail(message.error, `slot ${slot}`);
        return;
      case "split-request":
        this.#sources.get(message.vertex)?.handleSplitRequest(message.subtask);
        return;
      case "collected": {
        let list = this.#collected.get(message.name);
        if (list === undefined) {
          list = [];
          this.#collected.set(message.name, list);
        }
        for (const record of message.records) list.push(record);
        return;
      }
      case "task-finished":
        if (--this.#pendingTasks === 0) void this.#finish();
        return;
      case "task-failed": {
        const vertex = this.#graph.vertices[message.vertex];
        const taskName =
          vertex === undefined ? undefined : `${vertex.name} (${message.subtask + 1}/${vertex.parallelism})`;
        this.#fail(message.error, taskName);
        return;
      }
      case "alignment-report": {
        const maxAllowed = this.#alignment.report(
          message.group,
          message.maxDriftMs,
          message.member,
          message.watermark,
        );
        if (maxAllowed !== undefined) {
          for (let s = 0; s < this.#workers.length; s++) {
            this.#send(s, { type: "alignment-update", group: message.group, maxAllowed });
          }
        }
        return;
      }
      case "cancelled":
        if (++this.#cancelled === this.#workers.length) void this.#terminate();
        return;
    }
  }

  async #start(): Promise<void> {
    if (this.#state !== "DEPLOYING") return;
    try {
      for (const vertex of this.#graph.vertices) {
        const head = vertex.operators[0]!.node;
        if (head.kind !== "source") continue;
        const coordinator = new SourceCoordinator({
          vertex: vertex.id,
          node: head as SourceNode,
          parallelism: vertex.parallelism,
          send: (slot, message) => this.#send(slot, message),
        });
        this.#sources.set(vertex.id, coordinator);
        await coordinator.start();
      }
    } catch (error) {
      this.#fail(serializeError(error), "source enumerator");
      return;
    }
    if (this.#state !== "DEPLOYING") return;
    this.#state = "RUNNING";
    for (let slot = 0; slot < this.#workers.length; slot++) this.#send(slot, { type: "start" });
  }

  async #finish(): Promise<void> {
    this.#state = "FINISHED";
    await this.#closeSources();
    await Promise.all(this.#workers.map((worker, slot) => this.#shutdown(worker, slot)));
    const collected = this.#collected;
    this.#resolve({
      jobName: this.#request.jobName,
      durationMs: Date.now() - this.#startedAt,
      collected<T>(sink: Sink<T, unknown>): T[] {
        const name = (sink as { collectName?: string }).collectName;
        if (name === undefined) throw new TypeError("collected() expects a sink made by Sinks.collect()");
        return (collected.get(name) ?? []) as T[];
      },
    });
  }

  /** Lets a finished slot's thread end by itself, so its buffered stdout is not cut off. */
  async #shutdown(worker: Worker, slot: number): Promise<void> {
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    this.#send(slot, { type: "shutdown" });
    const timer = setTimeout(() => void worker.terminate(), SHUTDOWN_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** True once the job is finishing, failing or over: later failures and cancels change nothing. */
  #ending(): boolean {
    return this.#state !== "DEPLOYING" && this.#state !== "RUNNING";
  }

  #fail(error: SerializedError, taskName: string | undefined): void {
    if (this.#ending()) return;
    this.#failure = new JobExecutionError(this.#request.jobName, error, taskName);
    this.#stopAll("FAILING");
  }

  cancel(): void {
    if (this.#ending()) return;
    this.#failure = new JobCancelledError(this.#request.jobName);
    this.#stopAll("FAILING");
  }

  /** Asks every slot to cancel (closing operators), then stops the threads after a grace period. */
  #stopAll(state: "FAILING"): void {
    this.#state = state;
    for (let slot = 0; slot < this.#workers.length; slot++) this.#send(slot, { type: "cancel" });
    const timer = setTimeout(() => void this.#terminate(), CANCEL_GRACE_MS);
    timer.unref();
  }

  async #terminate(): Promise<void> {
    if (this.#state !== "FAILING") return;
    this.#state = this.#failure instanceof JobCancelledError ? "CANCELED" : "FAILED";
    await this.#closeSources();
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#reject(this.#failure!);
  }

  async #closeSources(): Promise<void> {
    for (const source of this.#sources.values()) await source.close().catch(() => {});
  }
}
