/**
 * Transaction visibility under a Postgres MVCC snapshot (`pg_current_snapshot()`, text form
 * `xmin:xmax:xip,…`): whether the changes of a committed transaction are already part of what a
 * query under that snapshot read. The CDC source uses it when a snapshot read had to be resumed
 * under a new snapshot after a failure: streamed changes of transactions the new snapshot already
 * saw are left out for the rows it read, so no change is applied twice.
 *
 * Invariant: transaction ids are compared modulo 2^32 as Postgres does (`TransactionIdPrecedes`),
 * since pgoutput sends 32-bit ids while the snapshot has 64-bit ones; the ids compared are close
 * together (one snapshot's lifetime), so the wrap-around comparison is exact.
 *
 * Example: under `100:105:102`, transactions 99, 101, 103 and 104 are visible; 102 (in progress
 * when the snapshot was taken) and 105 (not yet started) are not.
 * @module
 */

export interface XidSnapshot {
  readonly xmin: number;
  readonly xmax: number;
  readonly xip: readonly number[];
}

const low32 = (text: string) => Number(BigInt(text) & 0xffffffffn);

export function parseXidSnapshot(text: string): XidSnapshot {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (m === null) throw new Error(`invalid snapshot ${JSON.stringify(text)}`);
  return {
    xmin: low32(m[1]!),
    xmax: low32(m[2]!),
    xip: m[3] === "" ? [] : m[3]!.split(",").map(low32),
  };
}

/** `a` comes before `b` in transaction id order (modulo 2^32). */
function precedes(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** Whether committed transaction `xid` is visible to `snapshot`. */
export function isVisible(snapshot: XidSnapshot, xid: number): boolean {
  if (precedes(xid, snapshot.xmin)) return true;
  if (!precedes(xid, snapshot.xmax)) return false;
  return !snapshot.xip.includes(xid);
}
