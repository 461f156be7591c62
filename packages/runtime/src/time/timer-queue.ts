/**
 * Processing-time timers of one keyed operator: deduplicated per (key, timestamp), fired in
 * timestamp order. A min-heap holds the distinct timestamps; each timestamp maps to the keys that
 * registered it.
 * @module
 */

import type { KeyValue } from "@weir/api";
import type { KeyId } from "../state/heap-state-backend.ts";

export class TimerQueue {
  readonly #byTime = new Map<number, Map<KeyId, KeyValue>>();
  readonly #heap: number[] = [];

  get size(): number {
    let n = 0;
    for (const keys of this.#byTime.values()) n += keys.size;
    return n;
  }

  /**
   * Returns true when `timestamp` is a new earliest time (the caller schedules a wake-up for it);
   * a timestamp that already had timers already has its wake-up.
   */
  register(timestamp: number, keyId: KeyId, key: KeyValue): boolean {
    let keys = this.#byTime.get(timestamp);
    const isNew = keys === undefined;
    if (keys === undefined) {
      keys = new Map();
      this.#byTime.set(timestamp, keys);
      this.#push(timestamp);
    }
    keys.set(keyId, key);
    return isNew && this.#heap[0] === timestamp;
  }

  delete(timestamp: number, keyId: KeyId): void {
    const keys = this.#byTime.get(timestamp);
    if (keys === undefined) return;
    keys.delete(keyId);
    // The empty bucket stays in the heap and is skipped when popped.
  }

  /** The earliest timestamp with a live timer. */
  peek(): number | undefined {
    while (this.#heap.length > 0) {
      const top = this.#heap[0]!;
      const keys = this.#byTime.get(top);
      if (keys !== undefined && keys.size > 0) return top;
      this.#byTime.delete(top);
      this.#pop();
    }
    return undefined;
  }

  /** Every live timer as [timestamp, key], earliest first. */
  entries(): [number, KeyValue][] {
    const out: [number, KeyValue][] = [];
    const times = [...this.#byTime.keys()].sort((a, b) => a - b);
    for (const time of times) for (const key of this.#byTime.get(time)!.values()) out.push([time, key]);
    return out;
  }

  /** Removes and visits every timer with `timestamp <= now`, earliest first. */
  fireDue(now: number, visit: (timestamp: number, key: KeyValue) => void): void {
    for (;;) {
      const top = this.peek();
      if (top === undefined || top > now) return;
      const keys = this.#byTime.get(top)!;
      this.#byTime.delete(top);
      this.#pop();
      for (const key of keys.values()) visit(top, key);
    }
  }

  #push(value: number): void {
    const heap = this.#heap;
    heap.push(value);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= value) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = value;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
