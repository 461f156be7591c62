/**
 * A bounded source that emits a fixed list of records in order from subtask 0 alone, for sources
 * whose records form a changelog (the `values` connector).
 *
 * Why not `Sources.collection` at parallelism 1: the next operator runs at the job's parallelism,
 * and a parallelism change between them is a round-robin exchange, which lets a `-U` overtake the
 * `+I` it retracts. Running at the job's parallelism with every record on subtask 0 keeps the
 * source's outputs forward-connected, so the order holds up to the first keyed exchange, and that
 * exchange keeps the order of each key.
 *
 * Invariant: the single split is `{ next }`, the index of the next record to emit, so a restore
 * resumes exactly after what the last checkpoint covered.
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
} from "@weir/api";

interface OrderedSplit extends SourceSplit {
  readonly next: number;
}

interface OrderedEnumeratorState {
  /** The split while no reader holds it. */
  readonly pending: OrderedSplit | null;
}

class OrderedEnumerator implements SplitEnumerator<OrderedSplit, OrderedEnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<OrderedSplit>;
  #pending: OrderedSplit | null;

  constructor(ctx: SplitEnumeratorContext<OrderedSplit>, pending: OrderedSplit | null) {
    this.#ctx = ctx;
    this.#pending = pending;
  }

  start(): void {}
  addReader(): void {}

  handleSplitRequest(subtask: number): void {
    if (subtask === 0 && this.#pending !== null) {
      this.#ctx.assignSplits(0, [this.#pending]);
      this.#pending = null;
    }
    this.#ctx.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly OrderedSplit[]): void {
    if (splits[0] !== undefined) this.#pending = splits[0];
  }

  snapshotState(): OrderedEnumeratorState {
    return { pending: this.#pending };
  }

  close(): void {}
}

class OrderedReader<T> implements SourceReader<T, OrderedSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #records: readonly T[];
  #next = -1;
  #noMoreSplits = false;

  constructor(ctx: SourceReaderContext, records: readonly T[]) {
    this.#ctx = ctx;
    this.#records = records;
  }

  start(): void {
    this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly OrderedSplit[]): void {
    if (splits[0] !== undefined) this.#next = splits[0].next;
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    const records = this.#records;
    if (this.#next >= 0 && this.#next < records.length) {
      const end = Math.min(records.length, this.#next + this.#ctx.batchSizeHint);
      for (let i = this.#next; i < end; i++) output.collect(records[i]!);
      this.#next = end;
      if (end < records.length) return InputStatus.MORE_AVAILABLE;
    }
    return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    // Only waited on before the split request is answered: poll again shortly.
    return new Promise((resolve) => setTimeout(resolve, 1));
  }

  snapshotState(): readonly OrderedSplit[] {
    return this.#next < 0 ? [] : [{ splitId: "0", next: this.#next }];
  }

  close(): void {}
}

/** A bounded source of `records`, all emitted in order by subtask 0 (see the module doc). */
export function orderedRowsSource<T>(records: readonly T[]): Source<T, OrderedSplit, OrderedEnumeratorState> {
  return {
    boundedness: Boundedness.BOUNDED,
    createEnumerator: (ctx) => new OrderedEnumerator(ctx, { splitId: "0", next: 0 }),
    restoreEnumerator: (ctx, state) => new OrderedEnumerator(ctx, state.pending),
    createReader: (ctx) => new OrderedReader(ctx, records),
  };
}
