/**
 * The key ranges a snapshot re-read covered in `exact` re-read mode (see postgres-cdc-source.ts):
 * for each, the MVCC snapshot it was read under and a WAL position after that snapshot. A streamed
 * change of a row in such a range is left out when its transaction is visible to the range's
 * snapshot, because the re-read already returned the row with that change applied.
 *
 * Invariants: ranges of one table are kept in the order they were added, which is ascending key
 * order (a re-read only ever continues after the last key emitted), so the range of a key is the
 * last one that starts before it. Once the stream passes every range's horizon, no later
 * transaction can be visible to any of the snapshots, and the ranges are dropped.
 * @module
 */

import type { SqlValue } from "@weir/sql";
import { type CapturedTable, compareKeys } from "./captured-table.ts";
import type { RelationMapping } from "./change-rows.ts";
import { parseLsn } from "./lsn.ts";
import type { TupleValue } from "./pgoutput-decoder.ts";
import type { ResumedRange } from "./postgres-cdc-source.ts";
import { isVisible } from "./xid-snapshot.ts";

interface DecodedRange {
  readonly range: ResumedRange;
  readonly afterKey: readonly SqlValue[] | null;
  readonly horizon: bigint;
}

/** Decodes a primary key given as text values (a NULL key part is refused). */
export function decodeKeyTexts(table: CapturedTable, key: readonly (TupleValue | undefined)[]): SqlValue[] {
  return table.keyDecoders.map((decode, i) => {
    const text = key[i];
    if (typeof text !== "string") throw new Error(`table "${table.id}" has a NULL primary key value`);
    return decode(text);
  });
}

export class ResumedRanges {
  readonly #tables: readonly CapturedTable[];
  #ranges: DecodedRange[] = [];

  constructor(tables: readonly CapturedTable[], ranges: readonly ResumedRange[]) {
    this.#tables = tables;
    for (const range of ranges) this.add(range);
  }

  add(range: ResumedRange): void {
    const table = this.#tables[range.table]!;
    this.#ranges.push({
      range,
      afterKey: range.afterKey === null ? null : decodeKeyTexts(table, range.afterKey),
      horizon: parseLsn(range.horizonLsn),
    });
  }

  get isEmpty(): boolean {
    return this.#ranges.length === 0;
  }

  /** Whether the change (of transaction `xid`, committed at `commitLsn`) to this row was re-read. */
  covers(mapping: RelationMapping, tuple: readonly TupleValue[], xid: number, commitLsn: bigint): boolean {
    if (this.#ranges.length === 0) return false;
    let found: DecodedRange | undefined;
    let key: SqlValue[] | undefined;
    for (const candidate of this.#ranges) {
      if (candidate.range.table !== mapping.table) continue;
      if (candidate.afterKey !== null) {
        key ??= decodeKeyTexts(
          this.#tables[mapping.table]!,
          mapping.keys.map((k) => tuple[k]),
        );
        if (compareKeys(key, candidate.afterKey) <= 0) continue;
      }
      found = candidate;
    }
    if (found === undefined || commitLsn >= found.horizon) return false;
    return isVisible(found.range.snapshot, xid);
  }

  /** A transaction committed at `commitLsn`: ranges whose snapshots it is past are done. */
  committed(commitLsn: bigint): void {
    if (this.#ranges.length > 0 && this.#ranges.every((r) => commitLsn >= r.horizon)) this.#ranges = [];
  }

  /** Plain data for the split. */
  toState(): ResumedRange[] {
    return this.#ranges.map((r) => r.range);
  }
}
