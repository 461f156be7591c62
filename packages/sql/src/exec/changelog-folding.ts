/**
 * Folds a buffered piece of a changelog before it is processed (mini-batch): an accumulate (+I/+U)
 * followed later in the buffer by a retraction (-U/-D) of an equal row cancel each other, since
 * together they leave the result as it was. What remains keeps its order.
 *
 * Invariant: applying the folded buffer to any state gives the same state as applying the whole
 * buffer, as long as the buffer is a valid changelog (each retraction retracts a row that is there).
 * Only accumulate-then-retract pairs are folded: a retraction that comes first may retract a row
 * that is in state, so it must stay. Example:
 * ```text
 * +I[a] +I[b] -D[a] -U[c] +U[c]  ->  +I[b] -U[c] +U[c]
 * ```
 * @module
 */

import { isAccumulate, type RowData } from "../data/row.ts";
import { keyOfRow, mapKeyOf } from "./row-key.ts";

export function foldRetractions(records: readonly RowData[]): RowData[] {
  if (records.length < 2) return [...records];
  const kept: (RowData | null)[] = [...records];
  /** Row text → indices (in `kept`) of accumulates not cancelled yet. */
  const open = new Map<unknown, number[]>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const id = mapKeyOf(keyOfRow(record.fields));
    if (isAccumulate(record.kind)) {
      const list = open.get(id);
      if (list === undefined) open.set(id, [i]);
      else list.push(i);
      continue;
    }
    const list = open.get(id);
    const earlier = list?.pop();
    if (earlier !== undefined) {
      kept[earlier] = null;
      kept[i] = null;
    }
  }
  return kept.filter((record): record is RowData => record !== null);
}
