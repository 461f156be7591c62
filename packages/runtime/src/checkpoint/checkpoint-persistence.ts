/**
 * Turns a completed checkpoint into the objects a {@link CheckpointStore} keeps, and back. One
 * object per task (its operators' snapshots) plus one for the split enumerators, each encoded with
 * the exchange's versioned binary codec (so state values keep their types: bigints, Maps, Dates);
 * the manifest names the checkpoint. A read-back checkpoint equals the one written.
 * @module
 */

import { decodeBatch, encodeBatch } from "../codec/batch-codec.ts";
import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { CheckpointToWrite, RestorableCheckpoint } from "./storage/checkpoint-store.ts";

const ENUMERATORS = "enumerators";
const taskObject = (task: string) => `task-${task.replace("/", "-")}`;

interface Manifest {
  readonly version: 1;
  readonly checkpointId: number;
  readonly triggeredAt: number;
  readonly durationMs: number;
  readonly tasks: readonly string[];
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
  for (const [task, snapshots] of checkpoint.tasks) objects.set(taskObject(task), encodeValue(snapshots));
  objects.set(ENUMERATORS, encodeValue([...checkpoint.enumerators]));
  const manifest: Manifest = {
    version: 1,
    checkpointId: checkpoint.checkpointId,
    triggeredAt: checkpoint.triggeredAt,
    durationMs: checkpoint.durationMs,
    tasks: [...checkpoint.tasks.keys()],
  };
  return { objects, manifest: new TextEncoder().encode(JSON.stringify(manifest)) };
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
  return {
    checkpointId: manifest.checkpointId,
    triggeredAt: manifest.triggeredAt,
    durationMs: manifest.durationMs,
    tasks,
    enumerators,
    // Figures describe the run that took the checkpoint; they are not restored.
    taskStats: new Map(),
  };
}
