/**
 * The slot side of a TaskManager: runs each deployment's slots on worker threads (taken from a
 * pool of started standby threads), wires this TaskManager's slots to each other and names their
 * remote peers, restores slots from task-local state copies, relays what the slot threads say to
 * the JobManager, and stops them on release. The connection to the JobManager is the
 * TaskManager's; this class only sends through it. With task-local recovery on, slot threads also
 * keep the state blobs of on-disk backends in the job's local directory (`LocalStateStore`
 * `blobDirectory`) and report where their blob reads came from; this class logs why a local blob
 * was not used and relays the counts for the JobManager's local-recovery figures.
 *
 * Invariant: once a deployment is released nothing of it reaches the JobManager any more, and a
 * slot thread that ends while its deployment runs (not released, not stopped for a region
 * restart) is reported as a crashed slot; and no thread is terminated while it still loads the
 * runtime (a terminate during the load of LMDB's native addon aborts the whole process).
 * @module
 */

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { SlotDeployment } from "../rpc/messages.ts";
import type {
  FromSlotThread,
  SlotThreadData,
  ToJobManager,
  ToSlotThread,
  ToTaskManager,
} from "./cluster-messages.ts";
import type { ClusterTls } from "./cluster-tls.ts";
import type { LocalStateStore } from "./local-state-store.ts";
import type { Logger } from "./structured-log.ts";

const SLOT_THREAD_MAIN = new URL("./slot-thread-main.ts", import.meta.url);
const STANDBY_REFILL_DELAY_MS = 2_000;
/** How long a terminate waits for a thread still loading the runtime (see `#terminate`). */
const LOAD_WAIT_MS = 30_000;

type DeployMessage = Extract<ToTaskManager, { type: "deploy" }>;

export interface SlotHostOptions {
  /** How many slots this TaskManager offers (and standby threads it keeps). */
  readonly slots: number;
  readonly dataHost: string | undefined;
  readonly tls: ClusterTls | undefined;
  readonly artifactsDir: string | undefined;
  readonly log: Logger;
  /** Sends to the JobManager over the current connection, if there is one. */
  readonly send: (message: ToJobManager) => void;
  /** The TaskManager's task-local state copies (created on first use). */
  readonly localState: () => LocalStateStore;
  /** Parent of the on-disk state backends' directories. */
  readonly stateDir: () => string;
  /** True once the TaskManager closed or was refused: no standby thread starts any more. */
  readonly closed: () => boolean;
}

interface RunningDeployment {
  readonly workers: Map<number, Worker>;
  released: boolean;
  /** Slots stopped for a region restart: their threads ending is expected. */
  readonly stopped: Set<number>;
  /** The job, when task-local recovery is on (acknowledged snapshots are copied locally). */
  readonly jobId: string | undefined;
  /** Slots whose local restore failed, waiting for restore-state: start them with it. */
  readonly waiting: Map<number, (restore: SlotDeployment["restore"]) => void>;
  /** Messages for waiting slots, in order. */
  readonly early: Map<number, ToSlotThread[]>;
}

export class SlotHost {
  readonly #options: SlotHostOptions;
  readonly #log: Logger;
  readonly #deployments = new Map<string, RunningDeployment>();
  readonly #standby: Worker[] = [];
  /** Per thread: resolves once it loaded the runtime or ended (see {@link #terminate}). */
  readonly #loaded = new WeakMap<Worker, Promise<void>>();
  readonly #standbyDrops = new Map<Worker, () => void>();
  /** How often slot threads report metrics, as the JobManager asked at registration. */
  metricsIntervalMs = 1_000;

  constructor(options: SlotHostOptions) {
    this.#options = options;
    this.#log = options.log;
  }

  get #localState(): LocalStateStore {
    return this.#options.localState();
  }

  /** A message for a slot thread; kept in order for a slot still waiting for its state. */
  post(deploymentId: string, slot: number, message: ToSlotThread): void {
    const deployment = this.#deployments.get(deploymentId);
    if (deployment === undefined || deployment.released) return;
    const early = deployment.early.get(slot);
    if (early !== undefined) early.push(message);
    else deployment.workers.get(slot)?.postMessage(message);
  }

  /** A JobManager message for a slot; a completed checkpoint also settles the local state copies. */
  forwardToSlot(message: Extract<ToTaskManager, { type: "to-slot" }>): void {
    const jobId = this.#deployments.get(message.deploymentId)?.jobId;
    if (jobId !== undefined && message.message.type === "checkpoint-complete")
      this.#localState.completed(jobId, message.message.checkpointId);
    this.post(message.deploymentId, message.slot, { kind: "slot", message: message.message });
  }

  /** Starts a slot whose local restore failed with the state the JobManager sent. */
  restoreState(message: Extract<ToTaskManager, { type: "restore-state" }>): void {
    const start = this.#deployments.get(message.deploymentId)?.waiting.get(message.slot);
    if (start !== undefined) {
      this.#log("info", "restoring from state sent by the jobmanager", {
        deploymentId: message.deploymentId,
        slot: message.slot,
      });
      start(message.restore);
    }
  }

  /** Starts the deployment's slots on this TaskManager; throws if its shipped module cannot be written. */
  deploy(message: DeployMessage): void {
    const { deploymentId } = message;
    let moduleUrl: string | undefined;
    if (message.module !== undefined)
      moduleUrl = this.#writeArtifact(message.module.artifactId, message.module.source);
    const jobId = message.localRecovery?.jobId;
    const deployment: RunningDeployment = {
      workers: new Map(),
      released: false,
      stopped: new Set(),
      jobId,
      waiting: new Map(),
      early: new Map(),
    };
    const localRestore = new Map(message.localRestore?.slots ?? []);
    this.#deployments.set(deploymentId, deployment);
    const mine = message.slots.map((plan) => plan.slot);
    // One MessageChannel per pair of this TaskManager's slots, as the mini-cluster wires threads.
    const ports = new Map<number, MessagePort[]>(mine.map((slot) => [slot, []]));
    const peerPorts = new Map<number, [number, number][]>(mine.map((slot) => [slot, []]));
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const a = mine[i]!;
        const b = mine[j]!;
        const { port1, port2 } = new MessageChannel();
        peerPorts.get(a)!.push([b, ports.get(a)!.length]);
        ports.get(a)!.push(port1);
        peerPorts.get(b)!.push([a, ports.get(b)!.length]);
        ports.get(b)!.push(port2);
      }
    }
    const local = new Set(message.localSlots);
    const unitPeers = new Map(message.remotePeers ?? []);
    for (const plan of message.slots) {
      const remotePeers: number[] = [];
      const peersOfUnit = unitPeers.get(plan.slot);
      if (peersOfUnit !== undefined) remotePeers.push(...peersOfUnit.filter((peer) => !local.has(peer)));
      else for (let peer = 0; peer < message.totalSlots; peer++) if (!local.has(peer)) remotePeers.push(peer);
      const deploymentOfSlot: SlotDeployment = {
        ...plan,
        moduleUrl: moduleUrl ?? plan.moduleUrl,
        peerPorts: peerPorts.get(plan.slot)!,
        // On-disk state lives on this machine, wherever the JobManager would have put it.
        ...(plan.stateBackend === undefined
          ? {}
          : { stateBackend: { ...plan.stateBackend, directory: this.#options.stateDir() } }),
      };
      const slot = plan.slot;
      const vertices = localRestore.get(slot);
      if (vertices !== undefined) {
        const checkpointId = message.localRestore!.checkpointId;
        try {
          const restore = vertices.map(
            (vertex) =>
              [
                vertex,
                this.#localState.read(jobId ?? "", checkpointId, vertex, slot) as OperatorSnapshot[],
              ] as const,
          );
          this.#log("info", "restoring from the local state copy", { deploymentId, slot, checkpointId });
          this.#options.send({ type: "local-restore", deploymentId, slot, ok: true });
          this.#startSlot(
            deployment,
            deploymentId,
            { ...deploymentOfSlot, restore },
            ports.get(slot)!,
            remotePeers,
            message.dataToken,
          );
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          this.#log("warn", "local state copy unusable: restoring from the checkpoint storage", {
            deploymentId,
            slot,
            checkpointId,
            reason,
          });
          deployment.early.set(slot, []);
          deployment.waiting.set(slot, (restore) => {
            deployment.waiting.delete(slot);
            const early = deployment.early.get(slot) ?? [];
            deployment.early.delete(slot);
            const worker = this.#startSlot(
              deployment,
              deploymentId,
              { ...deploymentOfSlot, restore },
              ports.get(slot)!,
              remotePeers,
              message.dataToken,
            );
            for (const queued of early) worker.postMessage(queued);
          });
          this.#options.send({ type: "local-restore", deploymentId, slot, ok: false, reason });
        }
        continue;
      }
      this.#startSlot(
        deployment,
        deploymentId,
        deploymentOfSlot,
        ports.get(slot)!,
        remotePeers,
        message.dataToken,
      );
    }
    this.#log("info", "deployed slots", { deploymentId, slots: mine });
    // Refill the standby threads once this attempt's threads had time to start.
    setTimeout(() => this.fillStandby(), STANDBY_REFILL_DELAY_MS).unref();
  }

  /** Starts one slot's thread; copies its acknowledged snapshots locally when the job asks for it. */
  #startSlot(
    deployment: RunningDeployment,
    deploymentId: string,
    deploymentOfSlot: SlotDeployment,
    slotPorts: MessagePort[],
    remotePeers: readonly number[],
    dataToken: string,
  ): Worker {
    const slot = deploymentOfSlot.slot;
    const jobId = deployment.jobId;
    let localBlobDirectory: string | undefined;
    try {
      if (jobId !== undefined) localBlobDirectory = this.#localState.blobDirectory(jobId);
    } catch (error) {
      this.#log("warn", "no local copies of state blobs", { deploymentId, slot, reason: String(error) });
    }
    const threadData: SlotThreadData = {
      deployment: deploymentOfSlot,
      ports: slotPorts,
      remotePeers,
      dataToken,
      dataHost: this.#options.dataHost ?? "127.0.0.1",
      metricsIntervalMs: this.metricsIntervalMs,
      tls: this.#options.tls,
      ...(localBlobDirectory === undefined ? {} : { localBlobDirectory }),
    };
    const worker = this.#takeStandby();
    const deployMessage: ToSlotThread = { kind: "deploy", data: threadData };
    worker.postMessage(deployMessage, slotPorts);
    worker.on("message", (fromSlot: FromSlotThread) => {
      if (deployment.released) return;
      if (
        jobId !== undefined &&
        fromSlot.kind === "coordinator" &&
        fromSlot.message.type === "checkpoint-ack"
      ) {
        const ack = fromSlot.message;
        try {
          this.#localState.write(jobId, ack.checkpointId, ack.vertex, ack.subtask, ack.snapshots);
        } catch (error) {
          this.#log("warn", "could not keep a local state copy", { slot, reason: String(error) });
        }
      }
      if (fromSlot.kind === "state-blob-reads") {
        for (const reason of fromSlot.problems)
          this.#log("warn", "local state blob not used: reading the checkpoint storage", {
            deploymentId,
            slot,
            reason,
          });
        const { reads } = fromSlot;
        if (reads.local + reads.remote > 0)
          this.#options.send({ type: "state-blob-reads", deploymentId, slot, reads });
      } else if (fromSlot.kind === "coordinator")
        this.#options.send({ type: "slot-message", deploymentId, slot, message: fromSlot.message });
      else if (fromSlot.kind === "loaded") return;
      else if (fromSlot.kind === "data-port")
        this.#options.send({ type: "data-port", deploymentId, slot, port: fromSlot.port });
      else this.#options.send({ type: "slot-metrics", deploymentId, slot, counters: fromSlot.counters });
    });
    const crashed = (reason: string) => {
      if (deployment.released || deployment.stopped.has(slot)) return;
      this.#options.send({ type: "slot-crashed", deploymentId, slot, reason });
    };
    worker.on("error", (error) =>
      crashed(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    );
    worker.on("exit", (code) => {
      deployment.workers.delete(slot);
      crashed(`slot thread ${slot} exited unexpectedly (code ${code})`);
    });
    deployment.workers.set(slot, worker);
    return worker;
  }

  /**
   * Keeps one started slot thread per slot waiting for a deployment, so a (re)deployment does not
   * wait for threads to load the runtime. A standby thread that dies is simply dropped.
   */
  fillStandby(): void {
    while (!this.#options.closed() && this.#standby.length < this.#options.slots) {
      const worker = this.#startThread();
      const drop = () => {
        const index = this.#standby.indexOf(worker);
        if (index >= 0) this.#standby.splice(index, 1);
      };
      worker.once("exit", drop);
      worker.once("error", drop);
      this.#standbyDrops.set(worker, drop);
      this.#standby.push(worker);
    }
  }

  /** A new slot thread; {@link #terminate} waits until it loaded the runtime. */
  #startThread(): Worker {
    const worker = new Worker(SLOT_THREAD_MAIN, { name: "weir-slot" });
    this.#loaded.set(
      worker,
      new Promise<void>((resolve) => {
        const onMessage = (message: FromSlotThread) => {
          if (message.kind !== "loaded") return;
          worker.off("message", onMessage);
          resolve();
        };
        worker.on("message", onMessage);
        worker.once("exit", () => resolve());
        worker.once("error", () => resolve());
      }),
    );
    return worker;
  }

  /**
   * Terminates a slot thread once it loaded the runtime: terminating a thread while it loads a
   * native addon (LMDB) aborts the whole process. Waits at most {@link LOAD_WAIT_MS}.
   */
  async #terminate(worker: Worker): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#loaded.get(worker) ?? Promise.resolve(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, LOAD_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    await worker.terminate();
  }

  #takeStandby(): Worker {
    const worker = this.#standby.shift();
    if (worker === undefined) return this.#startThread();
    const drop = this.#standbyDrops.get(worker)!;
    worker.off("exit", drop);
    worker.off("error", drop);
    this.#standbyDrops.delete(worker);
    return worker;
  }

  /** Writes a shipped module under its generated id (never a client-chosen name), atomically. */
  #writeArtifact(artifactId: string, source: string): string {
    if (!/^[a-f0-9-]{36}$/.test(artifactId))
      throw new Error(`malformed artifact id ${JSON.stringify(artifactId)}`);
    const dir = resolve(this.#options.artifactsDir ?? ".weir/artifacts");
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${artifactId}.job.ts`);
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, source);
    renameSync(temp, path);
    return pathToFileURL(path).href;
  }

  /** Stops the deployment's threads, after `graceMs` if they do not end by themselves. */
  release(deploymentId: string, graceMs: number): void {
    const deployment = this.#deployments.get(deploymentId);
    if (deployment === undefined) return;
    deployment.released = true;
    this.#deployments.delete(deploymentId);
    for (const worker of deployment.workers.values()) {
      if (graceMs <= 0) void this.#terminate(worker);
      else {
        const timer = setTimeout(() => void this.#terminate(worker), graceMs);
        worker.once("exit", () => clearTimeout(timer));
      }
    }
  }

  /** Region failover: stops some slots of a deployment; the deployment is gone once all are. */
  releaseSlots(deploymentId: string, slots: readonly number[]): void {
    const deployment = this.#deployments.get(deploymentId);
    if (deployment === undefined) return;
    for (const slot of slots) {
      deployment.stopped.add(slot);
      const worker = deployment.workers.get(slot);
      deployment.workers.delete(slot);
      if (worker !== undefined) void this.#terminate(worker);
    }
    if (deployment.workers.size === 0) {
      deployment.released = true;
      this.#deployments.delete(deploymentId);
    }
    this.#log("info", "stopped slots for a region restart", { deploymentId, slots });
  }

  /** Releases every deployment (the JobManager is gone or the TaskManager closes). */
  releaseAll(graceMs: number): void {
    for (const id of [...this.#deployments.keys()]) this.release(id, graceMs);
  }

  /** Stops every slot thread, deployed or standby. */
  async close(): Promise<void> {
    const workers = [...this.#deployments.values()].flatMap((d) => [...d.workers.values()]);
    workers.push(...this.#standby.splice(0));
    this.releaseAll(0);
    await Promise.all(workers.map((w) => this.#terminate(w)));
  }
}
