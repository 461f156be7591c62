/**
 * The control-plane messages between the JobManager and TaskManagers, and between a TaskManager
 * and its slot threads. A deployment is one attempt of one job; every slot message names it, so a
 * late message from a cancelled attempt can never reach the next one.
 *
 * Lifecycle of a deployment, seen from one TaskManager:
 *   JM: deploy(d, slots 0 and 2) -> TM starts a thread per slot; each thread with peers on other
 *   TaskManagers listens for them -> TM: data-port(d, slot, port) ... ready(...) via slot-message
 *   -> JM: peers(d, slot, addresses) -> the lower-numbered slot of each remote pair connects ->
 *   JM: to-slot(start) ... -> JM: release(d) (after cancel or shutdown) -> threads stopped.
 * @module
 */

import type { StateBlobReads } from "../checkpoint/storage/local-blob-cache.ts";
import type { SlotDeployment, ToCoordinator, ToSlot } from "../rpc/messages.ts";
import type { TaskCounters } from "../worker/slot.ts";
import type { ClusterTls } from "./cluster-tls.ts";

export type SlotPlan = Omit<SlotDeployment, "peerPorts">;

export interface PeerAddress {
  readonly slot: number;
  readonly host: string;
  readonly port: number;
}

/** An uploaded job module travels with its deployment, so TaskManagers need no shared disk. */
export interface ShippedModule {
  readonly artifactId: string;
  readonly source: string;
}

export type ToTaskManager =
  | {
      readonly type: "registered";
      readonly heartbeatIntervalMs: number;
      /** A TaskManager that hears nothing from the JobManager this long drops the connection. */
      readonly heartbeatTimeoutMs: number;
      readonly metricsIntervalMs: number;
    }
  /** The JobManager's answer to a heartbeat: it is still there. */
  | { readonly type: "heartbeat" }
  | { readonly type: "refused"; readonly reason: string }
  | {
      readonly type: "deploy";
      readonly deploymentId: string;
      /** Shared secret of the attempt's data connections: a peer must present it. */
      readonly dataToken: string;
      /** The slots this TaskManager runs. */
      readonly slots: readonly SlotPlan[];
      /** Every slot of the attempt that runs on this TaskManager (for in-process channels). */
      readonly localSlots: readonly number[];
      readonly totalSlots: number;
      readonly module: ShippedModule | undefined;
      /**
       * Per slot of this TaskManager: the slots on other TaskManagers it exchanges data with (its
       * failover unit). Absent: every slot not on this TaskManager.
       */
      readonly remotePeers?: readonly (readonly [number, readonly number[]])[];
      /** Task-local recovery is on for this job: keep a local copy of every snapshot acknowledged. */
      readonly localRecovery?: { readonly jobId: string };
      /**
       * Slots to restore from this TaskManager's local copies of checkpoint `checkpointId` (their
       * plans carry no state): each with the vertices it runs. A slot whose copy is missing or
       * corrupt reports `local-restore` not ok and waits for `restore-state`.
       */
      readonly localRestore?: {
        readonly checkpointId: number;
        readonly slots: readonly (readonly [number, readonly number[]])[];
      };
    }
  /** The state of a slot whose local restore failed: start it with this. */
  | {
      readonly type: "restore-state";
      readonly deploymentId: string;
      readonly slot: number;
      readonly restore: SlotDeployment["restore"];
    }
  /** The job ended: its local state copies can go. */
  | { readonly type: "discard-local-state"; readonly jobId: string }
  | {
      readonly type: "peers";
      readonly deploymentId: string;
      readonly slot: number;
      /** Remote peers this slot connects to (those with a higher slot number). */
      readonly connectTo: readonly PeerAddress[];
    }
  | {
      readonly type: "to-slot";
      readonly deploymentId: string;
      readonly slot: number;
      readonly message: ToSlot;
    }
  /** Region failover: stop these slots' threads now (cancelled already); the rest keep running. */
  | { readonly type: "release-slots"; readonly deploymentId: string; readonly slots: readonly number[] }
  /** Stop the deployment's threads (after `graceMs`, if they do not end by themselves). */
  | { readonly type: "release"; readonly deploymentId: string; readonly graceMs: number };

export type ToJobManager =
  | {
      readonly type: "register";
      readonly taskManagerId: string;
      readonly slots: number;
      /** Where this TaskManager's slots accept data connections from other TaskManagers. */
      readonly dataHost: string;
      readonly secret: string | undefined;
      readonly hostname: string;
      readonly pid: number;
    }
  | { readonly type: "heartbeat" }
  | {
      readonly type: "slot-message";
      readonly deploymentId: string;
      readonly slot: number;
      readonly message: ToCoordinator;
    }
  | {
      readonly type: "data-port";
      readonly deploymentId: string;
      readonly slot: number;
      readonly port: number;
    }
  | {
      readonly type: "slot-crashed";
      readonly deploymentId: string;
      readonly slot: number;
      readonly reason: string;
    }
  /** How a local restore went (`reason` when it did not: the slot then waits for restore-state). */
  | {
      readonly type: "local-restore";
      readonly deploymentId: string;
      readonly slot: number;
      readonly ok: boolean;
      readonly reason?: string;
    }
  | {
      readonly type: "slot-metrics";
      readonly deploymentId: string;
      readonly slot: number;
      readonly counters: readonly TaskCounters[];
    }
  /** State blobs a slot read since its last report, from local copies or the checkpoint storage. */
  | {
      readonly type: "state-blob-reads";
      readonly deploymentId: string;
      readonly slot: number;
      readonly reads: StateBlobReads;
    };

/** Between a TaskManager's main thread and one slot thread. */
export type FromSlotThread =
  /** The thread loaded the runtime (native addons included): it may be terminated safely from now on. */
  | { readonly kind: "loaded" }
  | { readonly kind: "coordinator"; readonly message: ToCoordinator }
  | { readonly kind: "data-port"; readonly port: number }
  | { readonly kind: "metrics"; readonly counters: TaskCounters[] }
  /** Task-local recovery: state blobs read since the last report, and why local copies were not used. */
  | {
      readonly kind: "state-blob-reads";
      readonly reads: StateBlobReads;
      readonly problems: readonly string[];
    };

export type ToSlotThread =
  /** The first message a standby thread gets: what to run (its MessagePorts are transferred with it). */
  | { readonly kind: "deploy"; readonly data: SlotThreadData }
  | { readonly kind: "slot"; readonly message: ToSlot }
  | { readonly kind: "peers"; readonly connectTo: readonly PeerAddress[] };

/** What a slot thread gets in its deployment message. */
export interface SlotThreadData {
  readonly deployment: SlotDeployment;
  /** MessagePorts to slots of the same TaskManager, indexed by `deployment.peerPorts`. */
  readonly ports: unknown[];
  /** Peer slots on other TaskManagers. */
  readonly remotePeers: readonly number[];
  readonly dataToken: string;
  readonly dataHost: string;
  readonly metricsIntervalMs: number;
  /** Mutual TLS for data connections, when the TaskManager has it. */
  readonly tls: ClusterTls | undefined;
  /** Task-local recovery is on: state blobs are also kept in (and read from) this directory. */
  readonly localBlobDirectory?: string;
}
