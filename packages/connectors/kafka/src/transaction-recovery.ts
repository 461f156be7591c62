/**
 * Ending the transactions an earlier attempt of an exactly-once Kafka sink left open ("lingering"
 * transactions, which hold back the last stable offset and so every read_committed reader of their
 * partitions), at the same or at another parallelism — Flink's listing abort strategy
 * (`TransactionAbortStrategyImpl.LISTING`), adapted to Weir's sink interface.
 *
 * After a restore, an open transaction of the prefix is one of:
 * 1. pre-committed in the restored checkpoint: the restored committers commit it in their `open`;
 * 2. pre-committed at a later checkpoint that never completed, or
 * 3. never pre-committed (the attempt failed while writing into it): both must be aborted.
 * Flink tells 1 apart with the pre-committed ids it keeps in the writer's state. A Weir sink writer
 * has no state of its own, and the restored committables are dealt out round-robin, so the subtask
 * that owns an id may not hold its committable. The abort therefore waits until the first checkpoint
 * of the new attempt *completes*: by then every task has opened, so every transaction of kind 1 is
 * committed, and every open transaction of the prefix that the new attempt did not start is kind 2
 * or 3. Until then the orphans hold back read_committed readers, as the new attempt's own open
 * transactions do anyway.
 *
 * Ownership (as Flink): subtask `j` of parallelism `p` ends the orphans of every old subtask id `s`
 * with `s % p == j` — after a restore from 3 to 1, subtask 0 ends those of 0, 1 and 2 — except its
 * own transactions of this attempt (ids `<prefix>-j-n` with `n` ≥ the first number it used).
 *
 * Mechanism: until its recovery has run, a writer adds a {@link KafkaRecoveryMarker} to every
 * pre-commit; the committer of the same subtask runs the recovery when the checkpoint holding the
 * marker completes. A marker restored from a checkpoint names a writer that is gone (not in this
 * thread's live set) and is ignored.
 *
 * Worked sequence (3 → 1): old subtasks 0, 1, 2 left `t-1-7` and `t-2-9` open and `t-0-4`
 * pre-committed in checkpoint 12. The new attempt restores 12 at parallelism 1: its committer commits
 * `t-0-4` in `open`; writer 0 lists ids, continues at `t-0-5`; checkpoint 13 completes; its committer
 * commits `t-0-5`, then lists open transactions, owns `t-1-7` and `t-2-9` (1 % 1 = 2 % 1 = 0) and
 * aborts them: the last stable offset moves past them.
 * @module
 */

/** Added to a pre-commit until the writer's recovery ran; plain data (it goes into checkpoints). @public */
export interface KafkaRecoveryMarker {
  readonly recovery: {
    /** The writer instance (random): only a live one's marker triggers a recovery. */
    readonly writer: string;
    readonly subtask: number;
    readonly parallelism: number;
    /** The first transaction number this writer used (or will use): `<prefix>-<subtask>-<n>`. */
    readonly firstTransaction: number;
  };
}

/** A transactional id of the sink's scheme, split; `undefined` for ids of other prefixes or shapes. */
export function parseTransactionalId(
  prefix: string,
  transactionalId: string,
): { readonly subtask: number; readonly number: number } | undefined {
  if (!transactionalId.startsWith(`${prefix}-`)) return undefined;
  const match = /^(\d+)-(\d+)$/.exec(transactionalId.slice(prefix.length + 1));
  if (match === null) return undefined;
  return { subtask: Number(match[1]), number: Number(match[2]) };
}

/**
 * The open transactions (state `Ongoing`) that the writer of `marker` must abort, once a checkpoint
 * of its attempt has completed (see the module comment for why only then).
 */
export function orphanedTransactions(
  prefix: string,
  marker: KafkaRecoveryMarker,
  transactions: readonly { readonly transactionalId: string; readonly state: string }[],
): string[] {
  const { subtask, parallelism, firstTransaction } = marker.recovery;
  const orphans: string[] = [];
  for (const { transactionalId, state } of transactions) {
    if (state !== "Ongoing") continue;
    const id = parseTransactionalId(prefix, transactionalId);
    if (id === undefined || id.subtask % parallelism !== subtask) continue;
    if (id.subtask === subtask && id.number >= firstTransaction) continue;
    orphans.push(transactionalId);
  }
  return orphans;
}

/** Writers of this thread that are open, with whether their recovery ran. */
const liveWriters = new Map<string, { recovered: boolean }>();

export function registerWriter(writer: string): void {
  liveWriters.set(writer, { recovered: false });
}

export function unregisterWriter(writer: string): void {
  liveWriters.delete(writer);
}

/** Whether the writer still needs to add its marker to pre-commits. */
export function needsRecovery(writer: string): boolean {
  return liveWriters.get(writer)?.recovered === false;
}

/**
 * Claims the recovery of `marker` for the caller: true once per live writer; false for a marker of
 * a writer that is gone (restored from a checkpoint) or that was already recovered.
 */
export function claimRecovery(marker: KafkaRecoveryMarker): boolean {
  const entry = liveWriters.get(marker.recovery.writer);
  if (entry === undefined || entry.recovered) return false;
  entry.recovered = true;
  return true;
}

export function isRecoveryMarker(committable: unknown): committable is KafkaRecoveryMarker {
  return typeof committable === "object" && committable !== null && "recovery" in committable;
}
