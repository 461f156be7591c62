/**
 * How a task with network inputs takes part in checkpoints: aligned barriers (Chandy-Lamport, as
 * before), unaligned barriers (FLIP-76), and aligned barriers that time out into unaligned ones
 * (Flink's `aligned-checkpoint-timeout`). The task owns the snapshot itself; this class decides
 * when to take it and what in-flight data goes with it.
 *
 * Aligned: a channel that delivered barrier n is blocked; once every open channel delivered it the
 * task checkpoints (snapshot, barrier on, ack) and unblocks them.
 *
 * Unaligned, on the first barrier of checkpoint n that may overtake (or when alignment of n passes
 * its deadline): the task snapshots at once, the barrier goes downstream at once ahead of batches
 * waiting for credit, and the gates record each channel's in-flight data until its barrier
 * arrives; input processing goes on meanwhile. The task acknowledges with the operator snapshots
 * plus that channel state once every channel delivered barrier n or ended.
 *
 * Invariants: a task takes part in a checkpoint at most once (`#last` only grows); a newer barrier
 * supersedes an unfinished older checkpoint (that one expires at the coordinator); while a
 * restored task still replays in-flight data, an unaligned start waits until replay is done,
 * because data not yet replayed would otherwise be in neither the snapshot nor the channel state.
 * @module
 */

import { performance } from "node:perf_hooks";
import {
  alignmentDeadline,
  type BarrierEvent,
  type BarrierOptions,
  barrier,
} from "../exchange/channel-event.ts";
import {
  type ChannelStateEntry,
  channelStateSize,
  type TaskChannelState,
} from "../exchange/channel-state.ts";
import type { InputGate } from "../exchange/input-gate.ts";
import type { RecordWriter } from "../exchange/record-writer.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { TaskCheckpointStats } from "../rpc/messages.ts";

/** What the handler needs from its task. */
export interface BarrierHandlerHost {
  /** Runs `mail` between records (the task's mailbox). */
  post(mail: () => void): void;
  /** Pauses input until `promise` settles. */
  blockOn(promise: Promise<unknown>): void;
  /** The task's aligned checkpoint: prepare, snapshot, barrier `options` downstream, acknowledge. */
  checkpointAligned(checkpointId: number, alignmentMs: number, options: BarrierOptions): Promise<void>;
  /** Prepare and snapshot the operators; `undefined` when the task stopped meanwhile. */
  snapshotOperators(checkpointId: number): Promise<OperatorSnapshot[] | undefined>;
  /** The unaligned snapshot was taken: output sent so far belongs to the checkpoint. */
  snapshotTaken(checkpointId: number): void;
  /** Acknowledge an unaligned checkpoint to the coordinator. */
  acknowledge(
    checkpointId: number,
    snapshots: OperatorSnapshot[],
    stats: TaskCheckpointStats,
    channelState: TaskChannelState,
  ): void;
  /** Whether restored in-flight data is still being replayed. */
  replaying(): boolean;
}

interface Aligning {
  readonly checkpointId: number;
  readonly options: BarrierOptions;
  arrived: number;
  readonly startedAt: number;
}

interface Recording {
  readonly checkpointId: number;
  readonly snapshots: OperatorSnapshot[];
  readonly entries: ChannelStateEntry[];
  readonly alignmentMs: number;
  readonly snapshotMs: number;
  readonly startedAt: number;
}

export class BarrierHandler {
  readonly #gates: readonly InputGate[];
  readonly #writers: readonly RecordWriter[];
  readonly #host: BarrierHandlerHost;
  #aligning: Aligning | undefined;
  #recording: Recording | undefined;
  /** The newest checkpoint this task took part in (or started to). */
  #last = 0;
  #timer: { readonly checkpointId: number; readonly handle: NodeJS.Timeout } | undefined;
  /** When the first barrier of the newest checkpoint not yet taken arrived (queued or polled). */
  #firstSeen: { readonly checkpointId: number; readonly at: number } | undefined;
  /** An unaligned start that waits for replay to finish. */
  #deferred: (() => void) | undefined;

  constructor(gates: readonly InputGate[], writers: readonly RecordWriter[], host: BarrierHandlerHost) {
    this.#gates = gates;
    this.#writers = writers;
    this.#host = host;
    for (const gate of gates) {
      gate.setListener({
        barrierArrived: (_gate, _channel, event) => host.post(() => this.#onAnnounced(event)),
        recordingDone: () => host.post(() => this.#acknowledgeIfRecorded()),
      });
    }
  }

  /** Source tasks: checkpoint `checkpointId` now (no inputs to align). */
  trigger(checkpointId: number, options: BarrierOptions): void {
    if (checkpointId <= this.#last) return;
    this.#last = checkpointId;
    if (options.unaligned === true) this.#host.blockOn(this.#checkpointUnaligned(checkpointId, options, 0));
    else this.#host.blockOn(this.#host.checkpointAligned(checkpointId, 0, options));
  }

  /** A barrier reached the head of its channel's queue (`channel` is its index in `gate`). */
  onBarrier(gate: InputGate, channel: number, event: BarrierEvent): void {
    const checkpointId = event.checkpointId;
    if (checkpointId <= this.#last) return;
    if (event.unaligned === true || alignmentDeadline(event) <= Date.now()) {
      this.#startUnaligned(event);
      return;
    }
    this.#abandonRecording();
    const aligning = this.#aligning;
    if (aligning === undefined || checkpointId > aligning.checkpointId) {
      // A newer barrier supersedes an unfinished alignment (its checkpoint will expire).
      if (aligning !== undefined) for (const g of this.#gates) g.unblockAll();
      this.#aligning = { checkpointId, options: optionsOf(event), arrived: 0, startedAt: performance.now() };
    } else if (checkpointId < aligning.checkpointId) {
      return;
    }
    gate.block(channel);
    this.#aligning!.arrived++;
    this.completeAlignmentIfReady();
  }

  /** A channel ended: an alignment may now be complete. */
  completeAlignmentIfReady(): void {
    const aligning = this.#aligning;
    if (aligning === undefined) return;
    let open = 0;
    for (const gate of this.#gates) open += gate.openChannels;
    if (aligning.arrived < open) return;
    this.#aligning = undefined;
    this.#last = aligning.checkpointId;
    this.#clearTimer();
    this.#host.blockOn(
      this.#host
        .checkpointAligned(aligning.checkpointId, performance.now() - aligning.startedAt, aligning.options)
        .finally(() => {
          for (const gate of this.#gates) gate.unblockAll();
        }),
    );
  }

  /** Replay of restored in-flight data finished: run an unaligned start that waited for it. */
  replayFinished(): void {
    const deferred = this.#deferred;
    this.#deferred = undefined;
    deferred?.();
  }

  /** The task ends: no timer may fire into it. */
  dispose(): void {
    this.#clearTimer();
    this.#abandonRecording();
  }

  /** A newer checkpoint supersedes one still recording in-flight data (that one expires). */
  #abandonRecording(): void {
    if (this.#recording === undefined) return;
    this.#recording = undefined;
    for (const gate of this.#gates) gate.abortUnaligned();
  }

  /** A barrier that may overtake arrived at a gate (still queued there). */
  #onAnnounced(event: BarrierEvent): void {
    const checkpointId = event.checkpointId;
    if (checkpointId <= this.#last) return;
    if (this.#firstSeen === undefined || this.#firstSeen.checkpointId < checkpointId)
      this.#firstSeen = { checkpointId, at: performance.now() };
    const wait = alignmentDeadline(event) - Date.now();
    if (wait <= 0) {
      this.#startUnaligned(event);
      return;
    }
    if (this.#timer?.checkpointId === checkpointId) return;
    this.#clearTimer();
    const handle = setTimeout(() => {
      this.#timer = undefined;
      this.#host.post(() => this.#onAnnounced(event));
    }, wait);
    this.#timer = { checkpointId, handle };
  }

  #startUnaligned(event: BarrierEvent): void {
    if (this.#host.replaying()) {
      this.#deferred = () => {
        if (event.checkpointId > this.#last) this.#startUnaligned(event);
      };
      return;
    }
    const checkpointId = event.checkpointId;
    this.#abandonRecording();
    const aligning = this.#aligning;
    // Time spent aligned before switching (0 for a checkpoint unaligned from the start).
    let alignmentMs = 0;
    if (event.unaligned !== true && this.#firstSeen?.checkpointId === checkpointId)
      alignmentMs = performance.now() - this.#firstSeen.at;
    if (aligning !== undefined) {
      if (aligning.checkpointId === checkpointId)
        alignmentMs = Math.max(alignmentMs, performance.now() - aligning.startedAt);
      // Blocked channels of an older alignment did not deliver this barrier: read them again.
      else for (const gate of this.#gates) gate.unblockAll();
    }
    this.#aligning = undefined;
    this.#last = checkpointId;
    this.#clearTimer();
    this.#host.blockOn(this.#checkpointUnaligned(checkpointId, optionsOf(event), alignmentMs));
  }

  async #checkpointUnaligned(
    checkpointId: number,
    options: BarrierOptions,
    alignmentMs: number,
  ): Promise<void> {
    const startedAt = performance.now();
    const snapshots = await this.#host.snapshotOperators(checkpointId);
    if (snapshots === undefined || checkpointId !== this.#last) return;
    this.#host.snapshotTaken(checkpointId);
    const entries: ChannelStateEntry[] = [];
    for (const gate of this.#gates)
      for (const entry of gate.startUnaligned(checkpointId)) entries.push(entry);
    const event = barrier(checkpointId, { ...options, unaligned: true });
    for (const writer of this.#writers)
      for (const entry of writer.sendPriorityBarrier(event)) entries.push(entry);
    this.#recording = {
      checkpointId,
      snapshots,
      entries,
      alignmentMs,
      snapshotMs: performance.now() - startedAt,
      startedAt,
    };
    this.#acknowledgeIfRecorded();
  }

  #acknowledgeIfRecorded(): void {
    const recording = this.#recording;
    if (recording === undefined) return;
    for (const gate of this.#gates) if (gate.recordingChannels > 0) return;
    this.#recording = undefined;
    const state: TaskChannelState = { entries: recording.entries };
    const size = channelStateSize(state);
    this.#host.acknowledge(
      recording.checkpointId,
      recording.snapshots,
      {
        alignmentMs: recording.alignmentMs,
        snapshotMs: recording.snapshotMs,
        unaligned: true,
        inFlightBytes: size.bytes,
        inFlightRecords: size.records,
        channelStateMs: performance.now() - recording.startedAt,
      },
      state,
    );
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer.handle);
    this.#timer = undefined;
  }
}

/** The options a barrier carries on to the next task. */
function optionsOf(event: BarrierEvent): BarrierOptions {
  return {
    ...(event.unaligned !== undefined ? { unaligned: event.unaligned } : {}),
    ...(event.alignedTimeoutMs !== undefined ? { alignedTimeoutMs: event.alignedTimeoutMs } : {}),
    ...(event.triggeredAt !== undefined ? { triggeredAt: event.triggeredAt } : {}),
    ...(event.suspend === true ? { suspend: true } : {}),
  };
}
