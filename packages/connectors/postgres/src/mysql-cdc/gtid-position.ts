/**
 * MariaDB GTID positions: for each replication domain, the GTID `domain-server-sequence` of the
 * last transaction the reader fully emitted, written as MariaDB writes `@@gtid_binlog_pos`
 * (`0-1-42,1-2-7`, one GTID per domain, ascending domain). Split state keeps the text; a replica
 * hands it to the server as `@slave_connect_state` to be sent every transaction after it, which
 * works in whatever binlog file those transactions now are (the file of a file/position checkpoint
 * may be rotated and purged; the GTIDs of the transactions after it are still found).
 *
 * Invariant (exactly-once across a restore): the position only ever names transactions whose every
 * captured row change was emitted. A transaction's GTID event is remembered as pending; the GTID
 * joins the position at that transaction's commit event, when the reader has emitted all its
 * changes. A checkpoint inside a transaction records the position *before* it plus the count of
 * its changes already emitted (`skipChanges`); a restore asks the server for everything after the
 * position, so the half-emitted transaction comes again from its start, and its first
 * `skipChanges` changes are passed over. Worked sequence (domain 0, server 1):
 * ```
 * GTID 0-1-7 · INSERT id=1 · XID       emitted +I 1                  position 0-1-7, skip 0
 * GTID 0-1-8 · UPDATE id 2 · UPDATE id 3 · UPDATE id 4 · XID   (one transaction, three rows events)
 *   polled: GTID, UPDATE id 2, id 3    emitted -U/+U of ids 2, 3      position 0-1-7, skip 2
 *   ── checkpoint {gtidPosition: "0-1-7", skipChanges: 2}; failure; restore from it ──
 * server sends GTID 0-1-8 again        ids 2, 3 skipped, -U/+U id 4   position 0-1-7, skip 2
 *   XID                                                               position 0-1-8, skip 0
 * ```
 * Each change reaches the output once: those of 0-1-7 and the first two of 0-1-8 before the
 * checkpoint, the third after it. A server whose binlog no longer holds the GTID after the
 * position (purged), or does not know it (`@slave_gtid_strict_mode`), refuses the dump; the error
 * names the position.
 *
 * Before a dump from a position, each of its domains must be one the server's binlog has had
 * (`@@gtid_binlog_state`): the server itself would wait silently for a domain it never had (a
 * checkpoint restored against another server), while it refuses an unknown GTID of a known domain.
 *
 * MySQL's GTIDs (`uuid:1-42` sets) are not tracked: a MySQL server is resumed by file/position.
 * @module
 */

import type mysql from "mysql2/promise";

const GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;
const MAX_U32 = 2 ** 32 - 1;

/** One MariaDB GTID. */
export interface Gtid {
  readonly domain: number;
  readonly server: number;
  /** The sequence number (up to 2^64-1), as decimal text. */
  readonly sequence: string;
}

export function formatGtid(gtid: Gtid): string {
  return `${gtid.domain}-${gtid.server}-${gtid.sequence}`;
}

/**
 * Reads a GTID list such as `0-1-42,1-2-7` (empty text: no GTID); throws naming the bad entry and
 * `what` (where the text came from) when it is not one.
 */
export function parseGtidPosition(text: string, what: string): Map<number, Gtid> {
  const byDomain = new Map<number, Gtid>();
  const trimmed = text.trim();
  if (trimmed === "") return byDomain;
  for (const entry of trimmed.split(",")) {
    const m = GTID.exec(entry.trim());
    const domain = Number(m?.[1]);
    const server = Number(m?.[2]);
    const sequence = m === null ? "" : BigInt(m[3]!).toString();
    if (m === null || domain > MAX_U32 || server > MAX_U32 || BigInt(sequence) >= 2n ** 64n)
      throw new Error(
        `${what} ${JSON.stringify(text)} is not a MariaDB GTID list: ${JSON.stringify(entry)} is not domain-server-sequence (e.g. 0-1-42)`,
      );
    if (byDomain.has(domain)) throw new Error(`${what} ${JSON.stringify(text)} names domain ${domain} twice`);
    byDomain.set(domain, { domain, server, sequence });
  }
  return byDomain;
}

/** The GTIDs of the transactions emitted so far, one per domain (see the module comment). */
export class GtidPosition {
  readonly #byDomain: Map<number, Gtid>;
  /** The GTID of the transaction being read, until its commit. */
  #pending: Gtid | null = null;

  constructor(byDomain: Map<number, Gtid>) {
    this.#byDomain = byDomain;
  }

  /** Nothing known: the server has no GTIDs, or none were written yet. */
  get empty(): boolean {
    return this.#byDomain.size === 0;
  }

  /** The GTID of each domain. */
  gtids(): Iterable<Gtid> {
    return this.#byDomain.values();
  }

  /** A transaction with this GTID starts. */
  begin(gtid: Gtid): void {
    this.#pending = gtid;
  }

  /** The transaction begun last is fully emitted. */
  commit(): void {
    if (this.#pending === null) return;
    this.#byDomain.set(this.#pending.domain, this.#pending);
    this.#pending = null;
  }

  /** `@@gtid_binlog_pos` form, ascending domain; empty when nothing is known. */
  toString(): string {
    return [...this.#byDomain.values()]
      .sort((a, b) => a.domain - b.domain)
      .map(formatGtid)
      .join(",");
  }
}

/** The GTID position of a binlog file position (MariaDB); empty when the server has no GTIDs. */
export async function gtidPositionAt(
  client: mysql.Connection,
  file: string,
  position: number,
): Promise<string> {
  try {
    const [rows] = await client.query<mysql.RowDataPacket[]>("SELECT BINLOG_GTID_POS(?, ?) AS gtid", [
      file,
      position,
    ]);
    return rows[0]?.gtid === null || rows[0]?.gtid === undefined ? "" : String(rows[0].gtid);
  } catch (error) {
    // MySQL has no BINLOG_GTID_POS (ER_SP_DOES_NOT_EXIST): it is resumed by file position.
    if ((error as { errno?: number }).errno === 1305) return "";
    throw error;
  }
}

/** Throws naming the GTID when `position` names a domain the server's binlog never had. */
export async function checkGtidDomains(client: mysql.Connection, position: GtidPosition): Promise<void> {
  if (position.empty) return;
  let rows: mysql.RowDataPacket[];
  try {
    [rows] = await client.query<mysql.RowDataPacket[]>("SELECT @@gtid_binlog_state AS state");
  } catch (error) {
    if ((error as { errno?: number }).errno === 1193)
      throw new Error(
        `the GTID position "${position}" is MariaDB's, and this server has no MariaDB GTIDs (MySQL is resumed by binlog file and position)`,
      );
    throw error;
  }
  const state = String(rows[0]?.state ?? "");
  const known = parseGtidPosition(state, "the server's @@gtid_binlog_state");
  for (const gtid of position.gtids())
    if (!known.has(gtid.domain))
      throw new Error(
        `the GTID position "${position}" names GTID ${formatGtid(gtid)} of domain ${gtid.domain}, which this server's binary log has never had (its GTID state is "${state}"); is the checkpoint of another server?`,
      );
}
