/**
 * The per-event random stream. The reference Flink generator draws from one unseeded
 * SplittableRandom, so two runs differ; Weir, like Beam, nexmark-rs and Feldera, reseeds for every
 * event from its event id, so an event's content is a pure function of its id and every run with
 * the same configuration yields the same data (exact query results can be checked).
 *
 * One instance is reused for all events of a reader: `reseed` then draws, no allocation per event.
 * The generator is mulberry32 (32-bit state, full period 2^32), seeded with a 64-bit mix of the id.
 * @module
 */

export class EventRandom {
  private state = 0;

  /** Restarts the stream for `seed` (an event id, a channel index…; any safe integer). */
  reseed(seed: number): this {
    const low = seed >>> 0;
    const high = Math.floor(seed / 4_294_967_296) >>> 0;
    let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(high + 0x7f4a7c15, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    this.state = (h ^ (h >>> 16)) | 0;
    return this;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, bound) for 0 < bound ≤ 2^32 (the reference's `nextLong(rnd, n)` for small n). */
  nextInt(bound: number): number {
    return Math.floor((this.nextUint32() / 4_294_967_296) * bound);
  }

  /** Uniform in [0, bound) for bounds past 2^32 (53 bits of randomness). */
  nextLong(bound: number): number {
    return Math.floor(this.nextDouble() * bound);
  }

  /** Uniform in [0, 1) with 53 bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }
}
