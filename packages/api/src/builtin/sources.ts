/**
 * Built-in sources, written against the public split-based source interface only: an in-memory
 * collection (bounded) and a generator (bounded with `count`, unbounded without, optionally
 * rate-limited). Each parallel reader owns one split, so output order per subtask is deterministic.
 * @module
 */

import {
  Boundedness,
  InputStatus,
  type ReaderOutput,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from "../source.ts";

/** A split that covers one subtask's share of an index sequence. @public */
export interface IndexRangeSplit extends SourceSplit {
  /** Next index to emit. */
  readonly next: number;
  /** Exclusive end; `Infinity` for unbounded generators. */
  readonly end: number;
  /** Distance between consecutive indexes of this split. */
  readonly step: number;
}

/** Enumerator state: the splits not yet handed out. @public */
export interface IndexRangeEnumeratorState {
  readonly pending: readonly IndexRangeSplit[];
}

/**
 * Hands split `i` to subtask `i`: one split per reader, created up front.
 * Subtask `i` of `p` covers indexes `i, i+p, i+2p, …` below `end`.
 */
class OneSplitPerReaderEnumerator implements SplitEnumerator<IndexRangeSplit, IndexRangeEnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<IndexRangeSplit>;
  readonly #pending = new Map<number, IndexRangeSplit>();

  constructor(ctx: SplitEnumeratorContext<IndexRangeSplit>, pending: readonly IndexRangeSplit[]) {
    this.#ctx = ctx;
    for (const split of pending) this.#pending.set(Number(split.splitId), split);
  }

  start(): void {}
  addReader(): void {}

  handleSplitRequest(subtask: number): void {
    const split = this.#pending.get(subtask);
    if (split !== undefined) {
      this.#pending.delete(subtask);
      this.#ctx.assignSplits(subtask, [split]);
    }
    this.#ctx.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly IndexRangeSplit[]): void {
    for (const split of splits) this.#pending.set(Number(split.splitId), split);
  }

  snapshotState(): IndexRangeEnumeratorState {
    return { pending: [...this.#pending.values()] };
  }

  close(): void {}
}

function initialSplits(parallelism: number, end: number): IndexRangeSplit[] {
  const splits: IndexRangeSplit[] = [];
  for (let i = 0; i < parallelism; i++) splits.push({ splitId: String(i), next: i, end, step: parallelism });
  return splits;
}

/**
 * Reads index-range splits, turning each index into a record with `produce`. Optional rate limit
 * per reader, in records per second.
 */
class IndexRangeReader<T> implements SourceReader<T, IndexRangeSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #produce: (index: number) => T;
  readonly #ratePerReader: number;
  #splits: { splitId: string; next: number; end: number; step: number }[] = [];
  #noMoreSplits = false;
  #startedAt = 0;
  #emitted = 0;

  constructor(ctx: SourceReaderContext, produce: (index: number) => T, recordsPerSecond: number) {
    this.#ctx = ctx;
    this.#produce = produce;
    this.#ratePerReader = recordsPerSecond / ctx.parallelism;
  }

  start(): void {
    this.#startedAt = this.#ctx.currentTime();
    this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly IndexRangeSplit[]): void {
    for (const s of splits) this.#splits.push({ splitId: s.splitId, next: s.next, end: s.end, step: s.step });
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
  }

  /** How many records the rate limit allows right now (the batch hint when unlimited). */
  #allowance(): number {
    const hint = this.#ctx.batchSizeHint;
    if (!Number.isFinite(this.#ratePerReader)) return hint;
    const elapsed = this.#ctx.currentTime() - this.#startedAt;
    const due = Math.floor((elapsed / 1000) * this.#ratePerReader) + 1 - this.#emitted;
    return Math.max(0, Math.min(hint, due));
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    const split = this.#splits[0];
    if (split === undefined)
      return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    const allowance = this.#allowance();
    if (allowance === 0) return InputStatus.NOTHING_AVAILABLE;
    const produce = this.#produce;
    let next = split.next;
    const { end, step } = split;
    let n = 0;
    while (n < allowance && next < end) {
      output.collect(produce(next));
      next += step;
      n++;
    }
    split.next = next;
    this.#emitted += n;
    if (next >= end) this.#splits.shift();
    if (this.#splits.length > 0) return InputStatus.MORE_AVAILABLE;
    return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    if (this.#splits.length === 0 || !Number.isFinite(this.#ratePerReader)) {
      // Waiting for a split assignment: the runtime polls again when one arrives.
      return new Promise((resolve) => setTimeout(resolve, 1));
    }
    const dueAt = this.#startedAt + ((this.#emitted + 1) / this.#ratePerReader) * 1000;
    const wait = Math.max(0, dueAt - this.#ctx.currentTime());
    return new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000)));
  }

  snapshotState(): readonly IndexRangeSplit[] {
    return this.#splits.map((s) => ({ splitId: s.splitId, next: s.next, end: s.end, step: s.step }));
  }

  close(): void {}
}

/** Options of {@link Sources.generator}. @public */
export interface GeneratorOptions {
  /** Total records across all subtasks; omit for an unbounded source. */
  readonly count?: number;
  /** Upper bound on records per second across all subtasks; default unlimited. */
  readonly recordsPerSecond?: number;
}

class IndexRangeSource<T> implements Source<T, IndexRangeSplit, IndexRangeEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly #produce: (index: number) => T;
  readonly #end: number;
  readonly #recordsPerSecond: number;

  constructor(produce: (index: number) => T, end: number, recordsPerSecond: number) {
    this.#produce = produce;
    this.#end = end;
    this.#recordsPerSecond = recordsPerSecond;
    this.boundedness = Number.isFinite(end) ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  createEnumerator(ctx: SplitEnumeratorContext<IndexRangeSplit>) {
    return new OneSplitPerReaderEnumerator(ctx, initialSplits(ctx.parallelism, this.#end));
  }

  restoreEnumerator(ctx: SplitEnumeratorContext<IndexRangeSplit>, state: IndexRangeEnumeratorState) {
    return new OneSplitPerReaderEnumerator(ctx, state.pending);
  }

  createReader(ctx: SourceReaderContext) {
    return new IndexRangeReader(ctx, this.#produce, this.#recordsPerSecond);
  }
}

function checkCount(what: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/**
 * Factories for the built-in sources.
 * @public
 */
export const Sources = {
  /**
   * A bounded source over an array; subtask `i` of `p` reads items `i, i+p, …` in order.
   * The array must be the same in every copy of the job module (pass data through job params).
   */
  collection<T>(items: readonly T[]): Source<T, IndexRangeSplit, IndexRangeEnumeratorState> {
    const copy = [...items];
    return new IndexRangeSource((index) => copy[index] as T, copy.length, Number.POSITIVE_INFINITY);
  },
  /**
   * Records `generate(0), generate(1), …`, bounded when `count` is given. `generate` must be a pure
   * function of the index so that replays after a failure produce the same records.
   */
  generator<T>(
    generate: (index: number) => T,
    options: GeneratorOptions = {},
  ): Source<T, IndexRangeSplit, IndexRangeEnumeratorState> {
    const count = checkCount("generator count", options.count, Number.POSITIVE_INFINITY);
    const rate = checkCount("generator recordsPerSecond", options.recordsPerSecond, Number.POSITIVE_INFINITY);
    if (rate === 0) throw new RangeError("generator recordsPerSecond must be positive");
    return new IndexRangeSource(generate, count, rate);
  },
} as const;
