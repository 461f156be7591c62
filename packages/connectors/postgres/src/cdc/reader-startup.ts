/**
 * Where a Postgres CDC reader starts, and the server prepared for it: the publication and slot of
 * a first start (a new slot exports the snapshot the reader's transaction then imports, or a kept
 * slot is replayed over a new snapshot), a restored slot checked to still exist, and the snapshot
 * transaction of a (re-)read opened on the reader's session.
 *
 * Invariant: when `prepareStart` returns `phase: "snapshot"`, the session is inside the
 * `REPEATABLE READ` transaction the snapshot must be read in, and `streamStartLsn` is where the
 * stream continues after it; with `phase: "stream"`, `lsn` is where the stream resumes. A slot
 * that disappeared after a checkpoint is an error, never a silent new start (its changes are lost).
 * @module
 */

import type pg from "pg";
import type { CapturedTable } from "./captured-table.ts";
import type { PostgresCdcSplit, ResolvedCdcOptions } from "./postgres-cdc-source.ts";
import { ReplicationConnection } from "./replication-connection.ts";
import type { ResumedRanges } from "./resumed-ranges.ts";
import { ensurePublication, releaseSlot } from "./slot-admin.ts";
import { parseXidSnapshot } from "./xid-snapshot.ts";

/** The parts of the split position the start decides. */
export interface StartPosition {
  readonly phase: PostgresCdcSplit["phase"];
  readonly streamStartLsn: string | null;
  readonly snapshotTable: number;
  readonly snapshotAfterKey: readonly string[] | null;
  readonly lsn: string | null;
}

export async function prepareStart(
  client: pg.Client,
  options: ResolvedCdcOptions,
  tables: readonly CapturedTable[],
  ranges: ResumedRanges,
  from: StartPosition,
  where: string,
): Promise<StartPosition> {
  const slot = options.slotName;
  const snapshotFromStart = (streamStartLsn: string | null): StartPosition => ({
    phase: "snapshot",
    streamStartLsn,
    snapshotTable: 0,
    snapshotAfterKey: null,
    lsn: from.lsn,
  });
  if (options.startupMode === "snapshot") {
    // Bounded: no slot; after a restore the rest is read under a new snapshot.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query("SELECT 1");
    return { ...from, phase: "snapshot" };
  }
  if (from.phase === "initial") {
    await ensurePublication(client, options.publicationName, tables);
    await releaseSlot(client, slot);
    if (options.reReadMode === "replay" && options.startupMode === "initial") {
      const existing = await client.query<{ lsn: string | null }>(
        "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1",
        [slot],
      );
      const lsn = existing.rows[0]?.lsn;
      if (typeof lsn === "string") {
        // Keep the slot: its changes since the confirmed point are replayed over a new snapshot.
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        await client.query("SELECT 1");
        return snapshotFromStart(lsn);
      }
    }
    await client.query(
      "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
      [slot],
    );
    const replication = await ReplicationConnection.open(options.connection);
    try {
      const snapshot = options.startupMode === "initial";
      const created = await replication.createSlot(slot, snapshot);
      if (!snapshot) return { ...from, phase: "stream", lsn: created.consistentPoint };
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await client.query(`SET TRANSACTION SNAPSHOT '${created.snapshotName}'`);
      return snapshotFromStart(created.consistentPoint);
    } finally {
      // The exported snapshot only lives until this connection's next command; it is imported now.
      await replication.close();
    }
  }
  const exists = await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slot]);
  if (exists.rows.length === 0)
    throw new Error(
      `${where}: the replication slot "${slot}" no longer exists, so the changes after the checkpointed position are lost; start the job without its checkpoint to snapshot again`,
    );
  if (from.phase === "snapshot") await resumeSnapshot(client, options, tables, ranges, from);
  return from;
}

/** After a restore mid-snapshot: the rest is read under a new snapshot (see the source's comment). */
async function resumeSnapshot(
  client: pg.Client,
  options: ResolvedCdcOptions,
  tables: readonly CapturedTable[],
  ranges: ResumedRanges,
  from: StartPosition,
): Promise<void> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (options.reReadMode === "replay") return;
  const result = await client.query<{ snapshot: string; lsn: string }>(
    "SELECT pg_current_snapshot()::text AS snapshot, pg_current_wal_insert_lsn()::text AS lsn",
  );
  const snapshot = parseXidSnapshot(result.rows[0]!.snapshot);
  const horizonLsn = result.rows[0]!.lsn;
  for (let table = from.snapshotTable; table < tables.length; table++) {
    const afterKey = table === from.snapshotTable ? from.snapshotAfterKey : null;
    ranges.add({ table, afterKey, snapshot, horizonLsn });
  }
}
