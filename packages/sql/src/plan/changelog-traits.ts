/**
 * Changelog traits of a physical node, as Flink's FlinkChangelogModeInferenceProgram infers them:
 * which row kinds the node emits, and the upsert key its updates are keyed by.
 *
 * Invariant: `updateBefore` is only set when the consumer needs retractions (decided top-down);
 * a node that emits updates without `updateBefore` emits upserts keyed by `upsertKey`.
 * Example: `SELECT k, COUNT(*) FROM t GROUP BY k` into a collect sink: `[I,UB,UA]`; into a sink
 * with primary key `k`: `[I,UA]` with upsert key `[0]`.
 * @module
 */

import type { ChangelogMode } from "../data/row.ts";

export interface ModifyKinds {
  readonly insert: boolean;
  readonly updateBefore: boolean;
  readonly updateAfter: boolean;
  readonly delete: boolean;
}

export const INSERT_ONLY_KINDS: ModifyKinds = Object.freeze({
  insert: true,
  updateBefore: false,
  updateAfter: false,
  delete: false,
});

export function isInsertOnly(kinds: ModifyKinds): boolean {
  return !kinds.updateBefore && !kinds.updateAfter && !kinds.delete;
}

/** `I,UB,UA,D` as Flink prints `changelogMode=[…]`. */
export function formatModifyKinds(kinds: ModifyKinds): string {
  const parts: string[] = [];
  if (kinds.insert) parts.push("I");
  if (kinds.updateBefore) parts.push("UB");
  if (kinds.updateAfter) parts.push("UA");
  if (kinds.delete) parts.push("D");
  return parts.join(",");
}

/** The runtime contract's mode for a stream with these kinds. */
export function toChangelogMode(kinds: ModifyKinds, upsertKey: readonly number[] | null): ChangelogMode {
  if (isInsertOnly(kinds)) return { kind: "insert-only" };
  if (kinds.updateBefore || upsertKey === null) return { kind: "retract" };
  return { kind: "upsert", upsertKey };
}

export function fromChangelogMode(mode: ChangelogMode): ModifyKinds {
  switch (mode.kind) {
    case "insert-only":
      return INSERT_ONLY_KINDS;
    case "retract":
      return { insert: true, updateBefore: true, updateAfter: true, delete: true };
    case "upsert":
      return { insert: true, updateBefore: false, updateAfter: true, delete: true };
  }
}
