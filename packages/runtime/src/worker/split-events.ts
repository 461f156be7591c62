/**
 * Split-enumerator events (split assignments, no-more-splits) at a source task, held back while a
 * checkpoint is between its trigger and its snapshot. Mails keep running while operators prepare
 * (an async pre-commit), and a split the enumerator assigned after snapshotting its own state (so
 * it is not in the enumerator's part of the checkpoint) must not be in the reader's part either,
 * or a restore reads it twice.
 *
 * Invariant: held events apply in arrival order, before any later mail, so a no-more-splits never
 * overtakes a split. Sequence: trigger 1, enumerator state of 1 (s7 unassigned), the task prepares
 * awaiting a sink's pre-commit, add-splits(s7) arrives and is held, snapshot (without s7), then s7
 * is added.
 * @module
 */

export class SplitEvents {
  /** Checkpoints between trigger and snapshot. */
  #snapshotsInProgress = 0;
  readonly #held: (() => void)[] = [];

  /** Applies `event` now, or once no snapshot is in progress. */
  apply(event: () => void): void {
    if (this.#snapshotsInProgress > 0) this.#held.push(event);
    else event();
  }

  snapshotStarted(): void {
    this.#snapshotsInProgress++;
  }

  /** A snapshot ended: returns the events to apply now, in arrival order (empty if others are in progress). */
  snapshotEnded(): (() => void)[] {
    if (--this.#snapshotsInProgress > 0) return [];
    return this.#held.splice(0);
  }
}
