/**
 * A slot: one worker thread running subtask `slot` of every vertex whose parallelism exceeds it
 * (Flink's default slot sharing). It rebuilds the job graph from the job module, wires its tasks
 * to the other slots' channels, and runs them on its event loop. The coordinator drives it through
 * {@link ToSlot} messages; the slot reports through {@link ToCoordinator}.
 * @module
 */

import type { WatermarkDeclaration } from "@weir/api";
import { type BlobStoreLocation, openBlobStore } from "../checkpoint/checkpoint-storage.ts";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import type { Batch } from "../exchange/batch.ts";
import type { ChannelEvent } from "../exchange/channel-event.ts";
import { describeChannel, MAX_SUBTASKS } from "../exchange/channel-id.ts";
import type { InputGate } from "../exchange/input-gate.ts";
import { LocalTransport } from "../exchange/local-transport.ts";
import type { OutputChannel } from "../exchange/output-channel.ts";
import type { EncodedBatch, FrameSink, Transport } from "../exchange/transport.ts";
import { graphFingerprint } from "../graph/graph-fingerprint.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import { captureGraph, loadJobDefinition } from "../graph/job-module.ts";
import { keyGroupRangeForOperator } from "../keys/key-hash.ts";
import type { OperatorEnvironment } from "../operators/operator-environment.ts";
import { completeSnapshot } from "../operators/stream-operator.ts";
import { type SlotDeployment, serializeError, type ToCoordinator, type ToSlot } from "../rpc/messages.ts";
import { SYSTEM_CLOCK } from "../time/processing-clock.ts";
import { SlotScheduler } from "./slot-scheduler.ts";
import type { StreamTask } from "./stream-task.ts";
import { buildTask } from "./task-builder.ts";

/** What a task has done so far, for metrics. */
export interface TaskCounters {
  readonly vertex: number;
  readonly subtask: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly backpressured: boolean;
  /** The task's event-time watermark (see `StreamTask.currentWatermark`); null before the first. */
  readonly watermark: number | null;
}

/** Routes frames that arrive for this slot to the gate or output channel that owns the channel. */
class FrameRouter implements FrameSink {
  readonly gates = new Map<number, InputGate>();
  readonly outputs = new Map<number, OutputChannel>();
  readonly #wake: () => void;

  constructor(wake: () => void) {
    this.#wake = wake;
  }

  onBatch(channel: number, batch: Batch | EncodedBatch): void {
    this.#gate(channel).enqueue(channel, batch);
    this.#wake();
  }

  onEvent(channel: number, event: ChannelEvent): void {
    this.#gate(channel).enqueue(channel, event);
    this.#wake();
  }

  onCredit(channel: number, credits: number): void {
    const output = this.outputs.get(channel);
    if (output === undefined) throw new Error(`credit for unknown channel ${describeChannel(channel)}`);
    output.onCredit(credits);
  }

  #gate(channel: number): InputGate {
    const gate = this.gates.get(channel);
    if (gate === undefined) throw new Error(`data for unknown channel ${describeChannel(channel)}`);
    return gate;
  }
}

type StateEnvironment = Pick<
  OperatorEnvironment,
  "stateBackend" | "checkpointBlobs" | "restoreBlobs" | "asyncSnapshots"
>;

export class Slot {
  readonly #deployment: SlotDeployment;
  #stateBlobs: StateEnvironment | undefined;
  readonly #send: (message: ToCoordinator) => void;
  readonly #scheduler = new SlotScheduler();
  readonly #router = new FrameRouter(() => this.#scheduler.wake());
  readonly #transports = new Map<number, Transport>();
  readonly #tasks = new Map<string, StreamTask>();
  /** Alignment subscribers by group; each callback already posts to its task's mailbox. */
  readonly #alignmentSubscribers = new Map<string, ((maxAllowed: number) => void)[]>();

  readonly #onShutdown: () => void;
  readonly #openCheckpointBlobs: (location: BlobStoreLocation) => BlobStore;
  /** The job's watermark declarations (restored in-flight data combines its watermarks by them). */
  #watermarkDeclarations: ReadonlyMap<string, WatermarkDeclaration> = new Map();

  /**
   * `connectPeers` makes the transport to every other slot of the attempt (MessagePorts between
   * threads of one process, TCP between TaskManagers); frames arriving on them go to `sink`, and a
   * broken connection is reported to `onError`, which fails this slot's tasks.
   */
  constructor(
    deployment: SlotDeployment,
    connectPeers: (sink: FrameSink, onError: (error: unknown) => void) => ReadonlyMap<number, Transport>,
    send: (message: ToCoordinator) => void,
    onShutdown: () => void,
    /** Opens the run's checkpoint storage (a TaskManager with task-local recovery wraps it). */
    openCheckpointBlobs: (location: BlobStoreLocation) => BlobStore = openBlobStore,
  ) {
    this.#deployment = deployment;
    this.#openCheckpointBlobs = openCheckpointBlobs;
    this.#send = send;
    this.#onShutdown = onShutdown;
    this.#transports.set(deployment.slot, new LocalTransport(this.#router));
    for (const [peer, transport] of connectPeers(this.#router, (error) => this.#failAll(error)))
      this.#transports.set(peer, transport);
  }

  /** Per-task counters for metrics: read on demand, never pushed per record. */
  taskCounters(): TaskCounters[] {
    return [...this.#tasks.values()].map((task) => ({
      vertex: task.vertex,
      subtask: task.subtask,
      recordsIn: task.recordsIn,
      recordsOut: task.recordsOut,
      backpressured: task.backpressured,
      watermark: task.currentWatermark,
    }));
  }

  /** Loads the job module, rebuilds the graph and creates this slot's tasks. */
  async deploy(): Promise<void> {
    const d = this.#deployment;
    try {
      const definition = await loadJobDefinition(d.moduleUrl);
      const request = await captureGraph(definition, d.params, {
        parallelism: d.parallelism,
        jobName: d.jobName,
      });
      const graph = buildJobGraph(request.graph.nodes, request.parallelism);
      this.#watermarkDeclarations = graph.watermarks;
      for (const vertex of graph.vertices) {
        if (vertex.parallelism <= d.slot) continue;
        const task = this.#createTask(graph, vertex.id);
        this.#tasks.set(`${vertex.id}/${d.slot}`, task);
        this.#scheduler.add(task);
      }
      this.#send({ type: "ready", slot: d.slot, fingerprint: graphFingerprint(graph) });
    } catch (error) {
      this.#send({ type: "load-failed", slot: d.slot, error: serializeError(error) });
    }
  }

  #createTask(graph: JobGraph, vertexId: number): StreamTask {
    const d = this.#deployment;
    const vertex = graph.vertices[vertexId]!;
    if (vertex.parallelism > MAX_SUBTASKS)
      throw new RangeError(`parallelism above ${MAX_SUBTASKS} is not supported`);
    const router = this.#router;
    const transports = this.#transports;
    return buildTask({
      graph,
      vertex,
      subtask: d.slot,
      wiring: {
        transportTo: (slot) => transports.get(slot)!,
        registerInput: (channel, gate) => router.gates.set(channel, gate),
        registerOutput: (channel) => router.outputs.set(channel.id, channel),
        batchSize: d.batchSize,
        buffersPerChannel: d.buffersPerChannel,
      },
      env: {
        jobInfo: { jobName: d.jobName, executionMode: d.executionMode },
        taskInfo: {
          taskName: vertex.name,
          parallelism: vertex.parallelism,
          maxParallelism: vertex.maxParallelism,
          indexOfThisSubtask: d.slot,
          attemptNumber: d.attempt,
        },
        clock: SYSTEM_CLOCK,
        keyGroupRange: keyGroupRangeForOperator(vertex.maxParallelism, vertex.parallelism, d.slot),
        ...this.#stateEnvironment(),
        ...(d.checkpointing === true ? { checkpointing: true } : {}),
        batchSize: d.batchSize,
        watermarks: graph.watermarks,
        alignment: {
          report: (group, maxDriftMs, watermark) =>
            this.#send({
              type: "alignment-report",
              group,
              maxDriftMs,
              member: `${vertexId}/${d.slot}`,
              watermark,
            }),
          subscribe: (group, onAllowed) => {
            const list = this.#alignmentSubscribers.get(group) ?? [];
            list.push((maxAllowed) => this.#taskOf(vertexId)?.post(() => onAllowed(maxAllowed)));
            this.#alignmentSubscribers.set(group, list);
          },
        },
        scheduleTimer: (at, fire) => {
          SYSTEM_CLOCK.schedule(at, () => this.#taskOf(vertexId)?.post(() => fire(SYSTEM_CLOCK.now())));
        },
        sendCollected: (name, records) =>
          this.#send({ type: "collected", vertex: vertexId, subtask: d.slot, name, records }),
        requestSplit: (vertex, subtask) => this.#send({ type: "split-request", vertex, subtask }),
      },
      listener: {
        wake: () => this.#scheduler.wake(),
        onEnded: (task) => this.#send({ type: "task-ended", vertex: task.vertex, subtask: task.subtask }),
        onFinished: (task) =>
          this.#send({ type: "task-finished", vertex: task.vertex, subtask: task.subtask }),
        onCheckpoint: (task, checkpointId, snapshots, stats, channelState) =>
          // On-disk state uploads while the task runs on; the ack waits for it. A failed upload
          // declines the checkpoint (the coordinator abandons it at once), the job goes on.
          void Promise.all(snapshots.map(completeSnapshot)).then(
            (complete) =>
              this.#send({
                type: "checkpoint-ack",
                checkpointId,
                vertex: task.vertex,
                subtask: task.subtask,
                snapshots: complete,
                stats,
                ...(channelState === undefined ? {} : { channelState }),
              }),
            (error: unknown) =>
              this.#send({
                type: "checkpoint-declined",
                checkpointId,
                vertex: task.vertex,
                subtask: task.subtask,
                reason: `${task.name}: its state upload failed: ${error instanceof Error ? error.message : String(error)}`,
              }),
          ),
        onSnapshotTaken: (task, checkpointId) =>
          this.#send({ type: "checkpoint-cut", checkpointId, vertex: task.vertex, subtask: task.subtask }),
        onFailed: (task, error) =>
          this.#send({
            type: "task-failed",
            vertex: task.vertex,
            subtask: task.subtask,
            error: serializeError(error),
          }),
      },
    });
  }

  /** The state backend setting and checkpoint storage the slot's operators use (opened once). */
  #stateEnvironment(): StateEnvironment {
    const d = this.#deployment;
    if (this.#stateBlobs === undefined) {
      this.#stateBlobs = {
        // The slot acknowledges checkpoints after `completeSnapshot`.
        asyncSnapshots: true,
        ...(d.stateBackend !== undefined ? { stateBackend: d.stateBackend } : {}),
        ...(d.checkpointBlobs !== undefined
          ? { checkpointBlobs: this.#openCheckpointBlobs(d.checkpointBlobs) }
          : {}),
        ...(d.restoreBlobs !== undefined ? { restoreBlobs: openBlobStore(d.restoreBlobs) } : {}),
      };
    }
    return this.#stateBlobs;
  }

  #taskOf(vertex: number): StreamTask | undefined {
    return this.#tasks.get(`${vertex}/${this.#deployment.slot}`);
  }

  handle(message: ToSlot): void {
    switch (message.type) {
      case "start": {
        const restore = new Map(this.#deployment.restore);
        const inFlight = new Map(this.#deployment.inFlight ?? []);
        for (const task of this.#tasks.values()) {
          const snapshots = restore.get(task.vertex);
          const edges = inFlight.get(task.vertex);
          void task.start(
            snapshots === undefined ? undefined : new Map(snapshots.map((s) => [s.operatorId, s])),
            edges === undefined ? undefined : { edges, declarations: this.#watermarkDeclarations },
          );
        }
        return;
      }
      case "trigger-checkpoint":
        for (const task of this.#tasks.values())
          task.triggerCheckpoint(message.checkpointId, message.options);
        return;
      case "drain":
        for (const task of this.#tasks.values()) task.drain();
        return;
      case "checkpoint-complete":
        for (const task of this.#tasks.values()) task.notifyCheckpointComplete(message.checkpointId);
        return;
      case "add-splits":
        this.#taskOf(message.vertex)?.addSplits(message.splits);
        return;
      case "no-more-splits":
        this.#taskOf(message.vertex)?.noMoreSplits();
        return;
      case "cancel":
        void this.#cancelAll();
        return;
      case "alignment-update":
        for (const notify of this.#alignmentSubscribers.get(message.group) ?? []) notify(message.maxAllowed);
        return;
      case "shutdown":
        void this.#shutdown();
        return;
    }
  }

  async #cancelAll(): Promise<void> {
    await Promise.all([...this.#tasks.values()].map((task) => task.cancel()));
    this.#closeTransports();
    this.#send({ type: "cancelled", slot: this.#deployment.slot });
  }

  /** Tasks that stayed up after their end for checkpoints close their operators, then the slot ends. */
  async #shutdown(): Promise<void> {
    await Promise.allSettled([...this.#tasks.values()].map((task) => task.close()));
    this.#closeTransports();
    this.#onShutdown();
  }

  #closeTransports(): void {
    for (const transport of this.#transports.values()) transport.close?.();
  }

  #failAll(error: unknown): void {
    for (const task of this.#tasks.values()) task.fail(error);
  }
}
