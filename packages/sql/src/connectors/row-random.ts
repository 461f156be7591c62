/**
 * A seeded pseudo-random stream per generated row, for the `datagen` connector.
 *
 * Invariant: the numbers drawn for row `index` depend only on `(seed, index)` and the order of
 * draws, never on which parallel instance produces the row or on rows produced before. That makes a
 * seeded datagen table reproducible at any parallelism and after a replay.
 * @module
 */

/** Avalanche mix of a 32-bit integer (the finalizer of MurmurHash3). */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Reused for every row of one reader (no per-row allocation): `reset(index)` then draw.
 * Example: `r.reset(7); r.next()` gives the same number on every thread for seed and index 7.
 */
export class RowRandom {
  readonly #seed: number;
  #state = 0;

  constructor(seed: number) {
    this.#seed = mix32(seed);
  }

  reset(index: number): void {
    const low = index >>> 0;
    const high = Math.floor(index / 0x1_0000_0000) >>> 0;
    this.#state = mix32(this.#seed ^ mix32(low) ^ mix32(high + 0x9e3779b9));
  }

  /** A uniform 32-bit unsigned integer (mulberry32 step). */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max] for safe integers. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform bigint in [min, max]. */
  bigint(min: bigint, max: bigint): bigint {
    const span = max - min + 1n;
    let draw = 0n;
    // Enough 32-bit words that the modulo bias is negligible for any 64-bit or DECIMAL(38) span.
    for (let bits = 0n; bits < BigInt(span.toString(2).length) + 32n; bits += 32n)
      draw = (draw << 32n) | BigInt(this.nextUint32());
    return min + (draw % span);
  }
}
