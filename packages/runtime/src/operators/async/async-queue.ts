/**
 * The async operator's in-flight queue (Flink's AsyncWaitOperator queue): every record not yet
 * emitted is an entry, in input order, together with the watermarks still held back.
 *
 * Invariant: no output crosses a watermark.
 * - Ordered: entries and watermarks form one queue, emitted from its head as entries complete.
 * - Unordered: watermarks cut the queue into segments; entries of the first segment are emitted as
 *   they complete; a watermark is emitted once its segment is empty, then the next segment's
 *   completed entries follow.
 *
 * The queue knows nothing of calls, capacity or the mailbox: the operator decides when entries
 * start and when to emit what is ready.
 * @module
 */

import type { Watermark } from "@weir/api";
import type { Output } from "../output.ts";
import { Fifo } from "./fifo.ts";

/** One element of the in-flight state: a record to issue again, or a watermark still held back. */
export type AsyncInFlightElement =
  | { readonly record: unknown; readonly timestamp: number }
  | { readonly watermark: Watermark };

export const WAITING = 0;
export const RUNNING = 1;
export const BACKOFF = 2;
export const DONE = 3;

/** A record between input and output. */
export class Entry {
  readonly record: unknown;
  readonly timestamp: number;
  /** The unordered segment the entry belongs to. */
  readonly segment: Segment | undefined;
  status = WAITING;
  /** Number of the current (or last) attempt; 0 before the first. */
  attempt = 0;
  /** The outputs, once done. */
  result: readonly unknown[] | undefined = undefined;
  /** Cancels the pending timeout or back-off timer. */
  cancelTimer: (() => void) | undefined = undefined;

  constructor(record: unknown, timestamp: number, segment: Segment | undefined) {
    this.record = record;
    this.timestamp = timestamp;
    this.segment = segment;
  }

  complete(outputs: readonly unknown[]): void {
    this.status = DONE;
    this.result = outputs;
    this.segment?.ready.push(this);
  }
}

/** Unordered mode: the entries between two watermarks. */
class Segment {
  /** Entries not yet emitted, in input order. */
  readonly entries = new Set<Entry>();
  /** Done entries not yet emitted, in completion order. */
  ready: Entry[] = [];
  /** The watermark that closes the segment; undefined for the last (open) segment. */
  watermark: Watermark | undefined = undefined;
}

export class AsyncQueue {
  readonly #output: Output;
  /** Lets the operator free the entry's slot before its outputs go downstream. */
  readonly #onEmit: () => void;
  /** Ordered mode: entries and held-back watermarks, in input order. */
  readonly #queue: Fifo<Entry | Watermark> | undefined;
  /** Unordered mode: segments in input order; the last one is open. */
  readonly #segments: Fifo<Segment> | undefined;
  #openSegment: Segment | undefined;
  /** Entries not yet emitted (started or waiting). */
  #queued = 0;

  constructor(ordered: boolean, output: Output, onEmit: () => void) {
    this.#output = output;
    this.#onEmit = onEmit;
    if (ordered) {
      this.#queue = new Fifo();
      this.#segments = undefined;
    } else {
      this.#queue = undefined;
      this.#segments = new Fifo();
      this.#openSegment = new Segment();
      this.#segments.push(this.#openSegment);
    }
  }

  /** Entries not yet emitted (started or waiting). */
  get queued(): number {
    return this.#queued;
  }

  /** Appends an entry for `record` behind everything queued so far. */
  add(record: unknown, timestamp: number): Entry {
    const segment = this.#openSegment;
    const entry = new Entry(record, timestamp, segment);
    if (segment === undefined) this.#queue!.push(entry);
    else segment.entries.add(entry);
    this.#queued++;
    return entry;
  }

  /** Emits `watermark` now if nothing precedes it, otherwise holds it back behind the queue. */
  acceptWatermark(watermark: Watermark): void {
    const queue = this.#queue;
    if (queue !== undefined) {
      if (queue.size === 0) this.#output.emitWatermark(watermark);
      else queue.push(watermark);
      return;
    }
    const open = this.#openSegment!;
    if (this.#segments!.size === 1 && open.entries.size === 0) {
      this.#output.emitWatermark(watermark);
      return;
    }
    open.watermark = watermark;
    this.#openSegment = new Segment();
    this.#segments!.push(this.#openSegment);
  }

  /** Emits every done entry and released watermark the mode allows to go out now. */
  emitReady(): void {
    const queue = this.#queue;
    const output = this.#output;
    if (queue !== undefined) {
      for (let head = queue.peek(); head !== undefined; head = queue.peek()) {
        if (head instanceof Entry) {
          if (head.status !== DONE) return;
          queue.shift();
          this.#emit(head);
        } else {
          queue.shift();
          output.emitWatermark(head);
        }
      }
      return;
    }
    const segments = this.#segments!;
    for (;;) {
      const segment = segments.peek()!;
      const ready = segment.ready;
      if (ready.length > 0) {
        segment.ready = [];
        for (let i = 0; i < ready.length; i++) {
          segment.entries.delete(ready[i]!);
          this.#emit(ready[i]!);
        }
      }
      if (segment.watermark === undefined || segment.entries.size > 0) return;
      segments.shift();
      output.emitWatermark(segment.watermark);
    }
  }

  #emit(entry: Entry): void {
    this.#onEmit();
    this.#queued--;
    const outputs = entry.result!;
    entry.result = undefined;
    const output = this.#output;
    const timestamp = entry.timestamp;
    for (let i = 0; i < outputs.length; i++) output.collect(outputs[i], timestamp);
  }

  /** Whether no entry and no held-back watermark is left. */
  isEmpty(): boolean {
    return this.#queued === 0 && (this.#queue === undefined || this.#queue.size === 0);
  }

  /** Every entry not yet emitted. */
  *entries(): IterableIterator<Entry> {
    if (this.#queue !== undefined) {
      for (const item of this.#queue) if (item instanceof Entry) yield item;
    } else {
      for (const segment of this.#segments!) yield* segment.entries;
    }
  }

  /** Every entry not yet emitted and every watermark still held back, in order: the snapshot. */
  elements(): AsyncInFlightElement[] {
    const elements: AsyncInFlightElement[] = [];
    const queue = this.#queue;
    if (queue !== undefined) {
      for (const item of queue) {
        elements.push(
          item instanceof Entry ? { record: item.record, timestamp: item.timestamp } : { watermark: item },
        );
      }
    } else {
      for (const segment of this.#segments!) {
        for (const entry of segment.entries)
          elements.push({ record: entry.record, timestamp: entry.timestamp });
        if (segment.watermark !== undefined) elements.push({ watermark: segment.watermark });
      }
    }
    return elements;
  }
}
