/**
 * Which state each task of a job restores from a checkpoint or savepoint: snapshots are matched to
 * operators by operator id (the uid, or the position in the graph), so chaining and parallelism may
 * differ from the job that wrote them; each new subtask gets its share through
 * {@link redistributeOperatorState}.
 *
 * Invariant: state of an operator the new job does not have is never dropped silently — it is an
 * error unless the caller allows non-restored state (as Flink's `--allowNonRestoredState`).
 * @module
 */

import type { KeyValue } from "@weir/api";
import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import { keyGroupForKey, keyGroupRangeForOperator } from "../keys/key-hash.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import { redistributeOperatorState } from "./state-redistribution.ts";

/** Every operator's snapshots in the checkpoint, in old-subtask order. */
function snapshotsByOperator(checkpoint: CompletedCheckpoint): Map<string, OperatorSnapshot[]> {
  const entries = new Map<string, { subtask: number; snapshot: OperatorSnapshot }[]>();
  for (const [task, snapshots] of checkpoint.tasks) {
    const subtask = Number(task.slice(task.indexOf("/") + 1));
    for (const snapshot of snapshots) {
      const list = entries.get(snapshot.operatorId) ?? [];
      list.push({ subtask, snapshot });
      entries.set(snapshot.operatorId, list);
    }
  }
  return new Map(
    [...entries].map(([id, list]) => [id, list.sort((a, b) => a.subtask - b.subtask).map((e) => e.snapshot)]),
  );
}

/** Throws when the checkpoint holds state for operators the job no longer has (unless allowed). */
export function checkNonRestoredState(
  checkpoint: CompletedCheckpoint,
  graph: JobGraph,
  allow: boolean,
): void {
  const present = new Set(graph.vertices.flatMap((v) => v.operators.map((op) => op.operatorId)));
  const missing = [...snapshotsByOperator(checkpoint)]
    .filter(([id, snapshots]) => !present.has(id) && snapshots.some(hasState))
    .map(([id]) => id);
  if (missing.length === 0 || allow) return;
  throw new Error(
    `checkpoint ${checkpoint.checkpointId} has state for operators this job does not have: ${missing.map((m) => `"${m}"`).join(", ")}. ` +
      "Give operators stable ids with withUid(), or allow non-restored state to drop it.",
  );
}

function hasState(snapshot: OperatorSnapshot): boolean {
  return (
    Object.values(snapshot.keyed).some((entries) => entries.length > 0) ||
    (snapshot.keyedHandles?.length ?? 0) > 0 ||
    Object.values(snapshot.operator).some((part) => part.value !== undefined) ||
    (snapshot.timers?.length ?? 0) > 0 ||
    (snapshot.eventTimers?.length ?? 0) > 0 ||
    (Array.isArray(snapshot.extra) ? snapshot.extra.length > 0 : snapshot.extra !== undefined)
  );
}

/** The snapshots slot `slot` restores, by vertex (the slot runs subtask `slot` of each vertex). */
export function restoreForSlot(
  checkpoint: CompletedCheckpoint,
  graph: JobGraph,
  slot: number,
): [number, OperatorSnapshot[]][] {
  const byOperator = snapshotsByOperator(checkpoint);
  const restore: [number, OperatorSnapshot[]][] = [];
  for (const vertex of graph.vertices) {
    if (slot >= vertex.parallelism) continue;
    const snapshots: OperatorSnapshot[] = [];
    const { start, end } = keyGroupRangeForOperator(vertex.maxParallelism, vertex.parallelism, slot);
    const owned = ([key]: readonly [unknown, unknown]) => {
      const group = keyGroupForKey(key as KeyValue, vertex.maxParallelism);
      return group >= start && group <= end;
    };
    for (const op of vertex.operators) {
      const old = byOperator.get(op.operatorId);
      if (old === undefined) continue;
      const state = redistributeOperatorState(old, vertex.parallelism, slot, op.node.name);
      // Send each slot only its own key groups (the operator would drop the rest anyway).
      const keyed = Object.fromEntries(
        Object.entries(state.keyed).map(([name, entries]) => [name, entries.filter(owned)]),
      );
      // Handles whose key groups do not meet this slot's range hold nothing for it.
      const keyedHandles = state.keyedHandles?.filter(
        (handle) => handle.keyGroups.start <= end && handle.keyGroups.end >= start,
      );
      snapshots.push({
        ...state,
        keyed,
        ...(keyedHandles !== undefined ? { keyedHandles } : {}),
        ...(state.timers !== undefined
          ? { timers: state.timers.filter(([, key]) => owned([key, undefined])) }
          : {}),
        ...(state.eventTimers !== undefined
          ? { eventTimers: state.eventTimers.filter(([, key]) => owned([key, undefined])) }
          : {}),
      });
    }
    if (snapshots.length > 0) restore.push([vertex.id, snapshots]);
  }
  return restore;
}
