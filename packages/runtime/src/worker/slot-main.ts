/**
 * Entry point of a slot's worker thread: takes the deployment from `workerData`, deploys the slot
 * and connects it to the coordinator through `parentPort`.
 * @module
 */

import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { SlotDeployment, ToCoordinator, ToSlot } from "../rpc/messages.ts";
import { Slot } from "./slot.ts";

const { deployment, ports } = workerData as { deployment: SlotDeployment; ports: MessagePort[] };
const coordinator = parentPort!;
const slot = new Slot(
  deployment,
  ports,
  (message: ToCoordinator) => coordinator.postMessage(message),
  () => coordinator.close(),
);
coordinator.on("message", (message: ToSlot) => slot.handle(message));
await slot.deploy();
