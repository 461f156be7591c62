/**
 * Entry point of a slot's worker thread: takes the deployment from `workerData`, deploys the slot
 * and connects it to the coordinator through `parentPort`.
 * @module
 */

import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { MessagePortTransport } from "../exchange/message-port-transport.ts";
import type { Transport } from "../exchange/transport.ts";
import type { SlotDeployment, ToCoordinator, ToSlot } from "../rpc/messages.ts";
import { Slot } from "./slot.ts";

const { deployment, ports } = workerData as { deployment: SlotDeployment; ports: MessagePort[] };
const coordinator = parentPort!;
const slot = new Slot(
  deployment,
  (sink, onError) => {
    const transports = new Map<number, Transport>();
    for (const [peer, portIndex] of deployment.peerPorts)
      transports.set(peer, new MessagePortTransport(ports[portIndex]!, sink, onError));
    return transports;
  },
  (message: ToCoordinator) => coordinator.postMessage(message),
  () => coordinator.close(),
);
coordinator.on("message", (message: ToSlot) => slot.handle(message));
await slot.deploy();
