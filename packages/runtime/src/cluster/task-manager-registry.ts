/**
 * The JobManager's view of its TaskManagers: who is registered, how many slots each offers and
 * which are taken, and who is still alive. A TaskManager is lost when its control connection
 * closes (a killed process is noticed at once) or when no heartbeat arrived for `timeoutMs` (a
 * hung process or a cut network); losing it fails every attempt that had a slot on it.
 *
 * Slots are handed out round-robin over the TaskManagers with the most free slots, so an attempt
 * spreads over machines instead of filling one (a lost machine then takes fewer of its slots).
 * A request for more free slots than exist waits until enough register or are freed, or fails
 * after its timeout.
 *
 * Example: TaskManagers a (2 free) and b (2 free), request 3 -> [a, b, a].
 * @module
 */

import type { ToTaskManager } from "./cluster-messages.ts";

export interface RegisteredTaskManager {
  readonly id: string;
  readonly slots: number;
  readonly dataHost: string;
  readonly hostname: string;
  readonly pid: number;
  readonly registeredAt: number;
  readonly remoteAddress: string;
  lastHeartbeat: number;
  /** Deployment id per taken slot. */
  readonly taken: Map<string, number>;
  send(message: ToTaskManager): void;
  /** Closes the control connection (the TaskManager reconnects and registers anew). */
  disconnect(reason: string): void;
}

export interface RegistryListener {
  lost(taskManager: RegisteredTaskManager, reason: string): void;
}

interface Waiter {
  readonly deploymentId: string;
  readonly count: number;
  readonly preferred: readonly (RegisteredTaskManager | undefined)[];
  readonly resolve: (placement: RegisteredTaskManager[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class TaskManagerRegistry {
  readonly #taskManagers = new Map<string, RegisteredTaskManager>();
  readonly #listeners = new Set<RegistryListener>();
  readonly #waiters: Waiter[] = [];
  readonly #timeoutMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(heartbeatTimeoutMs: number) {
    this.#timeoutMs = heartbeatTimeoutMs;
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(50, Math.floor(heartbeatTimeoutMs / 5)));
    this.#sweeper.unref();
  }

  get all(): readonly RegisteredTaskManager[] {
    return [...this.#taskManagers.values()];
  }

  get(id: string): RegisteredTaskManager | undefined {
    return this.#taskManagers.get(id);
  }

  subscribe(listener: RegistryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  freeSlots(taskManager: RegisteredTaskManager): number {
    let taken = 0;
    for (const n of taskManager.taken.values()) taken += n;
    return taskManager.slots - taken;
  }

  get totalSlots(): number {
    let n = 0;
    for (const tm of this.#taskManagers.values()) n += tm.slots;
    return n;
  }

  get availableSlots(): number {
    let n = 0;
    for (const tm of this.#taskManagers.values()) n += this.freeSlots(tm);
    return n;
  }

  register(taskManager: RegisteredTaskManager): void {
    const previous = this.#taskManagers.get(taskManager.id);
    if (previous !== undefined) this.lose(previous, "registered again (its previous connection is stale)");
    this.#taskManagers.set(taskManager.id, taskManager);
    this.#serveWaiters();
  }

  heartbeat(id: string): void {
    const tm = this.#taskManagers.get(id);
    if (tm !== undefined) tm.lastHeartbeat = Date.now();
  }

  /** Removes a TaskManager and tells every listener (attempts with slots on it fail). */
  lose(taskManager: RegisteredTaskManager, reason: string): void {
    if (this.#taskManagers.get(taskManager.id) !== taskManager) return;
    this.#taskManagers.delete(taskManager.id);
    taskManager.disconnect(reason);
    for (const listener of [...this.#listeners]) listener.lost(taskManager, reason);
  }

  /**
   * Takes `count` slots for a deployment: resolves with the TaskManager of each slot, in slot
   * order; waits up to `timeoutMs` for enough free slots. Slot `i` goes to `preferred[i]` when that
   * TaskManager is registered and has a free slot (a task returning where its local state is).
   */
  allocate(
    deploymentId: string,
    count: number,
    timeoutMs: number,
    preferred: readonly (RegisteredTaskManager | undefined)[] = [],
  ): Promise<RegisteredTaskManager[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(
          new Error(
            `could not get ${count} slots within ${timeoutMs} ms: ${this.availableSlots} of ${this.totalSlots} free ` +
              `on ${this.#taskManagers.size} taskmanagers`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      const waiter: Waiter = { deploymentId, count, preferred, resolve, reject, timer };
      this.#waiters.push(waiter);
      this.#serveWaiters();
    });
  }

  /** Cancels a pending allocation (its promise never settles). */
  abandon(deploymentId: string): void {
    const index = this.#waiters.findIndex((w) => w.deploymentId === deploymentId);
    if (index < 0) return;
    clearTimeout(this.#waiters[index]!.timer);
    this.#waiters.splice(index, 1);
  }

  /** Returns `count` of a deployment's slots on `taskManager` (a region restart stopped them). */
  releaseSlots(deploymentId: string, taskManager: RegisteredTaskManager, count: number): void {
    const taken = (taskManager.taken.get(deploymentId) ?? 0) - count;
    if (taken > 0) taskManager.taken.set(deploymentId, taken);
    else taskManager.taken.delete(deploymentId);
    this.#serveWaiters();
  }

  release(deploymentId: string): void {
    for (const tm of this.#taskManagers.values()) tm.taken.delete(deploymentId);
    this.#serveWaiters();
  }

  #serveWaiters(): void {
    while (this.#waiters.length > 0 && this.#waiters[0]!.count <= this.availableSlots) {
      const waiter = this.#waiters.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(this.#place(waiter.deploymentId, waiter.count, waiter.preferred));
    }
  }

  #place(
    deploymentId: string,
    count: number,
    preferred: readonly (RegisteredTaskManager | undefined)[],
  ): RegisteredTaskManager[] {
    const free = new Map([...this.#taskManagers.values()].map((tm) => [tm, this.freeSlots(tm)]));
    const placement: RegisteredTaskManager[] = [];
    for (let i = 0; i < count; i++) {
      const wanted = preferred[i];
      let best: RegisteredTaskManager | undefined =
        wanted !== undefined && (free.get(wanted) ?? 0) > 0 ? wanted : undefined;
      if (best === undefined)
        for (const [tm, n] of free) if (n > 0 && (best === undefined || n > free.get(best)!)) best = tm;
      free.set(best!, free.get(best!)! - 1);
      placement.push(best!);
      best!.taken.set(deploymentId, (best!.taken.get(deploymentId) ?? 0) + 1);
    }
    return placement;
  }

  #sweep(): void {
    const now = Date.now();
    for (const tm of [...this.#taskManagers.values()]) {
      if (now - tm.lastHeartbeat > this.#timeoutMs)
        this.lose(tm, `no heartbeat for ${now - tm.lastHeartbeat} ms (timeout ${this.#timeoutMs} ms)`);
    }
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("the jobmanager is shutting down"));
    }
  }
}
