/**
 * The file source's reader: reads its assigned splits one after the other, line formats through a
 * {@link LineReader}, bulk formats a batch (row group) at a time, and applies the bad-record policy.
 *
 * Positions. A split's position is taken only between records (a byte offset, or a row index for
 * bulk formats), so a restored reader continues exactly after the last record it emitted.
 *
 * Bad records. `fail` throws `file:line: reason` (`file (byte N)` inside a range that does not start
 * the file; `file: reason` for a corrupt bulk file). `drop` counts the record in
 * {@link fileSourceMetrics} and logs through a rate-limited {@link DroppedRecordLog}. `dead-letter`
 * writes `{path, line, offset, raw, error}` to the configured sink, flushed and committed, before
 * the reader goes on: polling pauses, and a checkpoint taken meanwhile records the bad record's own
 * position, so a restore writes the letter again rather than lose it (at-least-once into the
 * dead-letter sink; records are still emitted exactly once). A corrupt bulk file counts as one bad
 * record and the rest of it is skipped.
 * @module
 */

import {
  type BadRecordPolicy,
  DroppedRecordLog,
  InputStatus,
  type ReaderOutput,
  type SinkWriter,
  type SourceReader,
  type SourceReaderContext,
} from "@weir/api";
import type { BulkBatch, BulkDecoder, FileDeadLetter, FileReadFormat, LineDecoder } from "./file-format.ts";
import type { FileSplit } from "./file-split.ts";
import { LineReader } from "./line-reader.ts";

/** This thread's file source counters (live object), for monitoring and tests. @public */
export interface FileSourceMetrics {
  /** Malformed records (or corrupt bulk files) skipped under the `drop` policy. */
  droppedRecords: number;
  /** Malformed records written to a dead-letter sink. */
  deadLetters: number;
}

const metrics: FileSourceMetrics = { droppedRecords: 0, deadLetters: 0 };

/** @public */
export function fileSourceMetrics(): FileSourceMetrics {
  return metrics;
}

/** A record that does not decode, under the `fail` policy: the message says file, line and why. */
export class FileRecordError extends Error {
  override readonly name = "FileRecordError";
}

interface LineState {
  readonly kind: "lines";
  readonly split: FileSplit;
  readonly lines: LineReader;
  /** Line number of the next line, when known. */
  line: number | null;
  /** While a dead letter is written: where the bad record started (what a checkpoint records). */
  resume: { readonly position: number; readonly line: number | null } | null;
}

interface BulkState {
  readonly kind: "bulk";
  readonly split: FileSplit;
  batch: readonly unknown[];
  /** Index in `batch` of the next record to emit. */
  index: number;
  /** File row of `batch[0]`. */
  batchRow: number;
  /** Row to read the next batch from, and whether the file has more. */
  nextRow: number;
  done: boolean;
}

export interface FileReaderConfig<T> {
  /** For messages and the drop log. */
  readonly name: string;
  readonly format: FileReadFormat<T>;
  readonly badRecords: BadRecordPolicy<FileDeadLetter>;
}

export class FileSourceReader<T> implements SourceReader<T, FileSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #config: FileReaderConfig<T>;
  readonly #lineDecoder: LineDecoder<T> | null;
  readonly #bulkDecoder: BulkDecoder<T> | null;
  readonly #dropLog: DroppedRecordLog | null;
  readonly #queue: FileSplit[] = [];
  #current: LineState | BulkState | null = null;
  #noMoreSplits = false;
  #wake: (() => void) | null = null;
  /** An asynchronous step under way (a bulk batch being read, a dead letter being written). */
  #busy: Promise<void> | null = null;
  /** What went wrong in the asynchronous step, thrown by the next poll. */
  #error: Error | null = null;
  #deadLetters: SinkWriter<FileDeadLetter, unknown> | null = null;

  constructor(ctx: SourceReaderContext, config: FileReaderConfig<T>) {
    this.#ctx = ctx;
    this.#config = config;
    this.#lineDecoder = config.format.kind === "lines" ? config.format.createDecoder() : null;
    this.#bulkDecoder = config.format.kind === "bulk" ? config.format.createDecoder() : null;
    const policy = config.badRecords;
    this.#dropLog = policy.kind === "drop" ? new DroppedRecordLog(config.name, policy) : null;
  }

  start(): void {
    this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly FileSplit[]): void {
    this.#queue.push(...splits);
    this.#notify();
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  isAvailable(): Promise<void> {
    if (this.#busy !== null) return this.#busy;
    if (this.#current !== null || this.#queue.length > 0 || this.#noMoreSplits || this.#error !== null)
      return Promise.resolve();
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** Runs `step` while polling pauses; its failure fails the next poll. */
  #pause(step: Promise<void>): void {
    this.#busy = step.then(
      () => {
        this.#busy = null;
      },
      (error: unknown) => {
        this.#busy = null;
        this.#error = error instanceof Error ? error : new Error(String(error));
      },
    );
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.#error !== null) throw this.#error;
    if (this.#busy !== null) return InputStatus.NOTHING_AVAILABLE;
    const limit = this.#ctx.batchSizeHint;
    let emitted = 0;
    while (emitted < limit) {
      let current = this.#current;
      if (current === null) {
        const next = this.#queue.shift();
        if (next === undefined)
          return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        current = this.#current = this.#open(next);
      }
      emitted +=
        current.kind === "lines"
          ? this.#pollLines(current, output, limit - emitted)
          : this.#pollBulk(current, output, limit - emitted);
      if (this.#busy !== null)
        return emitted > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }
    return InputStatus.MORE_AVAILABLE;
  }

  #open(split: FileSplit): LineState | BulkState {
    if (this.#lineDecoder !== null)
      return { kind: "lines", split, lines: new LineReader(split), line: split.line, resume: null };
    return {
      kind: "bulk",
      split,
      batch: [],
      index: 0,
      batchRow: split.position,
      nextRow: split.position,
      done: false,
    };
  }

  #finishSplit(): void {
    const current = this.#current;
    if (current?.kind === "lines") current.lines.close();
    else if (current?.kind === "bulk") this.#bulkDecoder!.release(current.split);
    this.#current = null;
    this.#ctx.sendSplitRequest();
  }

  /** Emits up to `budget` records of a line split; returns how many (it stops early to pause). */
  #pollLines(state: LineState, output: ReaderOutput<T>, budget: number): number {
    const decoder = this.#lineDecoder!;
    const continues = decoder.continuesOnNextLine?.bind(decoder);
    let emitted = 0;
    while (emitted < budget) {
      let text = state.lines.next();
      if (text === null) {
        this.#finishSplit();
        return emitted;
      }
      const firstLine = state.line;
      const offset = state.lines.lineStart;
      if (state.line !== null) state.line++;
      if (text === "") continue;
      if (continues !== undefined) {
        while (continues(text)) {
          const more = state.lines.continuation();
          if (more === null) break;
          if (state.line !== null) state.line++;
          text = `${text}\n${more}`;
        }
      }
      let record: T | null;
      try {
        record = decoder.decode(text, state.split);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const where =
          firstLine !== null ? `${state.split.path}:${firstLine}` : `${state.split.path} (byte ${offset})`;
        const letter = { path: state.split.path, line: firstLine, offset, raw: text, error: reason };
        const writing = this.#badRecord(where, letter);
        if (writing !== null) {
          // Until the letter is stored, a checkpoint must not move past the bad record.
          state.resume = { position: offset, line: firstLine };
          this.#pause(
            writing.finally(() => {
              state.resume = null;
            }),
          );
          return emitted;
        }
        continue;
      }
      if (record === null) {
        const reason = decoder.skipReason?.(text);
        if (reason !== undefined) {
          const where =
            firstLine !== null ? `${state.split.path}:${firstLine}` : `${state.split.path} (byte ${offset})`;
          metrics.droppedRecords++;
          this.#dropLog?.dropped(where, reason, this.#ctx.currentTime());
        }
        continue;
      }
      output.collect(record);
      emitted++;
    }
    return emitted;
  }

  /** Emits up to `budget` records of a bulk split; returns how many (it stops early to pause). */
  #pollBulk(state: BulkState, output: ReaderOutput<T>, budget: number): number {
    let emitted = 0;
    while (emitted < budget) {
      if (state.index < state.batch.length) {
        const end = Math.min(state.batch.length, state.index + budget - emitted);
        for (let i = state.index; i < end; i++) output.collect(state.batch[i] as T);
        emitted += end - state.index;
        state.index = end;
        continue;
      }
      if (state.done) {
        this.#finishSplit();
        return emitted;
      }
      if (emitted > 0) return emitted;
      const split = state.split;
      const fromRow = state.nextRow;
      this.#pause(
        this.#bulkDecoder!.read(split, fromRow).then(
          (batch: BulkBatch<T>) => {
            state.batch = batch.records;
            state.index = 0;
            state.batchRow = fromRow;
            state.nextRow = batch.nextRow;
            state.done = batch.done;
          },
          (error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            const letter = { path: split.path, line: null, offset: fromRow, raw: null, error: reason };
            // The rest of a corrupt file is skipped: after a drop or a dead letter it is done. A
            // checkpoint meanwhile records `fromRow`, so a restore meets the error again.
            state.batch = [];
            state.index = 0;
            state.batchRow = fromRow;
            state.done = true;
            return this.#badRecord(split.path, letter) ?? undefined;
          },
        ),
      );
      return emitted;
    }
    return emitted;
  }

  /**
   * Applies the policy to a bad record: throws for `fail`; counts and logs for `drop` (returns
   * null: go on); for `dead-letter` returns the letter's write, which polling must wait for.
   */
  #badRecord(where: string, letter: FileDeadLetter): Promise<void> | null {
    const policy = this.#config.badRecords;
    if (policy.kind === "fail") throw new FileRecordError(`${where}: ${letter.error}`);
    if (policy.kind === "drop") {
      metrics.droppedRecords++;
      this.#dropLog!.dropped(where, letter.error, this.#ctx.currentTime());
      return null;
    }
    return this.#writeDeadLetter(letter, policy.sink).then(
      () => {
        metrics.deadLetters++;
      },
      (cause: unknown) => {
        throw new Error(
          `${this.#config.name}: cannot write a dead letter for ${where}: ${(cause as Error).message}`,
        );
      },
    );
  }

  /** Writes, flushes and commits one dead letter. */
  async #writeDeadLetter(
    letter: FileDeadLetter,
    sink: Extract<BadRecordPolicy<FileDeadLetter>, { kind: "dead-letter" }>["sink"],
  ): Promise<void> {
    this.#deadLetters ??= sink.createWriter({
      indexOfSubtask: this.#ctx.indexOfSubtask,
      parallelism: this.#ctx.parallelism,
      attemptNumber: 0,
    });
    await this.#deadLetters.write([letter]);
    await this.#deadLetters.flush(false);
    const committables = (await this.#deadLetters.prepareCommit?.()) ?? [];
    if (committables.length > 0) {
      const committer = sink.createCommitter?.();
      await committer?.commit(committables);
      await committer?.close?.();
    }
  }

  snapshotState(): readonly FileSplit[] {
    const splits: FileSplit[] = [];
    const current = this.#current;
    if (current?.kind === "lines") {
      const at = current.resume ?? { position: current.lines.position, line: current.line };
      splits.push({ ...current.split, position: at.position, line: at.line });
    } else if (current?.kind === "bulk") {
      splits.push({ ...current.split, position: current.batchRow + current.index });
    }
    splits.push(...this.#queue);
    return splits;
  }

  async close(): Promise<void> {
    if (this.#current?.kind === "lines") this.#current.lines.close();
    else if (this.#current?.kind === "bulk") this.#bulkDecoder!.release(this.#current.split);
    this.#current = null;
    await this.#deadLetters?.close();
  }
}
