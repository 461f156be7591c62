/**
 * The slots of one attempt, placed on TaskManagers: the cluster's {@link AttemptSlots}. It takes
 * slots from the registry (waiting for enough), deploys each TaskManager's share, tells each slot
 * where its remote peers listen, relays messages, and reports a lost TaskManager or a crashed slot
 * thread to the job run (which restarts the failed region, or every slot).
 *
 * Region failover: slots are deployed in parts. The attempt starts as one part (its id is
 * {@link deploymentId}); {@link cancelSlots} stops some slots on their TaskManagers and returns their
 * registry slots, and {@link startSlots} deploys them again as a new part, preferring the
 * TaskManagers they ran on (where task-local state copies are). Data connections are made only
 * between slots of one failover unit (`units`), so stopping a unit — or losing a TaskManager —
 * never breaks a connection of a slot that keeps running.
 *
 * Invariant: a message counts only if it comes from the part that currently runs its slot (late
 * messages of stopped threads are dropped); once cancelled or shut down, the group delivers nothing
 * more to the job run, and every part's registry slots are returned exactly once.
 * @module
 */

import { randomBytes, randomUUID } from "node:crypto";
import type { StateBlobReads } from "../checkpoint/storage/local-blob-cache.ts";
import type { AttemptSlots, SlotGroupEvents, SlotLauncher } from "../coordinator/slot-group.ts";
import type { SlotDeployment, ToCoordinator, ToSlot } from "../rpc/messages.ts";
import type { TaskCounters } from "../worker/slot.ts";
import type { PeerAddress, ShippedModule } from "./cluster-messages.ts";
import type { LocalRecovery } from "./local-recovery.ts";
import type { RegisteredTaskManager, TaskManagerRegistry } from "./task-manager-registry.ts";

const CANCEL_GRACE_MS = 5_000;
const SHUTDOWN_GRACE_MS = 5_000;

type DeploymentOf = (slot: number) => Omit<SlotDeployment, "slot" | "peerPorts" | "restore">;
type RestoreOf = (slot: number) => SlotDeployment["restore"];

export interface RemoteSlotsOptions {
  readonly registry: TaskManagerRegistry;
  /** How long an attempt waits for free slots before it fails (default 60 s). */
  readonly slotWaitMs: number;
  readonly module: ShippedModule | undefined;
  /**
   * Called with every deployment id of a live group (its first part and each redeployed one), so
   * the JobManager routes TaskManager messages to it; returns the function that stops the routing.
   */
  readonly track: (group: RemoteSlotGroup, deploymentId: string) => () => void;
  /** Task-local recovery of the job, when on: TaskManagers keep copies and restore from them. */
  readonly localRecovery?: LocalRecovery;
}

export function remoteSlotLauncher(options: RemoteSlotsOptions): SlotLauncher {
  return (slots, deployment, restore, events, units, restoring) =>
    new RemoteSlotGroup(options, slots, deployment, restore, events, units, restoring);
}

/** One deployment of some of the group's slots. */
interface Part {
  readonly id: string;
  readonly slots: readonly number[];
  readonly restore: RestoreOf;
  /** The checkpoint the part restores (undefined: a fresh start). */
  readonly restoring: number | undefined;
  readonly dataPorts: Map<number, number>;
  peersSent: boolean;
  placed: boolean;
  released: boolean;
  readonly untrack: () => void;
}

export class RemoteSlotGroup implements AttemptSlots {
  /** The id of the attempt's first deployment. */
  readonly deploymentId = randomUUID();
  readonly #options: RemoteSlotsOptions;
  readonly #size: number;
  readonly #events: SlotGroupEvents;
  readonly #units: (slot: number) => readonly number[];
  readonly #dataToken = randomBytes(32).toString("hex");
  readonly #unsubscribe: () => void;
  readonly #parts = new Map<string, Part>();
  /** The part and TaskManager currently running each slot (undefined while not placed). */
  readonly #partOf: (Part | undefined)[];
  readonly #tmOf: (RegisteredTaskManager | undefined)[];
  /** The TaskManager each slot ran on before it was stopped for a region restart. */
  readonly #previousTm: (RegisteredTaskManager | undefined)[];
  /** Messages sent to a slot before it was placed, in order. */
  readonly #early = new Map<number, ToSlot[]>();
  #live = true;
  #released = false;
  /** Slots a cancellation waits for; emptied by confirmations and by lost TaskManagers. */
  #waiting: Set<number> | undefined;
  #waitingDone: () => void = () => {};
  /** Latest counters per slot, as the slot threads last reported them. */
  readonly counters = new Map<number, readonly TaskCounters[]>();
  /** The report before the latest, per slot, with both reports' times: rates come from the two. */
  readonly #previous = new Map<number, { at: number; counters: readonly TaskCounters[] }>();
  readonly #reportedAt = new Map<number, number>();

  constructor(
    options: RemoteSlotsOptions,
    size: number,
    deployment: DeploymentOf,
    restore: RestoreOf,
    events: SlotGroupEvents,
    units?: (slot: number) => readonly number[],
    restoring?: number,
  ) {
    this.#options = options;
    this.#size = size;
    this.#events = events;
    const all = Array.from({ length: size }, (_, s) => s);
    this.#units = units ?? (() => all);
    this.#partOf = Array.from({ length: size }, () => undefined);
    this.#tmOf = Array.from({ length: size }, () => undefined);
    this.#previousTm = Array.from({ length: size }, () => undefined);
    this.#unsubscribe = options.registry.subscribe({
      lost: (tm, reason) => {
        const slots = all.filter((s) => this.#tmOf[s] === tm);
        if (slots.length === 0) return;
        for (const slot of slots) this.#settled(slot);
        if (!this.#live) return;
        const message = `taskmanager ${tm.id} lost: ${reason}`;
        if (this.#events.lost !== undefined) this.#events.lost(slots, message);
        else this.#events.crashed(slots[0]!, message);
      },
    });
    this.#launch(all, deployment, restore, this.deploymentId, [], restoring);
  }

  get size(): number {
    return this.#size;
  }

  /** The TaskManager of each placed slot. */
  get placement(): readonly RegisteredTaskManager[] | undefined {
    const placed = this.#tmOf.filter((tm): tm is RegisteredTaskManager => tm !== undefined);
    return placed.length === 0 ? undefined : placed;
  }

  /** The TaskManager running `slot`, once placed. */
  taskManagerOf(slot: number): RegisteredTaskManager | undefined {
    return this.#tmOf[slot];
  }

  #launch(
    slots: readonly number[],
    deployment: DeploymentOf,
    restore: RestoreOf,
    id: string,
    preferred: readonly (RegisteredTaskManager | undefined)[],
    restoring: number | undefined,
  ): void {
    const recovery = this.#options.localRecovery;
    // A slot goes back where its local copy is, unless the caller prefers otherwise.
    const wanted = slots.map(
      (slot, i) =>
        preferred[i] ??
        (restoring === undefined ? undefined : recovery?.copyOf(restoring, slot)?.taskManager),
    );
    const part: Part = {
      id,
      slots,
      restore,
      restoring,
      dataPorts: new Map(),
      peersSent: false,
      placed: false,
      released: false,
      untrack: this.#options.track(this, id),
    };
    this.#parts.set(id, part);
    for (const slot of slots) this.#partOf[slot] = part;
    this.#options.registry.allocate(id, slots.length, this.#options.slotWaitMs, wanted).then(
      (placement) => this.#deploy(part, placement, deployment, restore),
      (error: Error) => {
        if (this.#live && this.#partOf[slots[0]!] === part) this.#events.crashed(slots[0]!, error.message);
      },
    );
  }

  /** Slots of `part` on other TaskManagers that `slot` exchanges data with. */
  #remotePeers(part: Part, slot: number): number[] {
    const unit = new Set(this.#units(slot));
    return part.slots.filter(
      (peer) => peer !== slot && unit.has(peer) && this.#tmOf[peer] !== this.#tmOf[slot],
    );
  }

  #deploy(
    part: Part,
    placement: RegisteredTaskManager[],
    deployment: DeploymentOf,
    restore: RestoreOf,
  ): void {
    if (!this.#live || part.released) {
      this.#options.registry.release(part.id);
      return;
    }
    part.placed = true;
    part.slots.forEach((slot, i) => {
      this.#tmOf[slot] = placement[i]!;
    });
    const byTaskManager = new Map<RegisteredTaskManager, number[]>();
    for (const slot of part.slots) {
      const tm = this.#tmOf[slot]!;
      byTaskManager.set(tm, [...(byTaskManager.get(tm) ?? []), slot]);
    }
    const recovery = this.#options.localRecovery;
    for (const [tm, slots] of byTaskManager) {
      // Slots placed where their local copy of the restored checkpoint is get no state: the
      // TaskManager reads its copy (and asks for the state if the copy is unusable).
      const local = new Map<number, readonly number[]>();
      if (recovery !== undefined && part.restoring !== undefined)
        for (const slot of slots) {
          const copy = recovery.copyOf(part.restoring, slot);
          if (copy?.taskManager === tm) local.set(slot, copy.vertices);
          else recovery.remoteRestores++;
        }
      tm.send({
        type: "deploy",
        deploymentId: part.id,
        dataToken: this.#dataToken,
        slots: slots.map((slot) => ({
          ...deployment(slot),
          slot,
          restore: local.has(slot) ? [] : restore(slot),
        })),
        localSlots: slots,
        totalSlots: this.#size,
        module: this.#options.module,
        remotePeers: slots.map((slot) => [slot, this.#remotePeers(part, slot)] as const),
        ...(recovery === undefined ? {} : { localRecovery: { jobId: recovery.jobId } }),
        ...(local.size === 0 || part.restoring === undefined
          ? {}
          : { localRestore: { checkpointId: part.restoring, slots: [...local] } }),
      });
    }
    for (const slot of part.slots) {
      for (const message of this.#early.get(slot) ?? []) this.send(slot, message);
      this.#early.delete(slot);
    }
    if (part.slots.every((slot) => this.#remotePeers(part, slot).length === 0)) part.peersSent = true;
  }

  /** Whether `deploymentId` is the part currently running `slot` (else the message is stale). */
  #current(slot: number, deploymentId: string | undefined): boolean {
    return this.#live && (deploymentId === undefined || this.#partOf[slot]?.id === deploymentId);
  }

  /** A message from a slot of this attempt, relayed by its TaskManager. */
  fromSlot(slot: number, message: ToCoordinator, deploymentId?: string): void {
    if (!this.#current(slot, deploymentId)) return;
    const tm = this.#tmOf[slot];
    if (message.type === "checkpoint-ack" && tm !== undefined)
      this.#options.localRecovery?.acked(message.checkpointId, slot, message.vertex, tm);
    this.#events.message(slot, message);
  }

  /** A TaskManager reports a local restore; a failed one gets the state from here. */
  localRestore(slot: number, ok: boolean, deploymentId: string): void {
    if (!this.#current(slot, deploymentId)) return;
    this.#options.localRecovery?.restored(ok);
    if (ok) return;
    const part = this.#partOf[slot]!;
    this.#tmOf[slot]?.send({ type: "restore-state", deploymentId, slot, restore: part.restore(slot) });
  }

  /** A slot read state blobs (a restore), locally or from the checkpoint storage. */
  stateBlobReads(reads: StateBlobReads): void {
    this.#options.localRecovery?.blobsRead(reads);
  }

  /** A slot's periodic counter report. */
  report(slot: number, counters: readonly TaskCounters[], deploymentId?: string): void {
    if (!this.#current(slot, deploymentId)) return;
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

  slotCrashed(slot: number, reason: string, deploymentId?: string): void {
    if (this.#current(slot, deploymentId)) this.#events.crashed(slot, reason);
  }

  /** A slot listens for its remote peers; once all of its part have, each learns whom to connect to. */
  dataPort(slot: number, port: number, deploymentId?: string): void {
    if (!this.#current(slot, deploymentId)) return;
    const part = this.#partOf[slot];
    if (part === undefined || !part.placed) return;
    part.dataPorts.set(slot, port);
    if (part.peersSent) return;
    const needing = part.slots.filter((s) => this.#remotePeers(part, s).length > 0).length;
    if (part.dataPorts.size < needing) return;
    part.peersSent = true;
    for (const s of part.slots) {
      const connectTo: PeerAddress[] = this.#remotePeers(part, s)
        .filter((peer) => peer > s)
        .map((peer) => ({ slot: peer, host: this.#tmOf[peer]!.dataHost, port: part.dataPorts.get(peer)! }));
      this.#tmOf[s]!.send({ type: "peers", deploymentId: part.id, slot: s, connectTo });
    }
  }

  send(slot: number, message: ToSlot): void {
    if (!this.#live) return;
    const part = this.#partOf[slot];
    const tm = this.#tmOf[slot];
    if (part === undefined) return;
    if (tm === undefined) this.#early.set(slot, [...(this.#early.get(slot) ?? []), message]);
    else tm.send({ type: "to-slot", deploymentId: part.id, slot, message });
  }

  broadcast(message: ToSlot): void {
    for (let slot = 0; slot < this.#size; slot++) this.send(slot, message);
  }

  async shutdown(): Promise<void> {
    this.broadcast({ type: "shutdown" });
    this.#live = false;
    this.#release(SHUTDOWN_GRACE_MS);
  }

  /** Sends cancel to `slots` and waits until each confirmed or lost its TaskManager, or the grace period. */
  async #cancelAndWait(slots: readonly number[]): Promise<void> {
    const registry = this.#options.registry;
    const waiting = new Set(
      slots.filter((s) => {
        const tm = this.#tmOf[s];
        return tm !== undefined && registry.get(tm.id) === tm;
      }),
    );
    if (waiting.size === 0) return;
    this.#waiting = waiting;
    const confirmed = new Promise<void>((resolve) => {
      this.#waitingDone = resolve;
    });
    for (const slot of waiting) this.send(slot, { type: "cancel" });
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CANCEL_GRACE_MS);
    });
    await Promise.race([confirmed, grace]);
    clearTimeout(timer);
    this.#waiting = undefined;
  }

  #settled(slot: number): void {
    const waiting = this.#waiting;
    if (waiting === undefined || !waiting.delete(slot)) return;
    if (waiting.size === 0) this.#waitingDone();
  }

  async cancel(): Promise<void> {
    if (!this.#live) return;
    for (const part of this.#parts.values())
      if (!part.placed && !part.released) this.#options.registry.abandon(part.id);
    await this.#cancelAndWait(Array.from({ length: this.#size }, (_, s) => s));
    this.#live = false;
    this.#release(0);
  }

  cancelled(slot: number): void {
    this.#settled(slot);
  }

  /**
   * Region failover: cancels `slots`, then has their TaskManagers stop the threads and gives their
   * registry slots back. Messages they send from now on are dropped.
   */
  async cancelSlots(slots: readonly number[]): Promise<void> {
    if (!this.#live) return;
    await this.#cancelAndWait(slots);
    const registry = this.#options.registry;
    const byPart = new Map<Part, number[]>();
    for (const slot of slots) {
      const part = this.#partOf[slot];
      if (part !== undefined) byPart.set(part, [...(byPart.get(part) ?? []), slot]);
    }
    for (const [part, partSlots] of byPart) {
      if (!part.placed) {
        // Still waiting for registry slots: that allocation is dropped with the part.
        registry.abandon(part.id);
        part.released = true;
        part.untrack();
        continue;
      }
      const byTaskManager = new Map<RegisteredTaskManager, number[]>();
      for (const slot of partSlots) {
        const tm = this.#tmOf[slot];
        if (tm === undefined) continue;
        byTaskManager.set(tm, [...(byTaskManager.get(tm) ?? []), slot]);
      }
      for (const [tm, tmSlots] of byTaskManager) {
        tm.send({ type: "release-slots", deploymentId: part.id, slots: tmSlots });
        registry.releaseSlots(part.id, tm, tmSlots.length);
      }
      if (part.slots.every((s) => slots.includes(s) || this.#partOf[s] !== part)) {
        part.released = true;
        part.untrack();
      }
    }
    for (const slot of slots) {
      const tm = this.#tmOf[slot];
      this.#previousTm[slot] = tm !== undefined && registry.get(tm.id) === tm ? tm : undefined;
      this.#partOf[slot] = undefined;
      this.#tmOf[slot] = undefined;
      this.#early.delete(slot);
      this.counters.delete(slot);
      this.#previous.delete(slot);
      this.#reportedAt.delete(slot);
    }
  }

  /** Region failover: deploys `slots` again as a new part, on the TaskManagers they ran on if they can. */
  startSlots(
    slots: readonly number[],
    deployment: DeploymentOf,
    restore: RestoreOf,
    restoring?: number,
  ): void {
    if (!this.#live) return;
    this.#launch(
      slots,
      deployment,
      restore,
      randomUUID(),
      slots.map((slot) => this.#previousTm[slot]),
      restoring,
    );
  }

  #release(graceMs: number): void {
    if (this.#released) return;
    this.#released = true;
    this.#unsubscribe();
    for (const part of this.#parts.values()) {
      if (part.released) continue;
      part.released = true;
      part.untrack();
      const taskManagers = new Set<RegisteredTaskManager>();
      for (let slot = 0; slot < this.#size; slot++) {
        const tm = this.#tmOf[slot];
        if (this.#partOf[slot] === part && tm !== undefined) taskManagers.add(tm);
      }
      for (const tm of taskManagers) tm.send({ type: "release", deploymentId: part.id, graceMs });
      this.#options.registry.release(part.id);
    }
  }
}
