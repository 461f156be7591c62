/**
 * The pattern automaton of MATCH_RECOGNIZE, with Flink CEP's semantics: partial matches advance
 * row by row, completed matches come out in the order of their first rows, and the AFTER MATCH
 * SKIP strategy prunes what overlaps an emitted match.
 *
 * A state of the automaton is (pattern element, rows taken by it). For each row and each partial
 * match (plus the ever-present start state) the automaton explores, as Flink's decision graph:
 * - TAKE: the element takes the row if it has room (`count < max`) and its condition holds;
 * - PROCEED: once the element has its minimum, the next element may try the same row — unless the
 *   element is greedy and could take the row itself (greedy loops do not give rows up);
 * - a take that leaves the element satisfied, with only optional, non-greedy elements after it,
 *   completes a match that ends at this row (Flink's "final state after proceed").
 * Partial matches that take nothing die (SQL patterns are strictly contiguous).
 *
 * Invariants:
 * - `partials` are ordered by their first row (`startSeq`), and a completed match is emitted only
 *   when no partial match started before it: one that did could still complete and comes first
 *   (ties go to the completed match, as Flink's comparator does);
 * - the shared buffer is the linked {@link BufferNode}s: partial matches with a common prefix share
 *   its nodes, and a row is referenced only while a partial or held match contains it;
 * - everything is plain data (no classes, no functions), so keyed-state snapshots keep it whole.
 *
 * Worked sequence, `PATTERN (A B+? C)` with A: x = 'a', B: x = 'b', C: x = 'c', SKIP PAST LAST ROW:
 * ```text
 * a1  partials [A(a1)]
 * b2  partials [A B(a1 b2)]
 * b3  partials [A B B(a1 b2 b3)]            (reluctant: C is tried too, but b3 is no C)
 * c4  completed [a1 b2 b3 c4] → emitted; partials started at or before c4 pruned
 * ```
 * @module
 */

import type { Row } from "../../data/row.ts";
import type { PatternElement, SkipStrategy } from "./match-specs.ts";

/** A row as the automaton sees it: its position in the partition's matching order and its time. */
export interface MatchEvent {
  readonly seq: number;
  readonly time: number;
  readonly row: Row;
}

/** One row mapped to one pattern element, linked to the row before it in the match. */
export interface BufferNode {
  readonly event: MatchEvent;
  readonly element: number;
  readonly previous: BufferNode | null;
}

export interface PartialMatch {
  readonly element: number;
  /** Rows taken by `element` so far (≥ 1). */
  readonly count: number;
  readonly last: BufferNode;
  readonly startSeq: number;
  readonly startTime: number;
}

export interface CompletedMatch {
  readonly last: BufferNode;
  readonly startSeq: number;
}

/** One partition's automaton state. */
export interface NfaState {
  partials: PartialMatch[];
  /** Completed matches held back until no earlier-started partial match remains. */
  completed: CompletedMatch[];
}

/**
 * The DEFINE condition of `element` for `row`, given the rows matched before it (oldest first).
 */
export type ElementCondition = (element: number, row: Row, matched: readonly BufferNode[]) => boolean;

/** A runtime failure of the skip strategy, with Flink's message. */
export class MatchSkipError extends Error {
  override readonly name = "MatchSkipError";
}

const EMPTY: BufferNode[] = [];

export function emptyNfaState(): NfaState {
  return { partials: [], completed: [] };
}

export function isNfaStateEmpty(state: NfaState): boolean {
  return state.partials.length === 0 && state.completed.length === 0;
}

/** The rows of a match or partial match, oldest first. */
export function nodesOf(last: BufferNode | null): BufferNode[] {
  const nodes: BufferNode[] = [];
  for (let n = last; n !== null; n = n.previous) nodes.push(n);
  return nodes.reverse();
}

export class MatchAutomaton {
  readonly #pattern: readonly PatternElement[];
  readonly #condition: ElementCondition;
  readonly #skip: SkipStrategy;
  readonly #withinMs: number | null;
  readonly #skipElement: number;
  /** Per element: true when it can end a match (it and all after it may stop there). */
  readonly #finishable: boolean[];

  constructor(
    pattern: readonly PatternElement[],
    condition: ElementCondition,
    skip: SkipStrategy,
    withinMs: number | null,
  ) {
    this.#pattern = pattern;
    this.#condition = condition;
    this.#skip = skip;
    this.#withinMs = withinMs;
    this.#skipElement =
      skip.kind === "to-first" || skip.kind === "to-last"
        ? pattern.findIndex((e) => e.variable === skip.variable)
        : -1;
    this.#tested = new Array<boolean | undefined>(pattern.length);
    this.#finishable = pattern.map((_, j) => {
      for (let m = j + 1; m < pattern.length; m++) {
        if (pattern[m]!.min > 0 || pattern[m]!.greedy) return false;
      }
      return true;
    });
  }

  /** Feeds one row (in matching order); `emit` receives each match released, oldest row first. */
  process(state: NfaState, event: MatchEvent, emit: (match: readonly BufferNode[]) => void): void {
    const next: PartialMatch[] = [];
    const completed: CompletedMatch[] = [];
    const within = this.#withinMs;
    for (const partial of state.partials) {
      if (within !== null && event.time - partial.startTime >= within) continue; // timed out
      this.#step(partial, event, next, completed);
    }
    this.#step(null, event, next, completed);
    this.#release(state, next, completed, emit);
  }

  /** The clock reached `time`: partial matches older than WITHIN are dropped, held matches may go out. */
  advanceTime(state: NfaState, time: number, emit: (match: readonly BufferNode[]) => void): void {
    const within = this.#withinMs;
    if (within === null) return;
    const alive = state.partials.filter((p) => time - p.startTime < within);
    if (alive.length === state.partials.length && state.completed.length === 0) return;
    this.#release(state, alive, [], emit);
  }

  /** The earliest time at which a partial match of `state` times out, or null. */
  nextTimeout(state: NfaState): number | null {
    if (this.#withinMs === null || state.partials.length === 0) return null;
    let earliest = Number.POSITIVE_INFINITY;
    for (const p of state.partials) earliest = Math.min(earliest, p.startTime);
    return earliest + this.#withinMs;
  }

  // Scratch of the step being computed: set by #step, read by #visit/#take/#test (no closures
  // or arrays allocated per row and partial match beyond the new states themselves).
  #partial: PartialMatch | null = null;
  #event: MatchEvent | null = null;
  #matched: BufferNode[] | null = null;
  #next: PartialMatch[] = [];
  #completed: CompletedMatch[] = [];
  readonly #tested: (boolean | undefined)[];

  #step(
    partial: PartialMatch | null,
    event: MatchEvent,
    next: PartialMatch[],
    completed: CompletedMatch[],
  ): void {
    this.#partial = partial;
    this.#event = event;
    this.#matched = partial === null ? EMPTY : null;
    this.#next = next;
    this.#completed = completed;
    this.#tested.fill(undefined);
    if (partial === null) this.#visit(0, 0);
    else this.#visit(partial.element, partial.count);
    this.#partial = null;
    this.#event = null;
    this.#matched = null;
  }

  #test(element: number): boolean {
    let result = this.#tested[element];
    if (result === undefined) {
      // The rows matched so far are materialized once per partial match and row, and only when a
      // condition is evaluated.
      this.#matched ??= nodesOf(this.#partial!.last);
      result = this.#condition(element, this.#event!.row, this.#matched);
      this.#tested[element] = result;
    }
    return result;
  }

  #visit(element: number, count: number): void {
    const e = this.#pattern[element]!;
    const canTake = (e.max === null || count < e.max) && this.#test(element);
    if (canTake) this.#take(element, count + 1);
    if (count >= e.min && element + 1 < this.#pattern.length && !(e.greedy && canTake))
      this.#visit(element + 1, 0);
  }

  #take(element: number, count: number): void {
    const partial = this.#partial;
    const event = this.#event!;
    const last: BufferNode = { event, element, previous: partial?.last ?? null };
    const startSeq = partial?.startSeq ?? event.seq;
    const startTime = partial?.startTime ?? event.time;
    const e = this.#pattern[element]!;
    const roomLeft = e.max === null || count < e.max;
    if (count >= e.min && !(e.greedy && roomLeft) && this.#finishable[element]) {
      this.#completed.push({ last, startSeq });
    }
    if (roomLeft || element + 1 < this.#pattern.length) {
      this.#next.push({ element, count, last, startSeq, startTime });
    }
  }

  #release(
    state: NfaState,
    partials: PartialMatch[],
    newlyCompleted: readonly CompletedMatch[],
    emit: (match: readonly BufferNode[]) => void,
  ): void {
    let held = state.completed;
    if (newlyCompleted.length > 0) {
      held = [...held, ...newlyCompleted];
      held.sort((a, b) => a.startSeq - b.startSeq); // stable: ties keep completion order
    }
    while (held.length > 0) {
      const earliest = held[0]!;
      const firstPartial = partials[0];
      if (firstPartial !== undefined && earliest.startSeq > firstPartial.startSeq) break;
      held = held.slice(1);
      const nodes = nodesOf(earliest.last);
      const prune = this.#pruning(nodes);
      partials = partials.filter((p) => !prune(p.startSeq));
      held = held.filter((m) => !prune(m.startSeq));
      emit(nodes);
    }
    state.partials = partials;
    state.completed = held;
  }

  /** Which starts the skip strategy discards after `match` (Flink's AfterMatchSkipStrategy.prune). */
  #pruning(match: readonly BufferNode[]): (startSeq: number) => boolean {
    const skip = this.#skip;
    switch (skip.kind) {
      case "past-last-row": {
        const last = match[match.length - 1]!.event.seq;
        return (start) => start <= last;
      }
      case "to-next-row": {
        const first = match[0]!.event.seq;
        return (start) => start <= first;
      }
      case "to-first":
      case "to-last": {
        const rows = match.filter((n) => n.element === this.#skipElement);
        if (rows.length === 0) {
          throw new MatchSkipError(
            `Could not skip to ${skip.variable}. No such element in the found match ${describeMatch(match, this.#pattern)}`,
          );
        }
        const target = (skip.kind === "to-first" ? rows[0]! : rows[rows.length - 1]!).event.seq;
        if (target === match[0]!.event.seq)
          throw new MatchSkipError("Could not skip to first element of a match.");
        return (start) => start < target;
      }
    }
  }
}

/** `{A=[[a, 1]], B=[[b, 2], [b, 3]]}`, as Flink prints a match in its skip errors. */
function describeMatch(match: readonly BufferNode[], pattern: readonly PatternElement[]): string {
  const parts = pattern.flatMap((e, i) => {
    const rows = match.filter((n) => n.element === i).map((n) => `[${n.event.row.map(String).join(", ")}]`);
    return rows.length === 0 ? [] : [`${e.variable}=[${rows.join(", ")}]`];
  });
  return `{${parts.join(", ")}}`;
}
