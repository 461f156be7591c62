/**
 * The multi-way join operator (Flink's StreamingMultiJoinOperator): a left-deep chain of INNER and
 * LEFT joins of N inputs on a common key, in one keyed operator. It reads the tagged union of its
 * inputs (`multi-join-spec.ts`) keyed by the common key, and keeps per input, in keyed map state,
 * that input's rows of the key, row → count — nothing else: no intermediate join result.
 *
 * Invariants:
 * - The output is always the chain's join of the current inputs, as a retract changelog: the same
 *   rows, with the same multiplicity, as the binary joins `((I0 ⋈ I1) ⋈ I2) …` would hold.
 * - A change of input `t` by row `r` changes the levels below `t` not at all, so only combinations
 *   of inputs `0..t-1` (recomputed from state: the prefix join of this key) extended by `r` change;
 *   above `t`, a LEFT or INNER join with unchanged inputs maps each changed combination on its own,
 *   so the change is carried up by probing the states of inputs `t+1..N-1`.
 * - At a LEFT join of input `t`, a prefix combination that `r` matches loses its NULL-padded row
 *   when `r` is its first match (-D padded, then +I joined) and gets it back when `r` was its last
 *   (-D joined, then +I padded), as the binary join does.
 * - Output kinds: with a LEFT join anywhere, +I for additions and -D for removals (as the binary
 *   outer join); with INNER joins only, the input's kind passes through (+I/-U/+U/-D).
 * - A retraction of a row that is not stored (e.g. expired by TTL) changes nothing and emits
 *   nothing. Conditions are evaluated whole on each combination (NULL keys never match `=`).
 *
 * Worked example, `a JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k` (rows [k, v]), one key:
 * ```text
 * a +I[1, x]  -> nothing (no b yet)
 * b +I[1, y]  -> +I[1, x, 1, y, null, null]                 (prefix a×b, no c: padded)
 * c +I[1, z]  -> -D[1, x, 1, y, null, null]  +I[1, x, 1, y, 1, z]
 * a +I[1, w]  -> +I[1, w, 1, y, 1, z]                       (carried up through b and c)
 * c -D[1, z]  -> -D[1, x, 1, y, 1, z]  +I[1, x, 1, y, null, null]
 *                -D[1, w, 1, y, 1, z]  +I[1, w, 1, y, null, null]
 * ```
 * Cost: a change of input `t > 0` recomputes the prefix join of its key (the price of keeping no
 * intermediate state, as in Flink); a change of input 0 only probes the inputs above it. No
 * mini-batch: like Flink's multi-way join, every record is joined as it comes.
 * @module
 */

import {
  type Collector,
  type KeyValue,
  type MapState,
  type MapStateDeclaration,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
} from "@weir/api";
import { isAccumulate, type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { requireFullRetractions } from "../input-mode.ts";
import type { RowPredicate } from "../operator-specs.ts";
import { keyOfRow } from "../row-key.ts";
import { stateOptions } from "../state-ttl.ts";
import type { MultiJoinSpec } from "./multi-join-spec.ts";

/** A stored row and how many times it is stored. */
type StoredRow = [row: Row, count: number];

/** A combination of rows of inputs `0..d` (concatenated) and how many times it occurs. */
interface Combination {
  readonly row: Row;
  readonly count: number;
}

export class MultiJoinFunction implements OneInputStreamProcessFunction<RowData, RowData, KeyValue> {
  readonly #rows: readonly MapStateDeclaration<KeyValue, StoredRow>[];
  readonly #leftJoin: readonly boolean[];
  readonly #conditions: readonly RowPredicate[];
  readonly #nulls: readonly Row[];
  readonly #anyOuter: boolean;
  /** This record's key's state of each input, refilled per record (no allocation). */
  readonly #states: MapState<KeyValue, StoredRow>[];

  constructor(spec: MultiJoinSpec) {
    const n = spec.arities.length;
    if (n < 2 || spec.joinTypes.length !== n - 1 || spec.conditions.length !== n - 1) {
      throw new RangeError(
        `multi-way join: ${n} inputs need ${n - 1} join types and conditions, got ${spec.joinTypes.length} and ${spec.conditions.length}`,
      );
    }
    if (spec.inputModes.length !== n) {
      throw new RangeError(`multi-way join: ${n} inputs but ${spec.inputModes.length} input modes`);
    }
    spec.inputModes.forEach((mode, i) => {
      requireFullRetractions(mode, `MultiJoin (input ${i})`);
    });
    const options = stateOptions(spec.stateTtlMs);
    this.#rows = spec.arities.map((_, i) =>
      StateDeclarations.map<KeyValue, StoredRow>(`multi-join-input-${i}`, options),
    );
    // Index d: whether input d joins LEFT (input 0 joins nothing).
    this.#leftJoin = [false, ...spec.joinTypes.map((t) => t === "LEFT")];
    this.#conditions = spec.conditions;
    this.#nulls = spec.arities.map((arity) => new Array<SqlValue>(arity).fill(null));
    this.#anyOuter = spec.joinTypes.includes("LEFT");
    this.#states = new Array<MapState<KeyValue, StoredRow>>(n);
  }

  usesStates(): readonly StateDeclaration[] {
    return this.#rows;
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const input = record.fields[0] as number;
    const row = record.fields[1] as Row;
    const states = this.#states;
    for (let i = 0; i < states.length; i++) states[i] = ctx.stateManager.getState(this.#rows[i]!);
    const accumulate = isAccumulate(record.kind);
    const mine = states[input]!;
    const key = keyOfRow(row);
    const stored = mine.get(key);
    if (!accumulate && stored === undefined) return;
    // With a LEFT join anywhere, additions are +I and removals -D; INNER joins pass the kind on.
    const adds = this.#anyOuter ? RowKind.INSERT : record.kind;
    const removes = this.#anyOuter ? RowKind.DELETE : record.kind;
    const same = accumulate ? adds : removes;
    if (input === 0) {
      this.#carry(1, row, 1, same, states, output);
    } else {
      const condition = this.#conditions[input - 1]!;
      const left = this.#leftJoin[input]!;
      for (const prefix of this.#prefixJoin(input - 1, states)) {
        const joined = prefix.row.concat(row);
        if (!condition(joined)) continue;
        if (!left) {
          this.#carry(input + 1, joined, prefix.count, same, states, output);
          continue;
        }
        // How many stored rows of this input match the prefix now (r included when stored).
        const matches = this.#matchCount(prefix.row, mine, condition);
        if (accumulate) {
          if (matches === 0)
            this.#carry(input + 1, this.#padded(prefix.row, input), prefix.count, removes, states, output);
          this.#carry(input + 1, joined, prefix.count, adds, states, output);
        } else {
          this.#carry(input + 1, joined, prefix.count, removes, states, output);
          if (matches === 1)
            this.#carry(input + 1, this.#padded(prefix.row, input), prefix.count, adds, states, output);
        }
      }
    }
    if (accumulate) mine.put(key, stored === undefined ? [row, 1] : [stored[0], stored[1] + 1]);
    else if (stored![1] <= 1) mine.remove(key);
    else mine.put(key, [stored![0], stored![1] - 1]);
  }

  #padded(prefix: Row, input: number): Row {
    return prefix.concat(this.#nulls[input]!);
  }

  /**
   * Joins `combined` (rows of inputs `0..depth-1`) with inputs `depth..N-1` from state and emits
   * every resulting row `count` times (times the stored counts) as `kind`.
   */
  #carry(
    depth: number,
    combined: Row,
    count: number,
    kind: RowKind,
    states: readonly MapState<KeyValue, StoredRow>[],
    output: Collector<RowData>,
  ): void {
    if (depth === states.length) {
      for (let i = 0; i < count; i++) output.collect({ kind, fields: combined });
      return;
    }
    const condition = this.#conditions[depth - 1]!;
    let matched = false;
    for (const [, [row, stored]] of states[depth]!.entries()) {
      const joined = combined.concat(row);
      if (!condition(joined)) continue;
      matched = true;
      this.#carry(depth + 1, joined, count * stored, kind, states, output);
    }
    if (!matched && this.#leftJoin[depth]!) {
      this.#carry(depth + 1, combined.concat(this.#nulls[depth]!), count, kind, states, output);
    }
  }

  /** The current join of inputs `0..last` for this key, from state. */
  #prefixJoin(last: number, states: readonly MapState<KeyValue, StoredRow>[]): Combination[] {
    let combinations: Combination[] = [];
    for (const [, [row, count]] of states[0]!.entries()) combinations.push({ row, count });
    for (let d = 1; d <= last && combinations.length > 0; d++) {
      const condition = this.#conditions[d - 1]!;
      const rows = [...states[d]!.values()];
      const next: Combination[] = [];
      for (const combination of combinations) {
        let matched = false;
        for (const [row, count] of rows) {
          const joined = combination.row.concat(row);
          if (!condition(joined)) continue;
          matched = true;
          next.push({ row: joined, count: combination.count * count });
        }
        if (!matched && this.#leftJoin[d]!) {
          next.push({ row: combination.row.concat(this.#nulls[d]!), count: combination.count });
        }
      }
      combinations = next;
    }
    return combinations;
  }

  #matchCount(prefix: Row, rows: MapState<KeyValue, StoredRow>, condition: RowPredicate): number {
    let total = 0;
    for (const [, [row, count]] of rows.entries()) if (condition(prefix.concat(row))) total += count;
    return total;
  }
}
