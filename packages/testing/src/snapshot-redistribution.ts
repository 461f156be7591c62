/**
 * Snapshot handling of the harness's `restore`: deep copies (as serializing a checkpoint and
 * reading it back would give) and normalising one snapshot or a list of them. How snapshots are
 * redistributed over subtasks is the runtime's own `redistributeOperatorState`, so the harness
 * restores exactly as a job does.
 * @module
 */

import type { OperatorSnapshot } from "@weir/runtime/testing";

export { redistributeOperatorState as stateForSubtask } from "@weir/runtime/testing";

/** Deep copy of a snapshot: what serializing it for a checkpoint and reading it back would give. */
export function cloneState(snapshot: OperatorSnapshot, operatorName: string): OperatorSnapshot {
  try {
    return structuredClone(snapshot);
  } catch (error) {
    throw new Error(
      `${operatorName}: state is not plain data and cannot be snapshotted (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
}

/** The snapshot list a `restore` call receives, normalised. @internal */
export function snapshotList(
  snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
): readonly OperatorSnapshot[] {
  return Array.isArray(snapshot) ? (snapshot as readonly OperatorSnapshot[]) : [snapshot as OperatorSnapshot];
}
