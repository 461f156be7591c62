/**
 * MATCH_RECOGNIZE as a keyed process function (Flink's CepOperator running the SQL pattern): per
 * partition key, rows are put in matching order and fed to the {@link MatchAutomaton}; each match
 * it releases becomes one output row (ONE ROW PER MATCH): the partition key, then the measures.
 *
 * Invariants, per partition key:
 * - Event time: a row waits in `pending` (by time) until the watermark passes its time, then the
 *   rows of that time are matched in ORDER BY order (stable, so equal rows keep arrival order); a
 *   row not later than the watermark on arrival is dropped (late), as Flink's CepOperator does.
 * - Processing time: rows are matched on arrival, timed by the operator's clock.
 * - WITHIN: a timer at the earliest (first row time + WITHIN) of the partial matches drops them
 *   when it fires, and releases the matches they held back.
 * - The partition's state is cleared as soon as nothing is pending, partial or held, so state stays
 *   bounded by the rows inside open partial matches and not yet watermarked.
 *
 * Worked sequence, `PATTERN (A B) DEFINE A AS x = 'a', B AS x = 'b'`, rows `[k, x, ts]`:
 * ```text
 * +I[k, b, 2], +I[k, a, 1]      pending {2: [b], 1: [a]}
 * watermark 2                   match a@1 then b@2 → +I[k, <measures>]; state cleared
 * +I[k, a, 1]                   late (1 ≤ watermark 2): dropped
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type NonPartitionedContext,
  type OneInputEventTimeStreamProcessFunction,
  type PartitionedContext,
  StateDeclarations,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { MatchEvaluator } from "./match-evaluation.ts";
import type { MatchRecognizeSpec } from "./match-specs.ts";
import { type BufferNode, emptyNfaState, isNfaStateEmpty, MatchAutomaton, type NfaState } from "./nfa.ts";

/** One partition's state: plain data, so snapshots keep it whole. */
interface MatchPartition {
  /** Event time only: rows waiting for the watermark, by their time. */
  readonly pending: Map<number, Row[]>;
  /** Matching order of the next row (Flink's event id). */
  nextSeq: number;
  readonly nfa: NfaState;
}

interface StateHandle {
  value(): MatchPartition | undefined;
  update(value: MatchPartition): void;
  clear(): void;
}

export class MatchRecognizeFunction implements OneInputEventTimeStreamProcessFunction<RowData, RowData> {
  readonly #spec: MatchRecognizeSpec;
  readonly #state: ValueStateDeclaration<MatchPartition>;
  readonly #automaton: MatchAutomaton;
  readonly #evaluator: MatchEvaluator;
  #eventTime: EventTimeManager | undefined;
  /** The clock of the record or timer being handled (for MATCH_PROCTIME and conditions). */
  #now = 0;

  constructor(spec: MatchRecognizeSpec) {
    this.#spec = spec;
    this.#state = StateDeclarations.value<MatchPartition>("match-recognize-partition");
    this.#evaluator = new MatchEvaluator(spec.pattern, spec.timeIndex);
    const { conditions } = spec;
    this.#automaton = new MatchAutomaton(
      spec.pattern,
      (element, row, matched) => {
        const condition = conditions[element];
        return condition == null || this.#evaluator.test(condition, element, row, matched, this.#now);
      },
      spec.skip,
      spec.withinMs,
    );
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("MATCH_RECOGNIZE takes only insert-only input, but received an update or delete");
    }
    const state = ctx.stateManager.getState(this.#state);
    if (this.#spec.timeKind === "proctime") {
      const now = ctx.processingTimeManager.currentTime();
      this.#now = now;
      const partition = state.value() ?? newPartition();
      const emit = this.#emitter(output);
      this.#automaton.advanceTime(partition.nfa, now, emit);
      this.#automaton.process(
        partition.nfa,
        { seq: partition.nextSeq++, time: now, row: record.fields },
        emit,
      );
      const timeout = this.#automaton.nextTimeout(partition.nfa);
      if (timeout !== null) ctx.processingTimeManager.registerTimer(timeout);
      this.#store(state, partition);
      return;
    }
    const time = record.fields[this.#spec.timeIndex];
    if (typeof time !== "number") return; // a rowtime is never NULL; nothing to order by
    if (time <= (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)) return; // late
    const partition = state.value() ?? newPartition();
    const waiting = partition.pending.get(time);
    if (waiting === undefined) {
      partition.pending.set(time, [record.fields]);
      this.#eventTime?.registerTimer(time);
    } else waiting.push(record.fields);
    state.update(partition);
  }

  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const partition = state.value();
    if (partition === undefined) return;
    this.#now = ctx.processingTimeManager.currentTime();
    const emit = this.#emitter(output);
    const rows = partition.pending.get(timestamp);
    if (rows !== undefined) {
      partition.pending.delete(timestamp);
      const compare = this.#spec.compareRows;
      if (compare !== null && rows.length > 1) rows.sort(compare);
      for (const row of rows) {
        this.#automaton.process(partition.nfa, { seq: partition.nextSeq++, time: timestamp, row }, emit);
      }
    }
    this.#automaton.advanceTime(partition.nfa, timestamp, emit);
    const timeout = this.#automaton.nextTimeout(partition.nfa);
    if (timeout !== null && timeout > timestamp) this.#eventTime?.registerTimer(timeout);
    this.#store(state, partition);
  }

  onProcessingTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const partition = state.value();
    if (partition === undefined) return;
    this.#now = timestamp;
    this.#automaton.advanceTime(partition.nfa, timestamp, this.#emitter(output));
    const timeout = this.#automaton.nextTimeout(partition.nfa);
    if (timeout !== null && timeout > timestamp) ctx.processingTimeManager.registerTimer(timeout);
    this.#store(state, partition);
  }

  endInput(_ctx: NonPartitionedContext<RowData>): void {}

  #emitter(output: Collector<RowData>): (match: readonly BufferNode[]) => void {
    const { partitionKey, measures } = this.#spec;
    return (match) => {
      const first = match[0]!.event.row;
      const fields = new Array<SqlValue>(partitionKey.length + measures.length);
      for (let i = 0; i < partitionKey.length; i++) fields[i] = first[partitionKey[i]!] ?? null;
      for (let m = 0; m < measures.length; m++) {
        fields[partitionKey.length + m] = this.#evaluator.measure(measures[m]!, match, this.#now);
      }
      output.collect({ kind: RowKind.INSERT, fields });
    };
  }

  /** Writes the partition back, or frees it when nothing is pending, partial or held. */
  #store(state: StateHandle, partition: MatchPartition): void {
    if (partition.pending.size === 0 && isNfaStateEmpty(partition.nfa)) state.clear();
    else state.update(partition);
  }
}

function newPartition(): MatchPartition {
  return { pending: new Map(), nextSeq: 0, nfa: emptyNfaState() };
}
