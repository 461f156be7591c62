/**
 * The Nexmark generator as a split-based source (DataStream API): split i is generator i of the
 * reference's contiguous-block split, read by subtask i; a split's position is the number of
 * events it has emitted, so a checkpoint restores each generator at exactly the next event.
 *
 * Records carry their event time (`dateTime`) as timestamp. By default the source emits as fast
 * as it can (the reference's `max-emit-speed = true`); with `paced: true` it follows the event
 * timeline in wall-clock time.
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
import type { NexmarkEvent } from "./generator/events.ts";
import {
  DEFAULT_NEXMARK_CONFIG,
  type NexmarkConfig,
  splitGenerators,
  validateNexmarkConfig,
} from "./generator/generator-config.ts";
import { NexmarkGenerator } from "./generator/nexmark-generator.ts";

export interface NexmarkSplit extends SourceSplit {
  readonly index: number;
  readonly firstEventId: number;
  readonly maxEvents: number;
  /** Events emitted so far: the next event number to generate. */
  readonly emitted: number;
}

export interface NexmarkEnumeratorState {
  readonly pending: readonly NexmarkSplit[];
}

export interface NexmarkSourceOptions extends Partial<NexmarkConfig> {
  /** Follow the event timeline in wall-clock time instead of emitting at full speed. */
  readonly paced?: boolean;
}

/** A Nexmark source producing `T` from each event (the identity for {@link nexmarkSource}). */
export class NexmarkSource<T> implements Source<T, NexmarkSplit, NexmarkEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly #options: NexmarkSourceOptions;
  readonly #convert: (event: NexmarkEvent) => T;

  constructor(options: NexmarkSourceOptions, convert: (event: NexmarkEvent) => T) {
    validateNexmarkConfig({ ...DEFAULT_NEXMARK_CONFIG, ...options });
    this.#options = options;
    this.#convert = convert;
    this.boundedness = (options.eventsNum ?? 0) > 0 ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  /** The configuration at a given source parallelism (generators share the event rate). */
  configFor(parallelism: number): NexmarkConfig {
    return { ...DEFAULT_NEXMARK_CONFIG, numEventGenerators: parallelism, ...this.#options };
  }

  createEnumerator(
    ctx: SplitEnumeratorContext<NexmarkSplit>,
  ): SplitEnumerator<NexmarkSplit, NexmarkEnumeratorState> {
    const splits = splitGenerators(this.configFor(ctx.parallelism), ctx.parallelism).map(
      (range): NexmarkSplit => ({ splitId: `nexmark-${range.index}`, ...range, emitted: 0 }),
    );
    return new NexmarkEnumerator(ctx, splits);
  }

  restoreEnumerator(
    ctx: SplitEnumeratorContext<NexmarkSplit>,
    state: NexmarkEnumeratorState,
  ): SplitEnumerator<NexmarkSplit, NexmarkEnumeratorState> {
    return new NexmarkEnumerator(ctx, state.pending);
  }

  createReader(ctx: SourceReaderContext): SourceReader<T, NexmarkSplit> {
    return new NexmarkReader(
      ctx,
      this.configFor(ctx.parallelism),
      this.#convert,
      this.#options.paced === true,
    );
  }
}

/** Hands split i to subtask i (or to whoever asks first after a rescale). */
class NexmarkEnumerator implements SplitEnumerator<NexmarkSplit, NexmarkEnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<NexmarkSplit>;
  readonly #pending: NexmarkSplit[];

  constructor(ctx: SplitEnumeratorContext<NexmarkSplit>, pending: readonly NexmarkSplit[]) {
    this.#ctx = ctx;
    this.#pending = [...pending];
  }

  start(): void {}
  addReader(): void {}

  handleSplitRequest(subtask: number): void {
    const assigned: NexmarkSplit[] = [];
    // A reader takes every split that maps to it; after a rescale one reader may own several.
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const split = this.#pending[i] as NexmarkSplit;
      if (split.index % this.#ctx.parallelism === subtask) {
        assigned.unshift(split);
        this.#pending.splice(i, 1);
      }
    }
    if (assigned.length > 0) this.#ctx.assignSplits(subtask, assigned);
    this.#ctx.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly NexmarkSplit[]): void {
    this.#pending.push(...splits);
  }

  snapshotState(): NexmarkEnumeratorState {
    return { pending: [...this.#pending] };
  }

  close(): void {}
}

interface ActiveSplit {
  readonly split: NexmarkSplit;
  readonly generator: NexmarkGenerator;
  emitted: number;
}

class NexmarkReader<T> implements SourceReader<T, NexmarkSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #config: NexmarkConfig;
  readonly #convert: (event: NexmarkEvent) => T;
  readonly #paced: boolean;
  readonly #splits: ActiveSplit[] = [];
  #noMoreSplits = false;
  #wallClockBase = 0;

  constructor(
    ctx: SourceReaderContext,
    config: NexmarkConfig,
    convert: (event: NexmarkEvent) => T,
    paced: boolean,
  ) {
    this.#ctx = ctx;
    this.#config = config;
    this.#convert = convert;
    this.#paced = paced;
  }

  start(): void {
    this.#wallClockBase = this.#ctx.currentTime();
    this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly NexmarkSplit[]): void {
    for (const split of splits) {
      this.#splits.push({
        split,
        generator: new NexmarkGenerator(this.#config, split),
        emitted: split.emitted,
      });
    }
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
  }

  /** Events of `active` that are due now (all of them unless paced). */
  #due(active: ActiveSplit, limit: number): number {
    if (!this.#paced) return limit;
    const elapsed = this.#ctx.currentTime() - this.#wallClockBase;
    let n = 0;
    while (n < limit) {
      const eventTime = active.generator.timestampForEvent(active.emitted + n + 1) - this.#config.baseTime;
      if (eventTime > elapsed) break;
      n++;
    }
    return n;
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    const active = this.#splits[0];
    if (active === undefined)
      return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    const remaining = active.split.maxEvents - active.emitted;
    const count = this.#due(active, Math.min(this.#ctx.batchSizeHint, remaining));
    const { generator } = active;
    const convert = this.#convert;
    const end = active.emitted + count;
    for (let k = active.emitted; k < end; k++) {
      const event = generator.event(k);
      output.collectWithTimestamp(convert(event), generator.timestampForEvent(k + 1));
    }
    active.emitted = end;
    if (active.emitted >= active.split.maxEvents) this.#splits.shift();
    if (this.#splits.length > 0)
      return count > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 1));
  }

  snapshotState(): readonly NexmarkSplit[] {
    return this.#splits.map((active) => ({ ...active.split, emitted: active.emitted }));
  }

  close(): void {}
}

/** A Nexmark source of {@link NexmarkEvent}s. */
export function nexmarkSource(options: NexmarkSourceOptions = {}): NexmarkSource<NexmarkEvent> {
  return new NexmarkSource(options, (event) => event);
}
