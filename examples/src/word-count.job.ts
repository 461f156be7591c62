/**
 * Word count over a bounded collection: split lines into words, key by word, keep a running count
 * per word in keyed state, and emit the final count of each word when the input ends.
 *
 * Run it: `npx weir run examples/src/word-count.job.ts --parallelism 2`
 */

import { defineJob, type OneInputStreamProcessFunction, Sinks, StateDeclarations } from "@weir/api";

export const DEFAULT_LINES = [
  "To be, or not to be, that is the question:",
  "Whether 'tis nobler in the mind to suffer",
  "The slings and arrows of outrageous fortune,",
  "Or to take arms against a sea of troubles",
  "And by opposing end them. To die-to sleep,",
  "No more; and by a sleep to say we end",
];

export interface WordCountParams {
  /** Lines to count; defaults to a few lines of Hamlet. */
  readonly lines?: readonly string[];
  /** Collect the result instead of printing it (tests read it from the job result). */
  readonly collect?: boolean;
}

export interface WordCount {
  readonly word: string;
  readonly count: number;
}

const COUNT = StateDeclarations.value<number>("count");

/** Counts per key and emits each key's final count once its input has ended. */
const countWords: OneInputStreamProcessFunction<string, WordCount, string> = {
  usesStates: () => [COUNT],
  processRecord(_word, _output, ctx) {
    const count = ctx.stateManager.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((output, partition) => {
      const word = partition.stateManager.getCurrentKey();
      output.collect({ word, count: partition.stateManager.getState(COUNT).value() ?? 0 });
    });
  },
};

/** The sink tests read results from. */
export const RESULTS = Sinks.collect<WordCount>("word-counts");

export default defineJob((env, params: WordCountParams | undefined) => {
  const counts = env
    .fromCollection(params?.lines ?? DEFAULT_LINES)
    .withName("Lines")
    .flatMap((line) =>
      line
        .toLowerCase()
        .split(/[^a-z']+/)
        .filter((word) => word.length > 0),
    )
    .keyBy((word) => word)
    .process(countWords)
    .withName("Count words");
  counts.toSink(params?.collect === true ? RESULTS : Sinks.print());
});
