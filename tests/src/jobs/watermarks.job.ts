/**
 * Test job for generalized watermarks. A custom split-based source emits the numbers 0..count-1
 * (subtask i of p emits i, i+p, …) and, after every poll, a "progress" watermark with the last
 * number it emitted. Downstream operators check what watermarks promise: when a combined progress
 * watermark W arrives, every number <= W from every parallel source has already arrived.
 */

import {
  Boundedness,
  defineJob,
  InputStatus,
  type OneInputStreamProcessFunction,
  type ReaderOutput,
  Sinks,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  WatermarkDeclarations,
} from "@weir/api";

export const PROGRESS = WatermarkDeclarations.numeric("progress", {
  combine: "MIN",
  waitForAllChannels: true,
});
export const SCALED = WatermarkDeclarations.numeric("scaled-progress", {
  combine: "MIN",
  waitForAllChannels: true,
});
export const LOCAL_ONLY = WatermarkDeclarations.boolean("local-only", { defaultHandling: "IGNORE" });

export const SEEN = Sinks.collect<{ watermark: string; value: number | boolean; complete: boolean }>("seen");

interface RangeSplit extends SourceSplit {
  readonly next: number;
}

class ProgressReader implements SourceReader<number, RangeSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #count: number;
  #split: { next: number } | undefined;
  #noMore = false;

  constructor(ctx: SourceReaderContext, count: number) {
    this.#ctx = ctx;
    this.#count = count;
  }

  start(): void {
    this.#ctx.sendSplitRequest();
  }

  pollNext(output: ReaderOutput<number>): InputStatus {
    const split = this.#split;
    if (split === undefined) return this.#noMore ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    const step = this.#ctx.parallelism;
    let last = -1;
    for (let n = 0; n < 37 && split.next < this.#count; n++) {
      output.collect(split.next);
      last = split.next;
      split.next += step;
    }
    if (last >= 0) output.emitWatermark(PROGRESS.newWatermark(last));
    if (split.next >= this.#count) {
      this.#split = undefined;
      return this.#noMore ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }
    return InputStatus.MORE_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 1));
  }

  addSplits(splits: readonly RangeSplit[]): void {
    for (const split of splits) this.#split = { next: split.next };
  }

  notifyNoMoreSplits(): void {
    this.#noMore = true;
  }

  snapshotState(): readonly RangeSplit[] {
    return this.#split === undefined
      ? []
      : [{ splitId: String(this.#ctx.indexOfSubtask), next: this.#split.next }];
  }

  close(): void {}
}

function progressSource(count: number): Source<number, RangeSplit, null> {
  return {
    boundedness: Boundedness.BOUNDED,
    declareWatermarks: () => [PROGRESS],
    createEnumerator: (ctx) => ({
      start() {},
      addReader() {},
      handleSplitRequest(subtask) {
        ctx.assignSplits(subtask, [{ splitId: String(subtask), next: subtask }]);
        ctx.signalNoMoreSplits(subtask);
      },
      addSplitsBack() {},
      snapshotState: () => null,
      close() {},
    }),
    restoreEnumerator() {
      throw new Error("not used");
    },
    createReader: (ctx) => new ProgressReader(ctx, count),
  };
}

/** Records which numbers arrived; on each watermark, reports whether all numbers <= it arrived. */
function completenessCheck(): OneInputStreamProcessFunction<
  number,
  { watermark: string; value: number | boolean; complete: boolean },
  never
> {
  const seen = new Set<number>();
  return {
    processRecord(n) {
      seen.add(n);
    },
    onWatermark(watermark, output) {
      let complete = true;
      if (watermark.kind === "numeric") {
        const upTo = watermark.identifier === SCALED.identifier ? watermark.value / 10 : watermark.value;
        for (let i = 0; i <= upTo; i++) if (!seen.has(i)) complete = false;
      }
      output.collect({ watermark: watermark.identifier, value: watermark.value, complete });
      return "PEEK";
    },
  };
}

export default defineJob((env, params: { count: number; scenario: string }) => {
  const numbers = env.fromSource(progressSource(params.count), "Progress source");
  switch (params.scenario) {
    case "combine":
      // Crosses threads twice: a shuffle to an intermediate stage at parallelism 3, then to one subtask.
      numbers
        .shuffle()
        .map((n) => n)
        .withParallelism(3)
        .global()
        .process(completenessCheck())
        .toSink(SEEN);
      return;
    case "poll-and-ignore":
      numbers
        .process<number>({
          declareWatermarks: () => [SCALED, LOCAL_ONLY],
          processRecord(n, out) {
            out.collect(n);
          },
          onWatermark(watermark, _out, ctx) {
            // Take over the progress watermark: send it on scaled by 10, plus one that is ignored.
            ctx.watermarkManager.emitWatermark(SCALED.newWatermark((watermark.value as number) * 10));
            ctx.watermarkManager.emitWatermark(LOCAL_ONLY.newWatermark(true));
            return "POLL";
          },
        })
        .withName("Scaler")
        .process<number>({ processRecord: (n, out) => out.collect(n) })
        .withName("Ignores local-only")
        .global()
        .process(completenessCheck())
        .toSink(SEEN);
      return;
    case "undeclared":
      numbers
        .process<number>({
          processRecord(n, out, ctx) {
            out.collect(n);
            ctx.nonPartitionedContext.watermarkManager.emitWatermark(
              WatermarkDeclarations.numeric("nobody-declared-me").newWatermark(n),
            );
          },
        })
        .withName("Rogue emitter")
        .toSink(Sinks.discard());
      return;
  }
});
