/**
 * `ORDER BY … [OFFSET n] [FETCH m]` on a bounded input: a global (single-subtask, non-keyed)
 * operator that materializes its input and, at the end of input, emits the sorted rows in the
 * offset/fetch window as inserts.
 *
 * Invariants: an updating input is materialized first (a retraction removes one copy of an equal
 * row), so the output is the sorted final result; ties keep arrival order (stable sort); the rows
 * live in operator state, so a checkpoint before the end of input keeps them. Example, `ORDER BY
 * x DESC LIMIT 2` over `+I[1] +I[3] +I[2] -D[3]` → at end of input `+I[2] +I[1]`.
 * @module
 */

import {
  type Collector,
  type KeyValue,
  type ListStateDeclaration,
  type MapStateDeclaration,
  type NonPartitionedContext,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
} from "@weir/api";
import { isAccumulate, type Row, type RowData, RowKind } from "../data/row.ts";
import { requireFullRetractions } from "./input-mode.ts";
import type { SortLimitSpec } from "./operator-specs.ts";
import { keyOfRow } from "./row-key.ts";
import { type RowComparator, rowComparator } from "./row-order.ts";

const APPENDED = StateDeclarations.list<Row>("sort-rows");
/** For an updating input: row key → [row, copies], so retractions find their row. */
const COUNTED = StateDeclarations.map<KeyValue, [Row, number]>("sort-counted-rows");

export class SortLimitFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #spec: SortLimitSpec;
  readonly #compare: RowComparator;
  readonly #updating: boolean;

  constructor(spec: SortLimitSpec) {
    requireFullRetractions(spec.inputMode, "SortLimit");
    if (!Number.isInteger(spec.offset) || spec.offset < 0) {
      throw new RangeError(`OFFSET must be a non-negative integer, got ${String(spec.offset)}`);
    }
    if (spec.fetch !== null && (!Number.isInteger(spec.fetch) || spec.fetch < 0)) {
      throw new RangeError(`FETCH / LIMIT must be a non-negative integer, got ${String(spec.fetch)}`);
    }
    this.#spec = spec;
    this.#compare = rowComparator(spec.orderBy);
    this.#updating = spec.inputMode.kind !== "insert-only";
  }

  usesStates(): readonly StateDeclaration[] {
    return this.#updating ? [COUNTED] : [APPENDED];
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (!this.#updating) {
      ctx.stateManager.getState(APPENDED as ListStateDeclaration<Row>).add(record.fields);
      return;
    }
    const rows = ctx.stateManager.getState(COUNTED as MapStateDeclaration<KeyValue, [Row, number]>);
    const key = keyOfRow(record.fields);
    const stored = rows.get(key);
    if (isAccumulate(record.kind)) {
      rows.put(key, stored === undefined ? [record.fields, 1] : [stored[0], stored[1] + 1]);
    } else if (stored !== undefined) {
      if (stored[1] <= 1) rows.remove(key);
      else rows.put(key, [stored[0], stored[1] - 1]);
    }
  }

  endInput(ctx: NonPartitionedContext<RowData>): void {
    ctx.applyToAllPartitions((output, partition) => {
      let rows: Row[];
      if (this.#updating) {
        rows = [];
        for (const [row, copies] of partition.stateManager.getState(COUNTED).values()) {
          for (let i = 0; i < copies; i++) rows.push(row);
        }
      } else {
        rows = [...partition.stateManager.getState(APPENDED).get()];
      }
      rows.sort(this.#compare);
      const { offset, fetch } = this.#spec;
      const end = fetch === null ? rows.length : Math.min(rows.length, offset + fetch);
      for (let i = offset; i < end; i++) output.collect({ kind: RowKind.INSERT, fields: rows[i]! });
    });
  }
}
