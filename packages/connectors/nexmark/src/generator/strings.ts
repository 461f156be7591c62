/**
 * Strings of the Nexmark generator: random words, the padding "extra" strings, and the channel
 * URL tables, with the reference's lengths and character mix (nexmark.md §1.8–1.9).
 *
 * Differences from the reference, deliberate: the 1 MiB extra pool, the four hot URLs and the
 * 10,000 channel URLs are derived from fixed seeds (the reference draws them unseeded once per
 * JVM, so they differ between TaskManagers); the pool holds only 'a'..'z' (the reference's
 * signed-modulo quirk also yields 'H'..'`').
 * @module
 */

import { EventRandom } from "./event-random.ts";

const MIN_STRING_LENGTH = 3;
const POOL_SIZE = 1 << 20;
const CHANNELS = 10_000;

/** `nextString(max, special)`: 3..max−1 characters, each `special` with p = 1/13, then trimmed. */
export function nextString(random: EventRandom, maxLength: number, special = " "): string {
  const length = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
  let text = "";
  for (let i = 0; i < length; i++) {
    text += random.nextInt(13) === 0 ? special : String.fromCharCode(97 + random.nextInt(26));
  }
  return special === " " ? text.trim() : text;
}

let pool: string | null = null;

/** The shared pool that padding strings are cut from; built once per thread from a fixed seed. */
function extraPool(): string {
  if (pool === null) {
    const random = new EventRandom().reseed(0x5eed);
    const codes = new Uint8Array(POOL_SIZE);
    for (let i = 0; i < POOL_SIZE; i++) codes[i] = 97 + random.nextInt(26);
    pool = new TextDecoder("latin1").decode(codes);
  }
  return pool;
}

/** `nextExactString(length)`: a slice of the pool (V8 keeps it as a cheap sliced string). */
export function nextExactString(random: EventRandom, length: number): string {
  const text = extraPool();
  if (length >= POOL_SIZE / 2) {
    let out = "";
    while (out.length < length) out += text.slice(0, Math.min(POOL_SIZE, length - out.length));
    return out;
  }
  const offset = random.nextInt(POOL_SIZE - length);
  return text.slice(offset, offset + length);
}

/** `nextExtra(currentSize, desiredAverage)`: padding to about the average size, ±20 %. */
export function nextExtra(random: EventRandom, currentSize: number, desiredAverage: number): string {
  if (currentSize > desiredAverage) return "";
  const average = desiredAverage - currentSize;
  const delta = Math.round(average * 0.2);
  const size = average - delta + (delta === 0 ? 0 : random.nextInt(2 * delta));
  return nextExactString(random, size);
}

/** `https://www.nexmark.com/<d1>/<d2>/<d3>/item.htm?query=1` with 3–4 character directories. */
function baseUrl(random: EventRandom): string {
  return `https://www.nexmark.com/${nextString(random, 5, "_")}/${nextString(random, 5, "_")}/${nextString(random, 5, "_")}/item.htm?query=1`;
}

export const HOT_CHANNELS: readonly string[] = ["Google", "Facebook", "Baidu", "Apple"];

let hotUrls: string[] | null = null;
let channelUrls: string[] | null = null;

/** The URL of hot channel `i` (0..3). */
export function hotUrl(i: number): string {
  if (hotUrls === null) {
    const random = new EventRandom();
    hotUrls = HOT_CHANNELS.map((_, index) => baseUrl(random.reseed(-1 - index)));
  }
  return hotUrls[i] as string;
}

/** Java's `Integer.reverse`: the 32 bits in reverse order, read as a signed int. */
function reverseBits(value: number): number {
  let v = value >>> 0;
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (v & 1);
    v >>>= 1;
  }
  return r | 0;
}

/**
 * The URL of cold channel `channel-i`: the base URL, with `&channel_id=<abs(reverse(i))>` for 9 in
 * 10 channels. Kept from the reference: `abs(Integer.MIN_VALUE)` stays negative, so channel 1 gets
 * `-2147483648`.
 */
export function channelUrl(i: number): string {
  if (channelUrls === null) {
    const random = new EventRandom();
    channelUrls = new Array<string>(CHANNELS);
    for (let c = 0; c < CHANNELS; c++) {
      random.reseed(1_000_000_007 + c);
      let url = baseUrl(random);
      if (random.nextInt(10) > 0) {
        const reversed = reverseBits(c);
        url += `&channel_id=${reversed === -2147483648 ? reversed : Math.abs(reversed)}`;
      }
      channelUrls[c] = url;
    }
  }
  return channelUrls[i] as string;
}

export const CHANNEL_COUNT = CHANNELS;
