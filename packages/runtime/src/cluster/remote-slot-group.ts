/**
 * The slots of one attempt, placed on TaskManagers: the cluster's {@link AttemptSlots}. It takes
 * slots from the registry (waiting for enough), deploys each TaskManager's share, tells each slot
 * where its remote peers listen, relays messages, and reports a lost TaskManager or a crashed slot
 * thread as a crash of the attempt (the job run then restarts from its latest checkpoint).
 *
 * Invariant: once cancelled or shut down, the group delivers nothing more to the job run, and its
 * slots are returned to the registry exactly once.
 * @module
 */

import { randomBytes, randomUUID } from "node:crypto";
import type { AttemptSlots, SlotGroupEvents, SlotLauncher } from "../coordinator/slot-group.ts";
import type { SlotDeployment, ToCoordinator, ToSlot } from "../rpc/messages.ts";
import type { TaskCounters } from "../worker/slot.ts";
import type { PeerAddress, ShippedModule } from "./cluster-messages.ts";
import type { RegisteredTaskManager, TaskManagerRegistry } from "./task-manager-registry.ts";

const CANCEL_GRACE_MS = 5_000;
const SHUTDOWN_GRACE_MS = 5_000;

export interface RemoteSlotsOptions {
  readonly registry: TaskManagerRegistry;
  /** How long an attempt waits for free slots before it fails (default 60 s). */
  readonly slotWaitMs: number;
  readonly module: ShippedModule | undefined;
  /** Called with every live group, so the JobManager can route TaskManager messages to it. */
  readonly track: (group: RemoteSlotGroup) => () => void;
}

export function remoteSlotLauncher(options: RemoteSlotsOptions): SlotLauncher {
  return (slots, deployment, restore, events) =>
    new RemoteSlotGroup(options, slots, deployment, restore, events);
}

export class RemoteSlotGroup implements AttemptSlots {
  readonly deploymentId = randomUUID();
  readonly #options: RemoteSlotsOptions;
  readonly #size: number;
  readonly #events: SlotGroupEvents;
  readonly #dataToken = randomBytes(32).toString("hex");
  readonly #untrack: () => void;
  readonly #unsubscribe: () => void;
  #placement: RegisteredTaskManager[] | undefined;
  /** Messages sent before the slots were placed, in order. */
  #early: [number, ToSlot][] = [];
  readonly #dataPorts = new Map<number, number>();
  #peersSent = false;
  #live = true;
  #released = false;
  #onCancelled: () => void = () => {};
  #checkCancelled: () => void = () => {};
  /** Latest counters per slot, as the slot threads last reported them. */
  readonly counters = new Map<number, readonly TaskCounters[]>();
  /** The report before the latest, per slot, with both reports' times: rates come from the two. */
  readonly #previous = new Map<number, { at: number; counters: readonly TaskCounters[] }>();
  readonly #reportedAt = new Map<number, number>();

  constructor(
    options: RemoteSlotsOptions,
    size: number,
    deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
    restore: (slot: number) => SlotDeployment["restore"],
    events: SlotGroupEvents,
  ) {
    this.#options = options;
    this.#size = size;
    this.#events = events;
    this.#untrack = options.track(this);
    this.#unsubscribe = options.registry.subscribe({
      lost: (tm, reason) => {
        const slot = this.#placement?.indexOf(tm) ?? -1;
        if (slot < 0) return;
        if (this.#live) this.#events.crashed(slot, `taskmanager ${tm.id} lost: ${reason}`);
        this.#checkCancelled();
      },
    });
    options.registry.allocate(this.deploymentId, size, options.slotWaitMs).then(
      (placement) => this.#deploy(placement, deployment, restore),
      (error: Error) => {
        if (this.#live) this.#events.crashed(0, error.message);
      },
    );
  }

  get size(): number {
    return this.#size;
  }

  /** The TaskManager of each slot, once placed. */
  get placement(): readonly RegisteredTaskManager[] | undefined {
    return this.#placement;
  }

  #deploy(
    placement: RegisteredTaskManager[],
    deployment: (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">,
    restore: (slot: number) => SlotDeployment["restore"],
  ): void {
    if (!this.#live) {
      this.#options.registry.release(this.deploymentId);
      return;
    }
    this.#placement = placement;
    const byTaskManager = new Map<RegisteredTaskManager, number[]>();
    for (let slot = 0; slot < placement.length; slot++) {
      const tm = placement[slot]!;
      byTaskManager.set(tm, [...(byTaskManager.get(tm) ?? []), slot]);
    }
    for (const [tm, slots] of byTaskManager) {
      tm.send({
        type: "deploy",
        deploymentId: this.deploymentId,
        dataToken: this.#dataToken,
        slots: slots.map((slot) => ({ ...deployment(slot), slot, restore: restore(slot) })),
        localSlots: slots,
        totalSlots: this.#size,
        module: this.#options.module,
      });
    }
    for (const [slot, message] of this.#early) this.send(slot, message);
    this.#early = [];
    // Every slot on one TaskManager: no data connections to set up.
    if (byTaskManager.size === 1) this.#peersSent = true;
  }

  /** A message from a slot of this attempt, relayed by its TaskManager. */
  fromSlot(slot: number, message: ToCoordinator): void {
    if (this.#live) this.#events.message(slot, message);
  }

  /** A slot's periodic counter report. */
  report(slot: number, counters: readonly TaskCounters[]): void {
    const at = this.#reportedAt.get(slot);
    const last = this.counters.get(slot);
    if (at !== undefined && last !== undefined) this.#previous.set(slot, { at, counters: last });
    this.counters.set(slot, counters);
    this.#reportedAt.set(slot, Date.now());
  }

  /** Records per second in and out, per vertex, over each slot's last two reports. */
  rates(): Map<number, { readonly inPerSecond: number; readonly outPerSecond: number }> {
    const rates = new Map<number, { inPerSecond: number; outPerSecond: number }>();
    for (const [slot, previous] of this.#previous) {
      const seconds = (this.#reportedAt.get(slot)! - previous.at) / 1000;
      if (seconds <= 0) continue;
      const before = new Map(previous.counters.map((t) => [t.vertex, t]));
      for (const task of this.counters.get(slot) ?? []) {
        const old = before.get(task.vertex);
        if (old === undefined) continue;
        const rate = rates.get(task.vertex) ?? { inPerSecond: 0, outPerSecond: 0 };
        rate.inPerSecond += (task.recordsIn - old.recordsIn) / seconds;
        rate.outPerSecond += (task.recordsOut - old.recordsOut) / seconds;
        rates.set(task.vertex, rate);
      }
    }
    return rates;
  }

  slotCrashed(slot: number, reason: string): void {
    if (this.#live) this.#events.crashed(slot, reason);
  }

  /** A slot listens for its remote peers; once all have, each learns whom to connect to. */
  dataPort(slot: number, port: number): void {
    const placement = this.#placement;
    if (!this.#live || placement === undefined) return;
    this.#dataPorts.set(slot, port);
    if (this.#peersSent) return;
    const needing = placement.filter((tm, s) => placement.some((other, t) => t !== s && other !== tm)).length;
    if (this.#dataPorts.size < needing) return;
    this.#peersSent = true;
    for (let slot = 0; slot < this.#size; slot++) {
      const connectTo: PeerAddress[] = [];
      for (let peer = slot + 1; peer < this.#size; peer++) {
        if (placement[peer] === placement[slot]) continue;
        connectTo.push({ slot: peer, host: placement[peer]!.dataHost, port: this.#dataPorts.get(peer)! });
      }
      placement[slot]!.send({ type: "peers", deploymentId: this.deploymentId, slot, connectTo });
    }
  }

  send(slot: number, message: ToSlot): void {
    if (!this.#live) return;
    const tm = this.#placement?.[slot];
    if (this.#placement === undefined) this.#early.push([slot, message]);
    else tm?.send({ type: "to-slot", deploymentId: this.deploymentId, slot, message });
  }

  broadcast(message: ToSlot): void {
    for (let slot = 0; slot < this.#size; slot++) this.send(slot, message);
  }

  async shutdown(): Promise<void> {
    this.broadcast({ type: "shutdown" });
    this.#live = false;
    this.#release(SHUTDOWN_GRACE_MS);
  }

  async cancel(): Promise<void> {
    if (!this.#live) return;
    const placement = this.#placement;
    if (placement === undefined) {
      this.#live = false;
      this.#options.registry.abandon(this.deploymentId);
      this.#release(0);
      return;
    }
    const registry = this.#options.registry;
    let confirmed = 0;
    // Slots on TaskManagers that are gone (now or while waiting) cannot confirm; they are stopped
    // already. Counted afresh each time, as a loss may be noticed only after the cancel began.
    const allConfirmed = new Promise<void>((resolve) => {
      this.#checkCancelled = () => {
        const lost = placement.filter((tm) => registry.get(tm.id) !== tm).length;
        if (confirmed + lost >= this.#size) resolve();
      };
      this.#onCancelled = () => {
        confirmed++;
        this.#checkCancelled();
      };
      this.#checkCancelled();
    });
    this.broadcast({ type: "cancel" });
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CANCEL_GRACE_MS);
    });
    await Promise.race([allConfirmed, grace]);
    clearTimeout(timer);
    this.#live = false;
    this.#release(0);
  }

  cancelled(): void {
    this.#onCancelled();
  }

  #release(graceMs: number): void {
    if (this.#released) return;
    this.#released = true;
    this.#unsubscribe();
    this.#untrack();
    for (const tm of new Set(this.#placement ?? []))
      tm.send({ type: "release", deploymentId: this.deploymentId, graceMs });
    this.#options.registry.release(this.deploymentId);
  }
}
