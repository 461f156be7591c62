/**
 * Test job for idleness. Two source subtasks: subtask 0 emits events at times 0..2999, paced, and
 * is never idle; subtask 1 stays silent. Downstream, 100 ms tumbling counts fire from event timers.
 * Event time can only pass 899 if the silent subtask is declared idle; when the window ending at
 * 899 fires, the job flips a shared flag and subtask 1 emits 100 events at 5000..5099 — it rejoins
 * while subtask 0 is still running, and its events must be on time. Subtask 0 ends only after the
 * window operator has seen the rejoined subtask's data, so its end (event time +Infinity) cannot
 * overtake the rejoin.
 */

import {
  defineJob,
  EventTimeExtension,
  type EventTimeManager,
  InputStatus,
  type ReaderOutput,
  Sinks,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  StateDeclarations,
} from "@weir/api";
import { splitlessSource } from "./splitless-source.ts";

export const COUNTS = Sinks.collect<{ windowEnd: number; count: number }>("counts");
/** Int32 slots: [0] phase (0, then 1 once the window at 899 fired); [1] subtask 1's data arrived. */
export const PHASE = 0;
export const REJOINED = 1;
export const LAST = 2999;
export const REJOIN_AT = 5000;

class PhasedReader implements SourceReader<number, SourceSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #flags: Int32Array;
  #next = 0;

  constructor(ctx: SourceReaderContext, flags: Int32Array) {
    this.#ctx = ctx;
    this.#flags = flags;
  }

  start(): void {}

  pollNext(output: ReaderOutput<number>): InputStatus {
    if (this.#ctx.indexOfSubtask === 0) {
      // Ten events per poll, then a pause: slow enough that the rejoin happens mid-stream.
      for (let n = 0; n < 10 && this.#next <= LAST; n++) output.collect(this.#next++);
      if (this.#next <= LAST) return InputStatus.NOTHING_AVAILABLE;
      return Atomics.load(this.#flags, REJOINED) === 1
        ? InputStatus.END_OF_INPUT
        : InputStatus.NOTHING_AVAILABLE;
    }
    if (Atomics.load(this.#flags, PHASE) === 0) return InputStatus.NOTHING_AVAILABLE;
    for (let t = REJOIN_AT; t < REJOIN_AT + 100; t++) output.collect(t);
    return InputStatus.END_OF_INPUT;
  }

  isAvailable(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 1));
  }

  addSplits(): void {}
  notifyNoMoreSplits(): void {}
  snapshotState(): readonly SourceSplit[] {
    return [];
  }
  close(): void {}
}

function phasedSource(flags: Int32Array): Source<number, SourceSplit, null> {
  return splitlessSource((ctx) => new PhasedReader(ctx, flags));
}

const COUNT_BY_END = StateDeclarations.map<number, number>("count-by-window-end");

export default defineJob((env, params: { flags: SharedArrayBuffer; idlenessMs: number }) => {
  const flags = new Int32Array(params.flags);
  let time: EventTimeManager;
  env
    .fromSource(phasedSource(flags), "Phased source")
    .withParallelism(2)
    .process(
      EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)
        .withIdleness(params.idlenessMs)
        .periodicWatermark(5)
        .buildAsProcessFunction(),
    )
    .withParallelism(2)
    .keyBy(() => "all")
    .process(
      EventTimeExtension.wrapProcessFunction<number, { windowEnd: number; count: number }, string>({
        usesStates: () => [COUNT_BY_END],
        initEventTimeProcessFunction(manager) {
          time = manager;
        },
        processRecord(n, _out, ctx) {
          if (time.recordTimestamp() <= time.currentTime()) throw new Error(`late record ${n}`);
          if (n >= REJOIN_AT) Atomics.store(flags, REJOINED, 1);
          const end = Math.floor(n / 100) * 100 + 99;
          const counts = ctx.stateManager.getState(COUNT_BY_END);
          counts.put(end, (counts.get(end) ?? 0) + 1);
          time.registerTimer(end);
        },
        onEventTimer(end, out, ctx) {
          const counts = ctx.stateManager.getState(COUNT_BY_END);
          out.collect({ windowEnd: end, count: counts.get(end) ?? 0 });
          counts.remove(end);
          // Event time passed 899 although subtask 1 never said a word: it was idle. Let it rejoin.
          if (end === 899) Atomics.store(flags, PHASE, 1);
        },
      }),
    )
    .withParallelism(1)
    .toSink(COUNTS);
});
