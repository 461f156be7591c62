/**
 * Which checkpoint to restore: the pure decision core of recovery (D9). No I/O, no clock; the
 * {@link CheckpointStore} gathers the facts, asks here what to do next, and carries it out.
 *
 * Invariant: the checkpoint restored is the newest complete one whose metadata and every referenced
 * data object were read back intact; checkpoints are inspected newest first, none older than the
 * one restored is read, and every newer one that was passed over is reported with its problem.
 * @module
 */

/** One checkpoint as a listing shows it; `complete` means its `_metadata` exists (written last). */
export interface CheckpointListingEntry {
  readonly checkpointId: number;
  readonly complete: boolean;
}

/** What reading one data object (or the `_metadata`) found. */
export type ObjectFact =
  | { readonly kind: "missing" }
  | { readonly kind: "unreadable"; readonly problem: string }
  | { readonly kind: "read"; readonly length: number; readonly sha256: string };

/** What reading `_metadata` found: the objects it promises, or why it could not be used. */
export type MetadataFact =
  | { readonly kind: "unreadable"; readonly problem: string }
  | {
      readonly kind: "read";
      readonly checkpointId: number;
      readonly objects: readonly {
        readonly name: string;
        readonly length: number;
        readonly sha256: string;
      }[];
    };

export type CheckpointVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly problem: string };

export interface SkippedCheckpoint {
  readonly checkpointId: number;
  readonly problem: string;
}

export type RestoreStep =
  /** Read this checkpoint's metadata and objects, judge them, and ask again. */
  | { readonly kind: "inspect"; readonly checkpointId: number }
  | {
      readonly kind: "restore";
      readonly checkpointId: number;
      readonly skipped: readonly SkippedCheckpoint[];
    }
  /** Nothing restorable: start from empty state. */
  | { readonly kind: "fresh-start"; readonly skipped: readonly SkippedCheckpoint[] };

export const INCOMPLETE_PROBLEM = "incomplete: it has no _metadata, so its write never finished";

/**
 * The next step, given the listing and the verdicts so far. Called in a loop, it asks for the
 * newest complete checkpoint without a verdict until one is valid or none is left.
 * `skipped` lists, newest first, every checkpoint newer than the outcome: incomplete ones and the
 * ones judged invalid.
 */
export function nextRestoreStep(
  listing: readonly CheckpointListingEntry[],
  verdicts: ReadonlyMap<number, CheckpointVerdict>,
): RestoreStep {
  const newestFirst = [...listing].sort((a, b) => b.checkpointId - a.checkpointId);
  const skipped: SkippedCheckpoint[] = [];
  for (const { checkpointId, complete } of newestFirst) {
    if (!complete) {
      skipped.push({ checkpointId, problem: INCOMPLETE_PROBLEM });
      continue;
    }
    const verdict = verdicts.get(checkpointId);
    if (verdict === undefined) return { kind: "inspect", checkpointId };
    if (verdict.valid) return { kind: "restore", checkpointId, skipped };
    skipped.push({ checkpointId, problem: verdict.problem });
  }
  return { kind: "fresh-start", skipped };
}

/**
 * Judges one checkpoint from what was read: valid only if its metadata is for this checkpoint and
 * every object it lists was read with the promised length and checksum. A promised object without
 * a fact counts as unchecked, so a caller that forgot to read one can never get `valid`.
 */
export function judgeCheckpoint(
  checkpointId: number,
  metadata: MetadataFact,
  objects: ReadonlyMap<string, ObjectFact>,
): CheckpointVerdict {
  if (metadata.kind === "unreadable") return { valid: false, problem: metadata.problem };
  if (metadata.checkpointId !== checkpointId) {
    return {
      valid: false,
      problem: `its _metadata describes checkpoint ${metadata.checkpointId} (copied from another checkpoint?)`,
    };
  }
  const problems: string[] = [];
  for (const expected of metadata.objects) {
    const fact = objects.get(expected.name);
    const name = JSON.stringify(expected.name);
    if (fact === undefined) problems.push(`data object ${name} was not checked`);
    else if (fact.kind === "missing") problems.push(`data object ${name} is missing`);
    else if (fact.kind === "unreadable") problems.push(fact.problem);
    else if (fact.length !== expected.length || fact.sha256 !== expected.sha256) {
      problems.push(
        `data object ${name} is intact but not the one _metadata lists ` +
          `(${fact.length} bytes, sha256 ${fact.sha256}; expected ${expected.length} bytes, sha256 ${expected.sha256})`,
      );
    }
  }
  if (problems.length === 0) return { valid: true };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : "";
  return { valid: false, problem: `${problems[0]}${more}` };
}
