/**
 * Entry point of a slot thread on a TaskManager: the local slot (the same {@link Slot} the
 * mini-cluster runs) with MessagePort channels to slots of its own process and TCP channels to
 * slots of other TaskManagers. It listens for the lower-numbered remote peers and connects to the
 * higher-numbered ones once the JobManager sends their addresses, so each pair has one connection.
 * Counters are posted every `metricsIntervalMs`: metrics read them, tasks never report per record.
 *
 * A thread starts on standby, before any deployment: it loads the runtime, then waits for its
 * deployment message. So a restart pays only for loading the job module, not the whole runtime.
 *
 * With task-local recovery on, the slot's checkpoint storage is wrapped in a `LocalBlobCache`
 * (state blobs kept in the TaskManager's local state directory and read from there on a restore);
 * where each blob read came from is posted to the TaskManager as soon as the reads happened, so
 * the figures arrive even if the slot ends right after its restore.
 * @module
 */

import { connect, createServer, type Server, type Socket } from "node:net";
import { connect as connectTls, createServer as createTlsServer } from "node:tls";
import { type MessagePort, parentPort } from "node:worker_threads";
import { openBlobStore } from "../checkpoint/checkpoint-storage.ts";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import {
  addStateBlobReads,
  LocalBlobCache,
  NO_STATE_BLOB_READS,
  type StateBlobReads,
} from "../checkpoint/storage/local-blob-cache.ts";
import { MessagePortTransport } from "../exchange/message-port-transport.ts";
import { TcpTransport } from "../exchange/tcp-transport.ts";
import type { Transport } from "../exchange/transport.ts";
import type { ToCoordinator } from "../rpc/messages.ts";
import { Slot } from "../worker/slot.ts";
import type { FromSlotThread, SlotThreadData, ToSlotThread } from "./cluster-messages.ts";
import { tlsClientOptions, tlsServerOptions } from "./cluster-tls.ts";
import { readHello, writeHello } from "./data-handshake.ts";

const parent = parentPort!;
// Every import above is loaded (LMDB's native addon among them): terminating the thread is safe now.
parent.postMessage({ kind: "loaded" } satisfies FromSlotThread);
/** Messages that arrive after the deployment but before the slot exists, in order. */
const early: ToSlotThread[] = [];
let onMessage: ((message: ToSlotThread) => void) | undefined;
let deliver: (data: SlotThreadData) => void = () => {};
const deployed = new Promise<SlotThreadData>((resolve) => {
  deliver = resolve;
});
parent.on("message", (message: ToSlotThread) => {
  if (message.kind === "deploy") deliver(message.data);
  else if (onMessage === undefined) early.push(message);
  else onMessage(message);
});
const data = await deployed;
const ports = data.ports as MessagePort[];
const own = data.deployment.slot;
const post = (message: FromSlotThread) => parent.postMessage(message);

const remote = new Map<number, TcpTransport>();
const sockets = new Set<Socket>();
let failSlot: (error: unknown) => void = () => {};

const onConnection = (socket: Socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  readHello(socket, data.dataToken).then(
    ({ slot, leftover }) => {
      const transport = remote.get(slot);
      if (transport === undefined || slot > own) {
        socket.destroy();
        return;
      }
      transport.attach(socket, leftover);
    },
    () => {},
  );
};
const tls = data.tls;
// With TLS, the listener is called once the peer's certificate was verified.
const server: Server =
  tls === undefined ? createServer(onConnection) : createTlsServer(tlsServerOptions(tls), onConnection);

if (data.remotePeers.length > 0) {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, data.dataHost, () => resolve());
  });
  post({ kind: "data-port", port: (server.address() as { port: number }).port });
}

let blobReads: StateBlobReads = NO_STATE_BLOB_READS;
let blobProblems: string[] = [];
let blobReportPending = false;
/** Reports the reads of this turn of the event loop in one message. */
const reportBlobReads = () => {
  if (blobReportPending) return;
  blobReportPending = true;
  setImmediate(() => {
    blobReportPending = false;
    post({ kind: "state-blob-reads", reads: blobReads, problems: blobProblems });
    blobReads = NO_STATE_BLOB_READS;
    blobProblems = [];
  });
};
const localBlobDirectory = data.localBlobDirectory;
const openCheckpointBlobs =
  localBlobDirectory === undefined
    ? openBlobStore
    : (location: Parameters<typeof openBlobStore>[0]): BlobStore =>
        new LocalBlobCache({
          remote: openBlobStore(location),
          directory: localBlobDirectory,
          onRead: (source, bytes) => {
            blobReads = addStateBlobReads(
              blobReads,
              source === "local"
                ? { ...NO_STATE_BLOB_READS, local: 1, localBytes: bytes }
                : { ...NO_STATE_BLOB_READS, remote: 1, remoteBytes: bytes },
            );
            reportBlobReads();
          },
          log: (problem) => {
            blobProblems.push(problem);
            reportBlobReads();
          },
        });

let metricsTimer: NodeJS.Timeout | undefined;
const slot = new Slot(
  data.deployment,
  (sink, onError) => {
    failSlot = onError;
    const transports = new Map<number, Transport>();
    for (const [peer, portIndex] of data.deployment.peerPorts)
      transports.set(peer, new MessagePortTransport(ports[portIndex]!, sink, onError));
    for (const peer of data.remotePeers) {
      const transport = new TcpTransport(sink, onError);
      remote.set(peer, transport);
      transports.set(peer, transport);
    }
    return transports;
  },
  (message: ToCoordinator) => {
    // A finished task's final counts go out ahead of its end, while the attempt is still tracked.
    if (message.type === "task-finished") post({ kind: "metrics", counters: slot.taskCounters() });
    post({ kind: "coordinator", message });
  },
  () => {
    if (metricsTimer !== undefined) clearInterval(metricsTimer);
    server.close();
    parent.close();
  },
  openCheckpointBlobs,
);

onMessage = (message: ToSlotThread) => {
  if (message.kind === "slot") {
    slot.handle(message.message);
    return;
  }
  if (message.kind !== "peers") return;
  for (const peer of message.connectTo) {
    const socket: Socket =
      tls === undefined
        ? connect(peer.port, peer.host)
        : connectTls({ host: peer.host, port: peer.port, ...tlsClientOptions(tls) });
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    writeHello(socket, own, data.dataToken);
    const transport = remote.get(peer.slot);
    if (transport === undefined) failSlot(new Error(`no channel to slot ${peer.slot}`));
    else transport.attach(socket);
  }
};
for (const message of early.splice(0)) onMessage(message);

metricsTimer = setInterval(
  () => post({ kind: "metrics", counters: slot.taskCounters() }),
  data.metricsIntervalMs,
);
metricsTimer.unref();
await slot.deploy();
