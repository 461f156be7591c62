import assert from "node:assert/strict";
import { test } from "node:test";
import type { ToTaskManager } from "./cluster-messages.ts";
import { type RegisteredTaskManager, TaskManagerRegistry } from "./task-manager-registry.ts";

function taskManager(id: string, slots: number, disconnected: string[] = []): RegisteredTaskManager {
  return {
    id,
    slots,
    dataHost: "127.0.0.1",
    hostname: "h",
    pid: 1,
    registeredAt: Date.now(),
    remoteAddress: "127.0.0.1",
    lastHeartbeat: Date.now(),
    taken: new Map(),
    send: (_: ToTaskManager) => {},
    disconnect: (reason) => disconnected.push(`${id}: ${reason}`),
  };
}

test("slots are spread over the taskmanagers with the most free slots", async () => {
  const registry = new TaskManagerRegistry(60_000);
  const a = taskManager("a", 2);
  const b = taskManager("b", 2);
  registry.register(a);
  registry.register(b);
  const placement = await registry.allocate("d1", 3, 1000);
  assert.deepEqual(
    placement.map((tm) => tm.id),
    ["a", "b", "a"],
  );
  assert.equal(registry.availableSlots, 1);
  registry.release("d1");
  assert.equal(registry.availableSlots, 4);
  registry.close();
});

test("a request for more slots than free waits for a registration, or fails after its timeout", async () => {
  const registry = new TaskManagerRegistry(60_000);
  registry.register(taskManager("a", 1));
  const waiting = registry.allocate("d1", 2, 5_000);
  registry.register(taskManager("b", 1));
  assert.deepEqual((await waiting).map((tm) => tm.id).sort(), ["a", "b"]);
  await assert.rejects(
    registry.allocate("d2", 1, 20),
    /could not get 1 slots within 20 ms: 0 of 2 free on 2 taskmanagers/,
  );
  registry.close();
});

test("a taskmanager without heartbeats is lost after the timeout; listeners hear it once", async () => {
  const registry = new TaskManagerRegistry(100);
  const disconnected: string[] = [];
  const lost: string[] = [];
  registry.subscribe({ lost: (tm, reason) => lost.push(`${tm.id}: ${reason}`) });
  const silent = taskManager("silent", 1, disconnected);
  const alive = taskManager("alive", 1, disconnected);
  registry.register(silent);
  registry.register(alive);
  const beat = setInterval(() => registry.heartbeat("alive"), 20);
  await new Promise((resolve) => setTimeout(resolve, 300));
  clearInterval(beat);
  assert.equal(lost.length, 1);
  assert.match(lost[0]!, /^silent: no heartbeat for \d+ ms \(timeout 100 ms\)$/);
  assert.equal(disconnected.length, 1);
  assert.deepEqual(
    registry.all.map((tm) => tm.id),
    ["alive"],
  );
  registry.close();
});
