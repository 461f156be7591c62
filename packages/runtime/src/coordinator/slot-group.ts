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
  /** Several slots failed at once (their TaskManager was lost); absent: `crashed` for the first. */
  lost?(slots: readonly number[], message: string): void;
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
  /**
   * Region failover: cancels and stops the slots `slots` only (the others keep running). With
   * {@link startSlots}; both absent where slots cannot restart alone (the job run then restarts
   * every slot).
   */
  cancelSlots?(slots: readonly number[]): Promise<void>;
  /** Starts `slots` afresh after {@link cancelSlots}; they report `ready` as at deployment. */
  startSlots?(
    slots: readonly number[],
    deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
    restore: (slot: number) => SlotDeployment["restore"],
    restoring?: number,
  ): void;
}

/**
 * Starts the slots of an attempt; the default starts worker threads in this process. `units`: the
 * slots each slot exchanges data with and restarts with (its failover unit); absent, every slot.
 * A launcher may connect only slots of one unit, so stopping a unit breaks no other slot's channels.
 */
export type SlotLauncher = (
  slots: number,
  deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
  restore: (slot: number) => SlotDeployment["restore"],
  events: SlotGroupEvents,
  units?: (slot: number) => readonly number[],
  /** The checkpoint `restore` comes from (a launcher may restore from local copies of it). */
  restoring?: number,
) => AttemptSlots;

export const launchWorkerThreads: SlotLauncher = (slots, deployment, restore, events) =>
  new SlotGroup(slots, deployment, restore, events);

export class SlotGroup implements AttemptSlots {
  readonly #workers: Worker[] = [];
  readonly #events: SlotGroupEvents;
  #live = true;

  constructor(
    slots: number,
    deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
    restore: (slot: number) => SlotDeployment["restore"],
    events: SlotGroupEvents,
  ) {
    this.#events = events;
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
      this.#workers.push(this.#spawn(full, ports[slot]!));
    }
  }

  /** Starts the thread of one slot; events from it count only while it is the slot's current thread. */
  #spawn(full: SlotDeployment, ports: MessagePort[]): Worker {
    const slot = full.slot;
    const worker = new Worker(SLOT_MAIN, {
      workerData: { deployment: full, ports },
      transferList: ports,
      name: `weir-slot-${slot}`,
    });
    const current = () => this.#live && this.#workers[slot] === worker;
    worker.on("message", (message: ToCoordinator) => {
      if (current()) this.#events.message(slot, message);
    });
    worker.on("error", (error) => {
      if (current())
        this.#events.crashed(slot, error instanceof Error ? (error.stack ?? error.message) : String(error));
    });
    worker.on("exit", (code) => {
      if (this.#workers[slot] !== worker) return;
      this.#exited.add(slot);
      // A thread that is gone cannot confirm a cancellation: it counts as done (no grace wait).
      this.#onSettled(slot);
      this.#settleWaiters.get(slot)?.();
      if (this.#live && !this.#replacing.has(slot))
        this.#events.crashed(slot, `worker thread of slot ${slot} exited unexpectedly (code ${code})`);
    });
    return worker;
  }

  /**
   * Region failover, first half: cancels the threads of `slots` (grace period as {@link cancel})
   * and stops them. The other slots keep running: they exchange no data with these (a failover
   * unit is closed under channels), so their ports to the stopped threads stay unused.
   */
  async cancelSlots(slots: readonly number[]): Promise<void> {
    if (!this.#live) return;
    for (const slot of slots) this.#replacing.add(slot);
    await Promise.all(
      slots.map(async (slot) => {
        const worker = this.#workers[slot]!;
        const settled = new Promise<void>((resolve) => {
          if (this.#exited.has(slot)) resolve();
          this.#settleWaiters.set(slot, resolve);
        });
        worker.postMessage({ type: "cancel" } satisfies ToSlot);
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CANCEL_GRACE_MS);
        });
        await Promise.race([settled, grace]);
        clearTimeout(timer);
        this.#settleWaiters.delete(slot);
        await worker.terminate();
      }),
    );
  }

  /** Region failover, second half: new threads for `slots`, with fresh channels among themselves. */
  startSlots(
    slots: readonly number[],
    deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
    restore: (slot: number) => SlotDeployment["restore"],
  ): void {
    if (!this.#live) return;
    const restarting = new Set(slots);
    const size = this.#workers.length;
    const ports = new Map<number, MessagePort[]>(slots.map((slot) => [slot, []]));
    const peerPorts = new Map<number, [number, number][]>(slots.map((slot) => [slot, []]));
    for (const a of slots) {
      for (let b = 0; b < size; b++) {
        if (b === a || (restarting.has(b) && b < a)) continue;
        const { port1, port2 } = new MessageChannel();
        peerPorts.get(a)!.push([b, ports.get(a)!.length]);
        ports.get(a)!.push(port1);
        if (restarting.has(b)) {
          peerPorts.get(b)!.push([a, ports.get(b)!.length]);
          ports.get(b)!.push(port2);
        } else port2.close();
      }
    }
    for (const slot of slots) {
      this.#exited.delete(slot);
      this.#replacing.delete(slot);
      this.#workers[slot] = this.#spawn(
        { ...deployment(slot), slot, peerPorts: peerPorts.get(slot)!, restore: restore(slot) },
        ports.get(slot)!,
      );
    }
  }

  /** Slots being cancelled for a region restart: their threads ending is expected, not a crash. */
  readonly #replacing = new Set<number>();

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

  /** During a region restart: resolves when the slot confirmed its cancellation or its thread is gone. */
  readonly #settleWaiters = new Map<number, () => void>();

  /** Slot `slot` confirmed its cancellation. */
  cancelled(slot: number): void {
    this.#onSettled(slot);
    this.#settleWaiters.get(slot)?.();
  }
}

export type RestoreBySlot = (slot: number) => readonly (readonly [number, readonly OperatorSnapshot[]])[];
