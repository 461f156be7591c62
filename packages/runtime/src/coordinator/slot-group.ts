/**
 * The worker threads of one attempt of a job: one per slot, connected pairwise by MessageChannels
 * (one per pair of slots carries every channel between them, in order). The job run owns the
 * decisions; this module only starts, addresses and stops threads.
 * @module
 */

import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { SlotDeployment, ToCoordinator, ToSlot } from "../rpc/messages.ts";

const SLOT_MAIN = new URL("../worker/slot-main.ts", import.meta.url);
/** How long cancelled slots get to close their operators before their threads are stopped. */
const CANCEL_GRACE_MS = 5_000;
/** How long a finished slot gets to flush its output and exit on its own. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface SlotGroupEvents {
  message(slot: number, message: ToCoordinator): void;
  /** A thread failed or ended on its own while the group was live. */
  crashed(slot: number, message: string): void;
}

/**
 * The slots of one attempt as the job run sees them, wherever they run: worker threads of this
 * process ({@link SlotGroup}) or slots on TaskManagers (the cluster's remote slot group).
 * Slot `s` runs subtask `s` of every vertex; messages to a slot keep their order.
 */
export interface AttemptSlots {
  readonly size: number;
  send(slot: number, message: ToSlot): void;
  broadcast(message: ToSlot): void;
  /** The job is over: lets the slots end by themselves. */
  shutdown(): Promise<void>;
  /** Cancels every slot, waits for confirmations (see `cancelled`) or a grace period, then stops them. */
  cancel(): Promise<void>;
  /** Slot `slot` confirmed its cancellation. */
  cancelled(slot: number): void;
}

/** Starts the slots of an attempt; the default starts worker threads in this process. */
export type SlotLauncher = (
  slots: number,
  deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
  restore: (slot: number) => SlotDeployment["restore"],
  events: SlotGroupEvents,
) => AttemptSlots;

export const launchWorkerThreads: SlotLauncher = (slots, deployment, restore, events) =>
  new SlotGroup(slots, deployment, restore, events);

export class SlotGroup implements AttemptSlots {
  readonly #workers: Worker[] = [];
  #live = true;

  constructor(
    slots: number,
    deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
    restore: (slot: number) => SlotDeployment["restore"],
    events: SlotGroupEvents,
  ) {
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
      const full: SlotDeployment = {
        ...deployment(slot),
        slot,
        peerPorts: peerPorts[slot]!,
        restore: restore(slot),
      };
      const worker = new Worker(SLOT_MAIN, {
        workerData: { deployment: full, ports: ports[slot] },
        transferList: ports[slot]!,
        name: `weir-slot-${slot}`,
      });
      worker.on("message", (message: ToCoordinator) => {
        if (this.#live) events.message(slot, message);
      });
      worker.on("error", (error) => {
        if (this.#live)
          events.crashed(slot, error instanceof Error ? (error.stack ?? error.message) : String(error));
      });
      worker.on("exit", (code) => {
        this.#exited.add(slot);
        // A thread that is gone cannot confirm a cancellation: it counts as done (no grace wait).
        this.#onSettled(slot);
        if (this.#live)
          events.crashed(slot, `worker thread of slot ${slot} exited unexpectedly (code ${code})`);
      });
      this.#workers.push(worker);
    }
  }

  get size(): number {
    return this.#workers.length;
  }

  send(slot: number, message: ToSlot): void {
    if (this.#live) this.#workers[slot]?.postMessage(message);
  }

  broadcast(message: ToSlot): void {
    for (let slot = 0; slot < this.#workers.length; slot++) this.send(slot, message);
  }

  /** Lets every slot's thread end by itself, so buffered stdout is not cut off. */
  async shutdown(): Promise<void> {
    this.broadcast({ type: "shutdown" });
    this.#live = false;
    await Promise.all(
      this.#workers.map(async (worker) => {
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        const timer = setTimeout(() => void worker.terminate(), SHUTDOWN_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /**
   * Cancels every slot (operators are closed), waits for them to confirm or for the grace period,
   * then stops the threads. `confirmed` is called by the owner for each "cancelled" message.
   */
  async cancel(): Promise<void> {
    if (!this.#live) return;
    const settled = new Set(this.#exited);
    const allConfirmed = new Promise<void>((resolve) => {
      this.#onSettled = (slot) => {
        settled.add(slot);
        if (settled.size === this.#workers.length) resolve();
      };
      if (settled.size === this.#workers.length) resolve();
    });
    this.broadcast({ type: "cancel" });
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CANCEL_GRACE_MS).unref());
    await Promise.race([allConfirmed, grace]);
    this.#live = false;
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  /** Slots whose thread has exited (crashed or killed). */
  readonly #exited = new Set<number>();
  /** During a cancel: a slot confirmed, or its thread is gone. */
  #onSettled: (slot: number) => void = () => {};

  /** Slot `slot` confirmed its cancellation. */
  cancelled(slot: number): void {
    this.#onSettled(slot);
  }
}

export type RestoreBySlot = (slot: number) => readonly (readonly [number, readonly OperatorSnapshot[]])[];
