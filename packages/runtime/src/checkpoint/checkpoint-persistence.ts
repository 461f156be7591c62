/**
 * Turns a completed checkpoint into the objects a {@link CheckpointStore} keeps, and back. One
 * object per task (its operators' snapshots) plus one for the split enumerators, each encoded with
 * the exchange's versioned binary codec (so state values keep their types: bigints, Maps, Dates);
 * the manifest names the checkpoint. A read-back checkpoint equals the one written. Keyed state
 * that workers wrote to blob storage travels as handles; their blob keys are the checkpoint's
 * shared blobs, which retention reference-counts.
 * @module
 */

import { decodeBatch, encodeBatch } from "../codec/batch-codec.ts";
import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import type { ChannelStateEntry, TaskChannelState } from "../exchange/channel-state.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import { blobKeysOf } from "../state/keyed-state-handle.ts";
import type { CheckpointToWrite, RestorableCheckpoint } from "./storage/checkpoint-store.ts";

const ENUMERATORS = "enumerators";
const taskObject = (task: string) => `task-${task.replace("/", "-")}`;
/** A task's in-flight data of an unaligned checkpoint (its `ChannelStateEntry` list). */
const channelObject = (task: string) => `channels-${task.replace("/", "-")}`;

/** The name of the object holding a task's operator snapshots (for per-task sizes). */
export const taskObjectName = taskObject;
/** The name of the object holding a task's channel state. */
export const channelObjectName = channelObject;

interface Manifest {
  readonly version: 1;
  readonly checkpointId: number;
  readonly triggeredAt: number;
  readonly durationMs: number;
  readonly tasks: readonly string[];
  /** Tasks with channel state (unaligned checkpoints); absent in aligned ones. */
  readonly channelTasks?: readonly string[];
}

function encodeValue(value: unknown): Uint8Array {
  return encodeBatch([value], 1, null);
}

function decodeValue(bytes: Uint8Array | undefined, where: string): unknown {
  if (bytes === undefined) throw new Error(`checkpoint object "${where}" is missing`);
  return decodeBatch(bytes).records[0];
}

export function checkpointToObjects(checkpoint: CompletedCheckpoint): CheckpointToWrite {
  const objects = new Map<string, Uint8Array>();
  const sharedBlobs = new Set<string>();
  for (const [task, snapshots] of checkpoint.tasks) {
    objects.set(taskObject(task), encodeValue(snapshots));
    for (const snapshot of snapshots)
      for (const handle of snapshot.keyedHandles ?? [])
        for (const key of blobKeysOf(handle)) sharedBlobs.add(key);
  }
  objects.set(ENUMERATORS, encodeValue([...checkpoint.enumerators]));
  const channelTasks = [...(checkpoint.channelState ?? new Map<string, TaskChannelState>()).keys()];
  for (const [task, state] of checkpoint.channelState ?? [])
    objects.set(channelObject(task), encodeValue(state.entries));
  const manifest: Manifest = {
    version: 1,
    checkpointId: checkpoint.checkpointId,
    triggeredAt: checkpoint.triggeredAt,
    durationMs: checkpoint.durationMs,
    tasks: [...checkpoint.tasks.keys()],
    ...(channelTasks.length > 0 ? { channelTasks } : {}),
  };
  return {
    objects,
    manifest: new TextEncoder().encode(JSON.stringify(manifest)),
    ...(sharedBlobs.size > 0 ? { sharedBlobs: [...sharedBlobs] } : {}),
  };
}

export function checkpointFromObjects(stored: RestorableCheckpoint): CompletedCheckpoint {
  const manifest = JSON.parse(new TextDecoder().decode(stored.manifest)) as Manifest;
  if (manifest.version !== 1) {
    throw new Error(
      `checkpoint ${stored.checkpointId}: unsupported manifest version ${String(manifest.version)}`,
    );
  }
  const tasks = new Map<string, OperatorSnapshot[]>();
  for (const task of manifest.tasks) {
    tasks.set(
      task,
      decodeValue(stored.objects.get(taskObject(task)), taskObject(task)) as OperatorSnapshot[],
    );
  }
  const enumerators = new Map(
    decodeValue(stored.objects.get(ENUMERATORS), ENUMERATORS) as [number, unknown][],
  );
  const channelState = new Map<string, TaskChannelState>();
  for (const task of manifest.channelTasks ?? []) {
    const entries = decodeValue(stored.objects.get(channelObject(task)), channelObject(task));
    if (!Array.isArray(entries))
      throw new Error(
        `checkpoint ${stored.checkpointId}: object "${channelObject(task)}" is not a list of channels`,
      );
    channelState.set(task, { entries: entries as ChannelStateEntry[] });
  }
  return {
    checkpointId: manifest.checkpointId,
    triggeredAt: manifest.triggeredAt,
    durationMs: manifest.durationMs,
    tasks,
    enumerators,
    // Figures describe the run that took the checkpoint; they are not restored.
    taskStats: new Map(),
    channelState,
  };
}
