/**
 * A TaskManager: a process that offers slots to a JobManager and runs what it deploys on them,
 * one worker thread per slot (the same slot code as the local mini-cluster). It registers,
 * heartbeats, and relays messages between the JobManager and its slot threads; data between
 * TaskManagers goes straight from slot thread to slot thread over TCP. This file keeps the
 * connection to the JobManager; the slot threads are hosted by `SlotHost` (`slot-host.ts`).
 *
 * Invariant: a TaskManager that loses its JobManager stops every slot it runs (their attempt is
 * being failed over by the JobManager anyway) and registers again once the JobManager is back,
 * so no orphaned task keeps writing after its attempt was cancelled.
 * @module
 */

import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { connect as connectTls } from "node:tls";
import type { ToJobManager, ToTaskManager } from "./cluster-messages.ts";
import { type ClusterTls, tlsClientOptions } from "./cluster-tls.ts";
import { ControlConnection } from "./control-connection.ts";
import { LocalStateStore } from "./local-state-store.ts";
import { SlotHost } from "./slot-host.ts";
import { type Logger, SILENT_LOGGER } from "./structured-log.ts";

const RECONNECT_DELAY_MS = 500;

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

export class TaskManager {
  readonly id: string;
  readonly #options: TaskManagerOptions;
  readonly #log: Logger;
  readonly #slots: SlotHost;
  #connection: ControlConnection<ToTaskManager, ToJobManager> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastHeard = 0;
  #closed = false;
  #registered: (() => void) | undefined;
  #localState: LocalStateStore | undefined;

  constructor(options: TaskManagerOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1)
      throw new RangeError(`slots must be a positive integer, got ${options.slots}`);
    this.#options = options;
    this.id = options.taskManagerId ?? `tm-${randomUUID().slice(0, 8)}`;
    this.#log = options.log ?? SILENT_LOGGER;
    this.#slots = new SlotHost({
      slots: options.slots,
      dataHost: options.dataHost,
      tls: options.tls,
      artifactsDir: options.artifactsDir,
      log: this.#log,
      send: (message) => this.#connection?.send(message),
      localState: () => this.localState,
      stateDir: () => this.stateDir,
      closed: () => this.#closed,
    });
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
        this.#slots.releaseAll(0);
        if (this.#closed) return;
        this.#log("warn", "lost the jobmanager; reconnecting", { reason });
        setTimeout(() => this.#connect(), RECONNECT_DELAY_MS);
      },
    );
  }

  #handle(message: ToTaskManager): void {
    switch (message.type) {
      case "registered": {
        this.#slots.metricsIntervalMs = message.metricsIntervalMs;
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
        this.#slots.fillStandby();
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
          this.#slots.deploy(message);
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
        this.#slots.post(message.deploymentId, message.slot, { kind: "peers", connectTo: message.connectTo });
        return;
      case "to-slot":
        this.#slots.forwardToSlot(message);
        return;
      case "restore-state":
        this.#slots.restoreState(message);
        return;
      case "discard-local-state":
        this.localState.discard(message.jobId);
        return;
      case "release":
        this.#slots.release(message.deploymentId, message.graceMs);
        return;
      case "release-slots":
        this.#slots.releaseSlots(message.deploymentId, message.slots);
        return;
    }
  }

  /** Stops every slot and leaves the JobManager. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
    await this.#slots.close();
    this.#connection?.close("taskmanager closed");
  }
}
