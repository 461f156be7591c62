/**
 * The figures of a completed checkpoint as the run reports them (REST, metrics, `onCheckpoint`,
 * the log): its duration, its two sizes, the longest alignment, and each task's part.
 *
 * Invariant: sizes come from what was actually written ({@link CheckpointSize}, measured when the
 * checkpoint was persisted); a checkpoint kept in memory reports 0 bytes rather than a guess.
 * `sizeBytes <= fullSizeBytes`, and the log line names the full size only when it differs.
 * @module
 */

import type { CheckpointSize } from "../checkpoint/checkpoint-size.ts";
import type { CheckpointStats, CompletedCheckpoint } from "./checkpoint-coordinator.ts";

/** Figures of `checkpoint`, measured now; `size` is undefined when it was not stored. */
export function checkpointStats(
  checkpoint: CompletedCheckpoint,
  size: CheckpointSize | undefined,
): CheckpointStats {
  const tasks = [...checkpoint.taskStats].map(([task, stats]) => ({
    task,
    acknowledgedAfterMs: checkpoint.acknowledgedAfterMs?.get(task) ?? 0,
    stateBytes: size?.tasks.get(task)?.fullBytes ?? 0,
    checkpointedBytes: size?.tasks.get(task)?.checkpointedBytes ?? 0,
    ...stats,
  }));
  return {
    checkpointId: checkpoint.checkpointId,
    durationMs: Date.now() - checkpoint.triggeredAt,
    sizeBytes: size?.checkpointedBytes ?? 0,
    fullSizeBytes: size?.fullBytes ?? 0,
    maxAlignmentMs: Math.max(0, ...tasks.map((t) => t.alignmentMs)),
    unaligned: tasks.some((t) => t.unaligned === true),
    inFlightBytes: tasks.reduce((sum, t) => sum + (t.inFlightBytes ?? 0), 0),
    tasks,
  };
}

/** The log line of a completed checkpoint. */
export function checkpointStatsLine(stats: CheckpointStats): string {
  return (
    `checkpoint ${stats.checkpointId} completed in ${stats.durationMs} ms (${stats.sizeBytes} bytes` +
    (stats.fullSizeBytes > stats.sizeBytes ? ` added, ${stats.fullSizeBytes} in full, ` : ", ") +
    `longest alignment ${stats.maxAlignmentMs.toFixed(1)} ms` +
    (stats.unaligned ? `, unaligned, ${stats.inFlightBytes} bytes in flight)` : ")")
  );
}
