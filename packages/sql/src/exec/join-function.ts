/**
 * Regular streaming join with retraction (`a JOIN b ON a.k = b.k AND cond`), INNER, LEFT, RIGHT,
 * FULL, SEMI (`EXISTS` / `IN`) and ANTI (`NOT EXISTS` / `NOT IN`). Both inputs are keyed by their
 * equi-join key; each side keeps its rows of the key in map state, row → (count, associations).
 *
 * Invariants (the same as Flink's StreamingJoinOperator and StreamingSemiAntiJoinOperator):
 * - A row whose non-null-safe key holds NULL matches nothing and is not stored.
 * - For an outer side, each stored row carries how many rows of the other side match it now. It is
 *   emitted NULL-padded exactly while that number is 0: the first match retracts the padded row
 *   (-D), the last match leaving re-inserts it (+I). So the output is always the join of the
 *   current inputs, as a retract changelog.
 * - Output kinds: +I/-D around outer rows; on inner joins the input's kind passes through
 *   (+I/+U/-U/-D), and on SEMI joins the kind of the row that changed the match. A row stored n
 *   times produces its joined rows n times.
 *
 * Worked example, LEFT JOIN on k (left L = [k, x], right R = [k, y]):
 * ```text
 * left  +I[1, a]  -> +I[1, a, null, null]
 * right +I[1, p]  -> -D[1, a, null, null]  +I[1, a, 1, p]
 * right +I[1, q]  -> +I[1, a, 1, q]
 * right -D[1, p]  -> -D[1, a, 1, p]                          (still matched by q)
 * right -D[1, q]  -> -D[1, a, 1, q]  +I[1, a, null, null]
 * ```
 * Mini-batch (`miniBatch.enabled`): each side's rows are buffered per key in keyed list state
 * (so checkpoints keep them) and joined when the batch's deadline fires for the key, when `size`
 * rows were buffered (for the key being processed), or at the end of an input; a row inserted and
 * retracted within one batch is folded away first (`changelog-folding.ts`), and the left buffer is
 * joined before the right one. The result is the same join with fewer intermediate changes.
 * @module
 */

import {
  type Collector,
  type KeyValue,
  type ListStateDeclaration,
  type MapState,
  type MapStateDeclaration,
  type NonPartitionedContext,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
  type TwoInputNonBroadcastStreamProcessFunction,
} from "@weir/api";
import { isAccumulate, type Row, type RowData, RowKind } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
import { foldRetractions } from "./changelog-folding.ts";
import { requireFullRetractions } from "./input-mode.ts";
import { MiniBatchTrigger } from "./mini-batch.ts";
import type { JoinPredicate, JoinSpec } from "./operator-specs.ts";
import { keyOfRow } from "./row-key.ts";
import { stateOptions } from "./state-ttl.ts";

/** A stored row: the row, how many times it is stored, and how many other-side rows match it. */
type StoredRow = [row: Row, count: number, associations: number];

/** A stored row of the other side that matches the input row, with its state key. */
interface Match {
  readonly key: KeyValue;
  readonly stored: StoredRow;
}

export class JoinFunction implements TwoInputNonBroadcastStreamProcessFunction<RowData, RowData, RowData> {
  readonly #spec: JoinSpec;
  readonly #leftRows: MapStateDeclaration<KeyValue, StoredRow>;
  readonly #rightRows: MapStateDeclaration<KeyValue, StoredRow>;
  readonly #condition: JoinPredicate | null;
  readonly #leftOuter: boolean;
  readonly #rightOuter: boolean;
  readonly #semiOrAnti: "SEMI" | "ANTI" | null;
  readonly #trigger: MiniBatchTrigger | null;
  /** Mini-batch buffers of the left and right input; null without mini-batch. */
  readonly #buffers: readonly [ListStateDeclaration<RowData>, ListStateDeclaration<RowData>] | null;
  readonly #leftNulls: Row;
  readonly #rightNulls: Row;

  constructor(spec: JoinSpec) {
    requireFullRetractions(spec.leftMode, "Join (left input)");
    requireFullRetractions(spec.rightMode, "Join (right input)");
    if (spec.leftKey.length !== spec.rightKey.length || spec.nullSafe.length !== spec.leftKey.length) {
      throw new RangeError(
        `join keys do not line up: ${spec.leftKey.length} left, ${spec.rightKey.length} right, ${spec.nullSafe.length} null-safe flags`,
      );
    }
    this.#spec = spec;
    const options = stateOptions(spec.stateTtlMs);
    this.#leftRows = StateDeclarations.map<KeyValue, StoredRow>("join-left-rows", options);
    this.#rightRows = StateDeclarations.map<KeyValue, StoredRow>("join-right-rows", options);
    this.#condition = spec.nonEquiCondition;
    const type = spec.joinType;
    this.#leftOuter = type === "LEFT" || type === "FULL";
    this.#rightOuter = type === "RIGHT" || type === "FULL";
    this.#semiOrAnti = type === "SEMI" || type === "ANTI" ? type : null;
    if (spec.miniBatch.enabled) {
      this.#trigger = new MiniBatchTrigger(spec.miniBatch);
      this.#buffers = [
        StateDeclarations.list<RowData>("join-mini-batch-left", options),
        StateDeclarations.list<RowData>("join-mini-batch-right", options),
      ];
    } else {
      this.#trigger = null;
      this.#buffers = null;
    }
    this.#leftNulls = new Array<SqlValue>(spec.leftArity).fill(null);
    this.#rightNulls = new Array<SqlValue>(spec.rightArity).fill(null);
  }

  usesStates(): readonly StateDeclaration[] {
    const rows = [this.#leftRows, this.#rightRows];
    return this.#buffers === null ? rows : [...rows, ...this.#buffers];
  }

  processRecordFromFirstInput(
    record: RowData,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    if (this.#buffers !== null) this.#buffer(0, record, output, ctx);
    else this.#join(record, true, output, ctx);
  }

  processRecordFromSecondInput(
    record: RowData,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    if (this.#buffers !== null) this.#buffer(1, record, output, ctx);
    else this.#join(record, false, output, ctx);
  }

  onProcessingTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fold(output, ctx);
  }

  endFirstInput(ctx: NonPartitionedContext<RowData>): void {
    this.#foldAll(ctx);
  }

  endSecondInput(ctx: NonPartitionedContext<RowData>): void {
    this.#foldAll(ctx);
  }

  #join(
    record: RowData,
    inputIsLeft: boolean,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    if (this.#semiOrAnti === null) this.#process(record, inputIsLeft, output, ctx);
    else if (inputIsLeft) this.#semiAntiLeft(record, output, ctx);
    else this.#semiAntiRight(record, output, ctx);
  }

  #buffer(side: 0 | 1, record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const [left, right] = this.#buffers!;
    const buffer = ctx.stateManager.getState(side === 0 ? left : right);
    const other = ctx.stateManager.getState(side === 0 ? right : left);
    const timers = ctx.processingTimeManager;
    const deadline = this.#trigger!.deadlineFor(timers.currentTime());
    if (buffer.get().length === 0 && other.get().length === 0) timers.registerTimer(deadline);
    buffer.add(record);
    if (this.#trigger!.countRow()) this.#fold(output, ctx);
  }

  /** Joins the current key's buffered rows: the left buffer first, then the right one. */
  #fold(output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const buffers = this.#buffers!;
    for (const side of [0, 1] as const) {
      const buffer = ctx.stateManager.getState(buffers[side]);
      const rows = buffer.get();
      if (rows.length === 0) continue;
      const folded = foldRetractions(rows);
      buffer.clear();
      for (const record of folded) this.#join(record, side === 0, output, ctx);
    }
  }

  #foldAll(ctx: NonPartitionedContext<RowData>): void {
    if (this.#buffers !== null)
      ctx.applyToAllPartitions((output, partition) => this.#fold(output, partition));
  }

  #process(
    record: RowData,
    inputIsLeft: boolean,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    const state = ctx.stateManager;
    const mine = state.getState(inputIsLeft ? this.#leftRows : this.#rightRows);
    const others = state.getState(inputIsLeft ? this.#rightRows : this.#leftRows);
    const inputOuter = inputIsLeft ? this.#leftOuter : this.#rightOuter;
    const otherOuter = inputIsLeft ? this.#rightOuter : this.#leftOuter;
    const row = record.fields;
    const joinable = this.#keyCanMatch(row, inputIsLeft);
    const matches = joinable ? this.#matches(row, inputIsLeft, others) : NO_MATCHES;
    if (isAccumulate(record.kind)) {
      const kind = inputOuter || otherOuter ? RowKind.INSERT : record.kind;
      if (matches.length === 0) {
        if (inputOuter) output.collect({ kind: RowKind.INSERT, fields: this.#padded(row, inputIsLeft) });
      } else {
        // Per matched row, as Flink: its padded row goes (first match) before its joined rows come.
        for (const match of matches) {
          if (otherOuter) this.#associate(match, others, !inputIsLeft, 1, output);
          this.#emitJoined(kind, row, match.stored, inputIsLeft, output);
        }
      }
      if (joinable) add(mine, row, inputOuter ? countOf(matches) : 0);
    } else {
      if (joinable) retract(mine, row);
      if (matches.length === 0) {
        if (inputOuter) output.collect({ kind: RowKind.DELETE, fields: this.#padded(row, inputIsLeft) });
      } else {
        const kind = inputOuter ? RowKind.DELETE : record.kind;
        // Per matched row: its joined rows go before its padded row returns (last match).
        for (const match of matches) {
          this.#emitJoined(kind, row, match.stored, inputIsLeft, output);
          if (otherOuter) this.#associate(match, others, !inputIsLeft, -1, output);
        }
      }
    }
  }

  /**
   * Changes the association count of a matched outer row by `delta`, emitting the padded row's
   * removal when it gets its first match and its return when it loses its last.
   */
  #associate(
    { key, stored }: Match,
    others: MapState<KeyValue, StoredRow>,
    othersAreLeft: boolean,
    delta: 1 | -1,
    output: Collector<RowData>,
  ): void {
    const [row, count, associations] = stored;
    if ((delta === 1 && associations === 0) || (delta === -1 && associations === 1)) {
      const padded = this.#padded(row, othersAreLeft);
      const kind = delta === 1 ? RowKind.DELETE : RowKind.INSERT;
      for (let i = 0; i < count; i++) output.collect({ kind, fields: padded });
    }
    others.put(key, [row, count, associations + delta]);
  }

  #semiAntiLeft(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const lefts = ctx.stateManager.getState(this.#leftRows);
    const rights = ctx.stateManager.getState(this.#rightRows);
    const row = record.fields;
    const joinable = this.#keyCanMatch(row, true);
    const matched = joinable ? countOf(this.#matches(row, true, rights)) : 0;
    if ((this.#semiOrAnti === "SEMI") === matched > 0) output.collect(record);
    if (!joinable) return;
    if (isAccumulate(record.kind)) add(lefts, row, matched);
    else retract(lefts, row);
  }

  #semiAntiRight(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const lefts = ctx.stateManager.getState(this.#leftRows);
    const rights = ctx.stateManager.getState(this.#rightRows);
    const row = record.fields;
    if (!this.#keyCanMatch(row, false)) return;
    const accumulate = isAccumulate(record.kind);
    if (accumulate) add(rights, row, 0);
    else retract(rights, row);
    const semi = this.#semiOrAnti === "SEMI";
    for (const { key, stored } of this.#matches(row, false, lefts)) {
      const [left, count, associations] = stored;
      const flips = accumulate ? associations === 0 : associations === 1;
      if (flips) {
        // SEMI: the left row comes with its first match and goes with its last, in the kind of the
        // right row that did it (so -U/+U of a right row give -U/+U of the left row, as in Flink);
        // ANTI: the other way round, as -D and +I.
        const kind = semi ? record.kind : accumulate ? RowKind.DELETE : RowKind.INSERT;
        for (let i = 0; i < count; i++) output.collect({ kind, fields: left });
      }
      lefts.put(key, [left, count, associations + (accumulate ? 1 : -1)]);
    }
  }

  /** False when a key field that is not null-safe is NULL: such a row matches nothing. */
  #keyCanMatch(row: Row, isLeft: boolean): boolean {
    const key = isLeft ? this.#spec.leftKey : this.#spec.rightKey;
    const nullSafe = this.#spec.nullSafe;
    for (let i = 0; i < key.length; i++) if (row[key[i]!] === null && !nullSafe[i]) return false;
    return true;
  }

  /** The stored rows of the other side (same join key by keyBy) that satisfy the condition. */
  #matches(row: Row, inputIsLeft: boolean, others: MapState<KeyValue, StoredRow>): Match[] {
    const condition = this.#condition;
    const matches: Match[] = [];
    for (const [key, stored] of others.entries()) {
      if (condition === null || (inputIsLeft ? condition(row, stored[0]) : condition(stored[0], row))) {
        matches.push({ key, stored });
      }
    }
    return matches;
  }

  #emitJoined(
    kind: RowKind,
    row: Row,
    other: StoredRow,
    inputIsLeft: boolean,
    output: Collector<RowData>,
  ): void {
    const fields = inputIsLeft ? row.concat(other[0]) : other[0].concat(row);
    for (let i = 0; i < other[1]; i++) output.collect({ kind, fields });
  }

  #padded(row: Row, rowIsLeft: boolean): Row {
    return rowIsLeft ? row.concat(this.#rightNulls) : this.#leftNulls.concat(row);
  }
}

const NO_MATCHES: readonly Match[] = [];

function countOf(matches: readonly Match[]): number {
  let total = 0;
  for (const { stored } of matches) total += stored[1];
  return total;
}

function add(rows: MapState<KeyValue, StoredRow>, row: Row, associations: number): void {
  const key = keyOfRow(row);
  const stored = rows.get(key);
  rows.put(key, stored === undefined ? [row, 1, associations] : [stored[0], stored[1] + 1, associations]);
}

/** Takes one copy of `row` out; a retraction of a row that is not stored changes nothing. */
function retract(rows: MapState<KeyValue, StoredRow>, row: Row): void {
  const key = keyOfRow(row);
  const stored = rows.get(key);
  if (stored === undefined) return;
  if (stored[1] <= 1) rows.remove(key);
  else rows.put(key, [stored[0], stored[1] - 1, stored[2]]);
}
