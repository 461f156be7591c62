/**
 * Top-N: `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY p ORDER BY o)` filtered to
 * `rankStart ≤ rank ≤ rankEnd`, keyed by the partition key. Each partition keeps its rows sorted in
 * one value state; every input row changes the visible range by a diff of before and after.
 *
 * Invariants:
 * - Ties keep arrival order (a later row sorts after an equal one), so ROW_NUMBER is stable.
 * - RANK gives tied rows the same rank and skips the next ranks; DENSE_RANK does not skip.
 * - With an insert-only input only the rows that can ever be visible are kept (ranks ≤ rankEnd);
 *   with an updating input every row is kept, since a retraction can bring a lower row up.
 * - Output: rows leaving the range are deleted (-D), rows entering are inserted (+I). With the rank
 *   number in the output, a rank whose row changed is updated in place: -U old, +U new (only +U
 *   when the consumer takes upserts, keyed by partition and rank).
 *
 * Worked example, ROW_NUMBER ≤ 2 ORDER BY score DESC, with the rank number:
 * ```text
 * +I[a, 5]  -> +I[a, 5, 1]
 * +I[b, 7]  -> -U[a, 5, 1] +U[b, 7, 1]  +I[a, 5, 2]
 * +I[c, 1]  -> (nothing: rank 3)
 * -D[b, 7]  -> -U[b, 7, 1] +U[a, 5, 1]  -U[a, 5, 2] +U[c, 1, 2]
 * ```
 * @module
 */

import {
  type Collector,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
  type ValueStateDeclaration,
} from "@weir/api";
import { isAccumulate, type Row, type RowData, RowKind } from "../data/row.ts";
import { requireFullRetractions } from "./input-mode.ts";
import type { RankSpec } from "./operator-specs.ts";
import { keyOfRow, mapKeyOf } from "./row-key.ts";
import { type RowComparator, rowComparator } from "./row-order.ts";
import { stateOptions } from "./state-ttl.ts";
import { rowsEqual } from "./value-equality.ts";

/** A visible row with its rank. */
interface Ranked {
  readonly row: Row;
  readonly rank: number;
}

export class RankFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #spec: RankSpec;
  readonly #compare: RowComparator;
  readonly #sorted: ValueStateDeclaration<Row[]>;
  readonly #keepAll: boolean;

  constructor(spec: RankSpec) {
    requireFullRetractions(spec.inputMode, "Rank");
    if (
      !Number.isInteger(spec.rankStart) ||
      spec.rankStart < 1 ||
      !Number.isInteger(spec.rankEnd) ||
      spec.rankEnd < spec.rankStart
    ) {
      throw new RangeError(
        `Top-N rank range must satisfy 1 <= start <= end, got ${spec.rankStart}..${spec.rankEnd}`,
      );
    }
    this.#spec = spec;
    this.#compare = rowComparator(spec.orderBy);
    this.#sorted = StateDeclarations.value<Row[]>("rank-sorted-rows", stateOptions(spec.stateTtlMs));
    this.#keepAll = spec.inputMode.kind !== "insert-only";
  }

  usesStates(): readonly StateDeclaration[] {
    return [this.#sorted];
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#sorted);
    const rows = state.value() ?? [];
    const before = this.#visible(rows);
    const row = record.fields;
    const compare = this.#compare;
    if (isAccumulate(record.kind)) {
      const at = upperBound(rows, row, compare);
      // Sorting after a row already out of range, it is out of range too and moves no rank.
      const outOfRange = at > before.ranked;
      if (outOfRange && !this.#keepAll) return;
      rows.splice(at, 0, row);
      if (!this.#keepAll) this.#trim(rows);
      if (outOfRange || (!this.#keepAll && at >= rows.length)) {
        if (this.#keepAll) state.update(rows);
        return;
      }
    } else {
      const at = findEqual(rows, row, compare);
      if (at < 0) return;
      rows.splice(at, 1);
      if (at >= before.ranked) {
        if (rows.length === 0) state.clear();
        else state.update(rows);
        return;
      }
    }
    this.#emitDiff(before.visible, this.#visible(rows).visible, output);
    if (rows.length === 0) state.clear();
    else state.update(rows);
  }

  /**
   * The rows within the rank range, in order, with their ranks; `ranked` counts the leading rows
   * whose rank is at most rankEnd (visible ones and those before rankStart).
   */
  #visible(rows: readonly Row[]): { readonly visible: Ranked[]; readonly ranked: number } {
    const { rankStart, rankEnd, rankType } = this.#spec;
    const visible: Ranked[] = [];
    let rank = 0;
    let i = 0;
    for (; i < rows.length; i++) {
      const row = rows[i]!;
      if (rankType === "ROW_NUMBER" || i === 0) rank++;
      else if (this.#compare(rows[i - 1]!, row) !== 0) rank = rankType === "RANK" ? i + 1 : rank + 1;
      if (rank > rankEnd) break;
      if (rank >= rankStart) visible.push({ row, rank });
    }
    return { visible, ranked: i };
  }

  /** Drops rows that can never become visible again (insert-only input: nothing is retracted). */
  #trim(rows: Row[]): void {
    const { rankEnd, rankType } = this.#spec;
    if (rows.length <= rankEnd) return;
    if (rankType === "ROW_NUMBER") {
      rows.length = rankEnd;
      return;
    }
    let rank = 0;
    for (let i = 0; i < rows.length; i++) {
      if (i === 0 || this.#compare(rows[i - 1]!, rows[i]!) !== 0)
        rank = rankType === "RANK" ? i + 1 : rank + 1;
      if (rank > rankEnd) {
        rows.length = i;
        return;
      }
    }
  }

  #emitDiff(before: readonly Ranked[], after: readonly Ranked[], output: Collector<RowData>): void {
    const withRank = this.#spec.outputRankNumber;
    // Multiset difference on (row, rank) when ranks are output, on rows otherwise. Rows kept in
    // state are the same objects before and after, so most pairs match by identity; only the rest
    // is compared by content (a canonical text per row), which is the expensive part.
    const matchedBefore = new Array<boolean>(before.length).fill(false);
    const matchedAfter = new Array<boolean>(after.length).fill(false);
    for (let j = 0; j < after.length; j++) {
      const a = after[j]!;
      for (let i = 0; i < before.length; i++) {
        const b = before[i]!;
        if (!matchedBefore[i] && b.row === a.row && (!withRank || b.rank === a.rank)) {
          matchedBefore[i] = true;
          matchedAfter[j] = true;
          break;
        }
      }
    }
    const id = (r: Ranked) => {
      const text = mapKeyOf(keyOfRow(r.row)) as string | number | bigint | boolean | null;
      return withRank ? `${r.rank}\u0000${String(text)}` : text;
    };
    const counts = new Map<unknown, number>();
    for (let i = 0; i < before.length; i++) {
      if (matchedBefore[i]) continue;
      const key = id(before[i]!);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const added: Ranked[] = [];
    const unmatchedKeys = new Map<unknown, number>();
    for (let j = 0; j < after.length; j++) {
      if (matchedAfter[j]) continue;
      const r = after[j]!;
      const key = id(r);
      const n = counts.get(key) ?? 0;
      if (n > 0) {
        counts.set(key, n - 1);
        unmatchedKeys.set(key, (unmatchedKeys.get(key) ?? 0) + 1);
      } else added.push(r);
    }
    const removed: Ranked[] = [];
    for (let i = 0; i < before.length; i++) {
      if (matchedBefore[i]) continue;
      const r = before[i]!;
      const key = id(r);
      const n = unmatchedKeys.get(key) ?? 0;
      if (n > 0) unmatchedKeys.set(key, n - 1);
      else removed.push(r);
    }
    const out = (r: Ranked): Row => (withRank ? [...r.row, BigInt(r.rank)] : r.row);
    if (withRank) {
      // A rank whose row changed is updated in place (the upsert key is partition + rank).
      for (let i = 0; i < removed.length; i++) {
        const old = removed[i]!;
        const j = added.findIndex((r) => r.rank === old.rank);
        if (j < 0) continue;
        const replacement = added[j]!;
        if (this.#spec.generateUpdateBefore)
          output.collect({ kind: RowKind.UPDATE_BEFORE, fields: out(old) });
        output.collect({ kind: RowKind.UPDATE_AFTER, fields: out(replacement) });
        removed.splice(i--, 1);
        added.splice(j, 1);
      }
    }
    for (const r of removed) output.collect({ kind: RowKind.DELETE, fields: out(r) });
    for (const r of added) output.collect({ kind: RowKind.INSERT, fields: out(r) });
  }
}

/** Index after the last row that sorts equal to or before `row`. */
function upperBound(rows: readonly Row[], row: Row, compare: RowComparator): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(rows[mid]!, row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of a row equal to `row` (same content), or -1. */
function findEqual(rows: readonly Row[], row: Row, compare: RowComparator): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(rows[mid]!, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < rows.length && compare(rows[i]!, row) === 0; i++)
    if (rowsEqual(rows[i]!, row)) return i;
  return -1;
}
