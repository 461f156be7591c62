/**
 * A TaskManager: a process that offers slots to a JobManager and runs what it deploys on them,
 * one worker thread per slot (the same slot code as the local mini-cluster). It registers,
 * heartbeats, and relays messages between the JobManager and its slot threads; data between
 * TaskManagers goes straight from slot thread to slot thread over TCP.
 *
 * Invariant: a TaskManager that loses its JobManager stops every slot it runs (their attempt is
 * being failed over by the JobManager anyway) and registers again once the JobManager is back,
 * so no orphaned task keeps writing after its attempt was cancelled.
 * @module
 */

import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { connect as connectTls } from "node:tls";
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
import { type ClusterTls, tlsClientOptions } from "./cluster-tls.ts";
import { ControlConnection } from "./control-connection.ts";
import { LocalStateStore } from "./local-state-store.ts";
import { type Logger, SILENT_LOGGER } from "./structured-log.ts";

const SLOT_THREAD_MAIN = new URL("./slot-thread-main.ts", import.meta.url);
const RECONNECT_DELAY_MS = 500;
const STANDBY_REFILL_DELAY_MS = 2_000;

export interface TaskManagerOptions {
  readonly jobManagerHost: string;
  readonly jobManagerPort: number;
  readonly slots: number;
  /** Address the slot threads listen on for data from other TaskManagers (default 127.0.0.1). */
  readonly dataHost?: string;
  /** Shared secret the JobManager requires, if it has one. */
  readonly secret?: string;
  /** Mutual TLS for the control connection and for data connections between slots. */
  readonly tls?: ClusterTls;
  readonly taskManagerId?: string;
  /**
   * Where task-local state copies are kept (default `.weir/local-state/<taskmanager id>` under the
   * working directory); emptied at start.
   */
  readonly localStateDir?: string;
  /**
   * Parent of the working directories of on-disk state backends (LMDB) of this TaskManager's tasks
   * (default `.weir/state/<taskmanager id>` under the working directory); backend directories
   * left there by an earlier process are removed at start, nothing else. Scratch
   * space only: durable state is what the tasks upload to the checkpoint storage.
   */
  readonly stateDir?: string;
  /** Where shipped job modules are written (default `.weir/artifacts` under the working directory). */
  readonly artifactsDir?: string;
  readonly log?: Logger;
  /** The JobManager refused this TaskManager (e.g. a wrong secret); it will not retry. */
  readonly onRefused?: (reason: string) => void;
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

export class TaskManager {
  readonly id: string;
  readonly #options: TaskManagerOptions;
  readonly #log: Logger;
  readonly #deployments = new Map<string, RunningDeployment>();
  #connection: ControlConnection<ToTaskManager, ToJobManager> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #standby: Worker[] = [];
  readonly #standbyDrops = new Map<Worker, () => void>();
  #watchdog: NodeJS.Timeout | undefined;
  #lastHeard = 0;
  #metricsIntervalMs = 1_000;
  #closed = false;
  #registered: (() => void) | undefined;
  #localState: LocalStateStore | undefined;

  constructor(options: TaskManagerOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1)
      throw new RangeError(`slots must be a positive integer, got ${options.slots}`);
    this.#options = options;
    this.id = options.taskManagerId ?? `tm-${randomUUID().slice(0, 8)}`;
    this.#log = options.log ?? SILENT_LOGGER;
  }

  /** Task-local state copies, created (empty) on first use. */
  get localState(): LocalStateStore {
    this.#localState ??= new LocalStateStore(
      resolve(this.#options.localStateDir ?? join(".weir", "local-state", this.id)),
    );
    return this.#localState;
  }

  /** Where this TaskManager's tasks keep on-disk keyed state (see `TaskManagerOptions.stateDir`). */
  get stateDir(): string {
    return resolve(this.#options.stateDir ?? join(".weir", "state", this.id));
  }

  /** Connects and registers; resolves once the JobManager accepted this TaskManager. */
  start(): Promise<void> {
    void this.localState;
    // Leftovers of slot threads a previous process of this TaskManager did not close: only the
    // backends' own directories (`<operator>-<8 hex>`), never anything else a user keeps there.
    if (existsSync(this.stateDir))
      for (const entry of readdirSync(this.stateDir))
        if (/-[0-9a-f]{8}$/.test(entry)) rmSync(join(this.stateDir, entry), { recursive: true, force: true });
    return new Promise((resolve) => {
      this.#registered = resolve;
      this.#connect();
    });
  }

  #connect(): void {
    if (this.#closed) return;
    const { jobManagerHost: host, jobManagerPort: port, tls } = this.#options;
    const socket: Socket =
      tls === undefined ? connect(port, host) : connectTls({ host, port, ...tlsClientOptions(tls) });
    const connection = new ControlConnection<ToTaskManager, ToJobManager>(socket);
    this.#connection = connection;
    socket.once(tls === undefined ? "connect" : "secureConnect", () => {
      connection.send({
        type: "register",
        taskManagerId: this.id,
        slots: this.#options.slots,
        dataHost: this.#options.dataHost ?? "127.0.0.1",
        secret: this.#options.secret,
        hostname: hostname(),
        pid: process.pid,
      });
    });
    connection.listen(
      (message) => {
        this.#lastHeard = Date.now();
        this.#handle(message);
      },
      (reason) => {
        if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
        this.#heartbeat = undefined;
        if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
        this.#watchdog = undefined;
        this.#releaseAll(0);
        if (this.#closed) return;
        this.#log("warn", "lost the jobmanager; reconnecting", { reason });
        setTimeout(() => this.#connect(), RECONNECT_DELAY_MS);
      },
    );
  }

  #handle(message: ToTaskManager): void {
    switch (message.type) {
      case "registered": {
        this.#metricsIntervalMs = message.metricsIntervalMs;
        this.#heartbeat = setInterval(
          () => this.#connection?.send({ type: "heartbeat" }),
          message.heartbeatIntervalMs,
        );
        // A JobManager that went silent (a cut network closes nothing) is treated as gone: the
        // slots stop, as the JobManager has failed their attempt over by then.
        const connection = this.#connection;
        this.#watchdog = setInterval(
          () => {
            const silentMs = Date.now() - this.#lastHeard;
            if (silentMs > message.heartbeatTimeoutMs)
              connection?.close(`no answer from the jobmanager for ${silentMs} ms`);
          },
          Math.max(50, Math.floor(message.heartbeatTimeoutMs / 5)),
        );
        this.#lastHeard = Date.now();
        this.#log("info", "registered at the jobmanager", {
          taskManager: this.id,
          slots: this.#options.slots,
        });
        this.#fillStandby();
        this.#registered?.();
        this.#registered = undefined;
        return;
      }
      case "heartbeat":
        return;
      case "refused":
        this.#log("error", "the jobmanager refused this taskmanager", { reason: message.reason });
        this.#closed = true;
        this.#connection?.close("refused");
        this.#options.onRefused?.(message.reason);
        return;
      case "deploy":
        try {
          this.#deploy(message);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          for (const plan of message.slots)
            this.#connection?.send({
              type: "slot-crashed",
              deploymentId: message.deploymentId,
              slot: plan.slot,
              reason,
            });
        }
        return;
      case "peers":
        this.#post(message.deploymentId, message.slot, { kind: "peers", connectTo: message.connectTo });
        return;
      case "to-slot": {
        const jobId = this.#deployments.get(message.deploymentId)?.jobId;
        if (jobId !== undefined && message.message.type === "checkpoint-complete")
          this.localState.completed(jobId, message.message.checkpointId);
        this.#post(message.deploymentId, message.slot, { kind: "slot", message: message.message });
        return;
      }
      case "restore-state": {
        const start = this.#deployments.get(message.deploymentId)?.waiting.get(message.slot);
        if (start !== undefined) {
          this.#log("info", "restoring from state sent by the jobmanager", {
            deploymentId: message.deploymentId,
            slot: message.slot,
          });
          start(message.restore);
        }
        return;
      }
      case "discard-local-state":
        this.localState.discard(message.jobId);
        return;
      case "release":
        this.#release(message.deploymentId, message.graceMs);
        return;
      case "release-slots":
        this.#releaseSlots(message.deploymentId, message.slots);
        return;
    }
  }

  #post(deploymentId: string, slot: number, message: ToSlotThread): void {
    const deployment = this.#deployments.get(deploymentId);
    if (deployment === undefined || deployment.released) return;
    const early = deployment.early.get(slot);
    if (early !== undefined) early.push(message);
    else deployment.workers.get(slot)?.postMessage(message);
  }

  #deploy(message: Extract<ToTaskManager, { type: "deploy" }>): void {
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
          : { stateBackend: { ...plan.stateBackend, directory: this.stateDir } }),
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
                this.localState.read(jobId ?? "", checkpointId, vertex, slot) as OperatorSnapshot[],
              ] as const,
          );
          this.#log("info", "restoring from the local state copy", { deploymentId, slot, checkpointId });
          this.#connection?.send({ type: "local-restore", deploymentId, slot, ok: true });
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
          this.#connection?.send({ type: "local-restore", deploymentId, slot, ok: false, reason });
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
    setTimeout(() => this.#fillStandby(), STANDBY_REFILL_DELAY_MS).unref();
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
    const threadData: SlotThreadData = {
      deployment: deploymentOfSlot,
      ports: slotPorts,
      remotePeers,
      dataToken,
      dataHost: this.#options.dataHost ?? "127.0.0.1",
      metricsIntervalMs: this.#metricsIntervalMs,
      tls: this.#options.tls,
    };
    const worker = this.#takeStandby();
    const deployMessage: ToSlotThread = { kind: "deploy", data: threadData };
    worker.postMessage(deployMessage, slotPorts);
    const slot = deploymentOfSlot.slot;
    const jobId = deployment.jobId;
    worker.on("message", (fromSlot: FromSlotThread) => {
      if (deployment.released) return;
      const connection = this.#connection;
      if (
        jobId !== undefined &&
        fromSlot.kind === "coordinator" &&
        fromSlot.message.type === "checkpoint-ack"
      ) {
        const ack = fromSlot.message;
        try {
          this.localState.write(jobId, ack.checkpointId, ack.vertex, ack.subtask, ack.snapshots);
        } catch (error) {
          this.#log("warn", "could not keep a local state copy", { slot, reason: String(error) });
        }
      }
      if (fromSlot.kind === "coordinator")
        connection?.send({ type: "slot-message", deploymentId, slot, message: fromSlot.message });
      else if (fromSlot.kind === "data-port")
        connection?.send({ type: "data-port", deploymentId, slot, port: fromSlot.port });
      else connection?.send({ type: "slot-metrics", deploymentId, slot, counters: fromSlot.counters });
    });
    const crashed = (reason: string) => {
      if (deployment.released || deployment.stopped.has(slot)) return;
      this.#connection?.send({ type: "slot-crashed", deploymentId, slot, reason });
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
  #fillStandby(): void {
    while (!this.#closed && this.#standby.length < this.#options.slots) {
      const worker = new Worker(SLOT_THREAD_MAIN, { name: "weir-slot" });
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

  #takeStandby(): Worker {
    const worker = this.#standby.shift();
    if (worker === undefined) return new Worker(SLOT_THREAD_MAIN, { name: "weir-slot" });
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

  #release(deploymentId: string, graceMs: number): void {
    const deployment = this.#deployments.get(deploymentId);
    if (deployment === undefined) return;
    deployment.released = true;
    this.#deployments.delete(deploymentId);
    for (const worker of deployment.workers.values()) {
      if (graceMs <= 0) void worker.terminate();
      else {
        const timer = setTimeout(() => void worker.terminate(), graceMs);
        worker.once("exit", () => clearTimeout(timer));
      }
    }
  }

  /** Region failover: stops some slots of a deployment; the deployment is gone once all are. */
  #releaseSlots(deploymentId: string, slots: readonly number[]): void {
    const deployment = this.#deployments.get(deploymentId);
    if (deployment === undefined) return;
    for (const slot of slots) {
      deployment.stopped.add(slot);
      const worker = deployment.workers.get(slot);
      deployment.workers.delete(slot);
      void worker?.terminate();
    }
    if (deployment.workers.size === 0) {
      deployment.released = true;
      this.#deployments.delete(deploymentId);
    }
    this.#log("info", "stopped slots for a region restart", { deploymentId, slots });
  }

  #releaseAll(graceMs: number): void {
    for (const id of [...this.#deployments.keys()]) this.#release(id, graceMs);
  }

  /** Stops every slot and leaves the JobManager. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
    const workers = [...this.#deployments.values()].flatMap((d) => [...d.workers.values()]);
    workers.push(...this.#standby.splice(0));
    this.#releaseAll(0);
    await Promise.all(workers.map((w) => w.terminate()));
    this.#connection?.close("taskmanager closed");
  }
}
