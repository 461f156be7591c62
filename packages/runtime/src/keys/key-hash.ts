/**
 * Key hashing and key-group assignment (Flink's KeyGroupRangeAssignment). Invariant: a key's hash
 * depends only on its canonical encoding, never on the thread, process, platform endianness or
 * Weir version, because savepoints store state by key group. The seeds and the encoding below are
 * therefore frozen: changing any of them is a savepoint-incompatible change.
 *
 * The hash is MurmurHash3 x86_32 over a canonical little-endian encoding:
 * - string: its UTF-16LE code units (two per 32-bit block), seed STRING_SEED;
 * - number: its 8 IEEE-754 bytes after -0 → 0 and NaN → one quiet NaN, seed NUMBER_SEED;
 * - bigint: a sign word (0 or 1) then the magnitude's 32-bit limbs, least significant first;
 * - boolean: one word (0 or 1); null: the empty input;
 * - array: the element hashes in order; object: (name hash, value hash) pairs by sorted name.
 * Each type has its own seed, so equal bytes of different types do not hash alike.
 */

import type { KeyValue } from "@weir/api";
import { sortedFieldNames } from "./field-order.ts";
import { describeNonKey, isPlainObject } from "./validate-key.ts";

export type { CanonicalKeyId } from "./key-id.ts";
export { canonicalKeyId } from "./key-id.ts";
export { validateKey } from "./validate-key.ts";

// Seeds are the ASCII of a 4-letter tag ("Wstr", "Wnum", ...): distinct, and easy to recognise.
export const STRING_SEED = 0x57737472;
export const NUMBER_SEED = 0x576e756d;
export const BIGINT_SEED = 0x57626967;
export const BOOLEAN_SEED = 0x57626f6f;
export const NULL_SEED = 0x576e756c;
export const ARRAY_SEED = 0x57617272;
export const OBJECT_SEED = 0x576f626a;

/** Flink's upper bound for maxParallelism (2^15): key groups are stored as 16-bit values. */
export const MAX_PARALLELISM_LIMIT = 32768;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Mixes one 32-bit block into the running hash (the body step of MurmurHash3 x86_32). */
function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Length mix and final avalanche; `byteLength` is the length of the whole encoded input. */
function finish(h: number, byteLength: number): number {
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 of the string's UTF-16LE bytes, read straight from charCodeAt: no encoder,
 * no allocation. A trailing odd code unit is the 2-byte tail.
 */
function hashString(s: string, seed: number): number {
  const length = s.length;
  const pairsEnd = length & ~1;
  let h = seed;
  for (let i = 0; i < pairsEnd; i += 2) {
    h = mixBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  }
  if (pairsEnd !== length) {
    let k = Math.imul(s.charCodeAt(pairsEnd), C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  return finish(h, length * 2);
}

// Shared scratch for reading a double's bits. The word order is fixed to little-endian below so
// that big-endian hosts hash the same bytes.
const float64 = new Float64Array(1);
const words = new Uint32Array(float64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;
/** The canonical NaN is the quiet NaN 0x7ff8000000000000 (what JS engines produce for NaN). */
const NAN_HIGH_WORD = 0x7ff80000;

function hashNumber(n: number): number {
  let low: number;
  let high: number;
  if (Number.isNaN(n)) {
    low = 0;
    high = NAN_HIGH_WORD;
  } else {
    // `+ 0` turns -0 into 0 and leaves every other number unchanged.
    float64[0] = n + 0;
    low = words[LOW_WORD] as number;
    high = words[HIGH_WORD] as number;
  }
  return finish(mixBlock(mixBlock(NUMBER_SEED, low), high), 8);
}

const BIGINT_LIMB_MASK = 0xffffffffn;

function hashBigInt(n: bigint): number {
  const negative = n < 0n;
  let magnitude = negative ? -n : n;
  let h = mixBlock(BIGINT_SEED, negative ? 1 : 0);
  let byteLength = 4;
  while (magnitude !== 0n) {
    h = mixBlock(h, Number(magnitude & BIGINT_LIMB_MASK));
    magnitude >>= 32n;
    byteLength += 4;
  }
  return finish(h, byteLength);
}

const TRUE_HASH = finish(mixBlock(BOOLEAN_SEED, 1), 4);
const FALSE_HASH = finish(mixBlock(BOOLEAN_SEED, 0), 4);
const NULL_HASH = finish(NULL_SEED, 0);

function hashArray(items: readonly KeyValue[]): number {
  let h = ARRAY_SEED;
  const length = items.length;
  for (let i = 0; i < length; i++) h = mixBlock(h, hashKey(items[i] as KeyValue));
  return finish(h, length * 4);
}

function hashObject(record: { readonly [field: string]: KeyValue }): number {
  // Cheap guard against Dates, Maps and class instances, which would otherwise hash as their
  // (often empty) set of own fields and all land in one key group.
  if (!isPlainObject(record)) throw notAKey(record);
  const fields = sortedFieldNames(record);
  let h = OBJECT_SEED;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    h = mixBlock(h, hashString(field, STRING_SEED));
    h = mixBlock(h, hashKey(record[field] as KeyValue));
  }
  return finish(h, fields.length * 8);
}

function notAKey(value: unknown): TypeError {
  return new TypeError(
    `Cannot hash ${describeNonKey(value)} as a key: keys must be strings, numbers, bigints, booleans, ` +
      "null, or arrays and plain objects of those.",
  );
}

/** The unsigned 32-bit hash of a key's canonical encoding (see the module comment). */
export function hashKey(key: KeyValue): number {
  switch (typeof key) {
    case "string":
      return hashString(key, STRING_SEED);
    case "number":
      return hashNumber(key);
    case "bigint":
      return hashBigInt(key);
    case "boolean":
      return key ? TRUE_HASH : FALSE_HASH;
    case "object":
      if (key === null) return NULL_HASH;
      return Array.isArray(key)
        ? hashArray(key as readonly KeyValue[])
        : hashObject(key as { readonly [field: string]: KeyValue });
    default:
      throw notAKey(key);
  }
}

/** The key group of a key: `hashKey(key) mod maxParallelism`. */
export function keyGroupForKey(key: KeyValue, maxParallelism: number): number {
  return hashKey(key) % maxParallelism;
}

/**
 * The subtask that owns a key group: Flink's computeOperatorIndexForKeyGroup. Exact in doubles,
 * since keyGroup * parallelism < 2^30.
 */
export function operatorIndexForKeyGroup(
  maxParallelism: number,
  parallelism: number,
  keyGroup: number,
): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/**
 * The contiguous, inclusive key-group range of one subtask: Flink's
 * computeKeyGroupRangeForOperatorIndex. The ranges of subtasks 0..parallelism-1 partition
 * [0, maxParallelism) in order, and agree with operatorIndexForKeyGroup.
 */
export function keyGroupRangeForOperator(
  maxParallelism: number,
  parallelism: number,
  operatorIndex: number,
): { start: number; end: number } {
  assertParallelism(maxParallelism, parallelism);
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new RangeError(`operatorIndex must be an integer in [0, ${parallelism}), got ${operatorIndex}`);
  }
  return {
    start: Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism),
  };
}

/** Throws a RangeError unless 1 <= parallelism <= maxParallelism <= 32768, all integers. */
export function assertParallelism(maxParallelism: number, parallelism: number): void {
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > MAX_PARALLELISM_LIMIT) {
    throw new RangeError(
      `maxParallelism must be an integer in [1, ${MAX_PARALLELISM_LIMIT}], got ${maxParallelism}`,
    );
  }
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > maxParallelism) {
    throw new RangeError(
      `parallelism must be an integer in [1, maxParallelism = ${maxParallelism}], got ${parallelism}`,
    );
  }
}
