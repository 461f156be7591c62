/**
 * Exact decimal arithmetic on unscaled bigints (DECIMAL(p, s) holds value × 10^s, see values.ts).
 *
 * Invariants: rounding is HALF_UP (away from zero at .5), as Java's BigDecimal in Flink; a result
 * that does not fit its precision is reported as `null`, which Flink turns into SQL NULL for casts
 * and arithmetic. Worked example: `rescale(1255n, 2, 1)` (12.55 → scale 1) is `126n` (12.6).
 * @module
 */

const POWERS: bigint[] = [1n];
for (let i = 1; i <= 80; i++) POWERS.push(POWERS[i - 1]! * 10n);

/** 10^n as a bigint, for 0 ≤ n ≤ 80. */
export function pow10(n: number): bigint {
  const p = POWERS[n];
  if (p === undefined) throw new RangeError(`10^${n} is out of the supported range`);
  return p;
}

/** `numerator / denominator` rounded HALF_UP; `denominator` must not be 0. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  const magnitude = denominator < 0n ? -denominator : denominator;
  if (twice >= magnitude) return numerator < 0n !== denominator < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/** Changes the scale of an unscaled value, rounding HALF_UP when digits are dropped. */
export function rescale(unscaled: bigint, fromScale: number, toScale: number): bigint {
  if (toScale === fromScale) return unscaled;
  if (toScale > fromScale) return unscaled * pow10(toScale - fromScale);
  return divideHalfUp(unscaled, pow10(fromScale - toScale));
}

/** Changes the scale dropping digits toward zero (TRUNCATE). */
export function rescaleDown(unscaled: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return unscaled * pow10(toScale - fromScale);
  return unscaled / pow10(fromScale - toScale);
}

/** True when the unscaled value has at most `precision` digits. */
export function fitsPrecision(unscaled: bigint, precision: number): boolean {
  const bound = pow10(precision);
  return unscaled < bound && unscaled > -bound;
}

/** Rescales and checks precision: the DECIMAL(p, s) value, or null on overflow. */
export function toDecimal(
  unscaled: bigint,
  fromScale: number,
  precision: number,
  scale: number,
): bigint | null {
  const value = rescale(unscaled, fromScale, scale);
  return fitsPrecision(value, precision) ? value : null;
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses decimal text (`-12.5`, `.5`, `1e3`, surrounding blanks allowed) into an unscaled value
 * with `scale` digits (HALF_UP). Returns undefined when the text is not a number.
 */
export function parseDecimal(text: string, scale: number): bigint | undefined {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (match === null) return undefined;
  const integral = match[2] ?? "";
  const fraction = match[3] ?? "";
  if (integral === "" && fraction === "") return undefined;
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
  let unscaled = BigInt(`${integral}${fraction}` || "0");
  let ownScale = fraction.length - exponent;
  if (ownScale < 0) {
    unscaled *= 10n ** BigInt(-ownScale);
    ownScale = 0;
  }
  if (match[1] === "-") unscaled = -unscaled;
  if (ownScale - scale > 80) return 0n;
  return rescale(unscaled, ownScale, scale);
}

/** `formatDecimal(1250n, 2)` is `"12.50"`; `formatDecimal(-5n, 2)` is `"-0.05"`. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, "0");
  const text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** The nearest double to the decimal value. */
export function decimalToNumber(unscaled: bigint, scale: number): number {
  return scale === 0 ? Number(unscaled) : Number(formatDecimal(unscaled, scale));
}

/** A double as DECIMAL(p, s) via its shortest decimal text (Java's BigDecimal.valueOf); null for NaN, infinities and overflow. */
export function decimalFromNumber(value: number, precision: number, scale: number): bigint | null {
  if (!Number.isFinite(value)) return null;
  const unscaled = parseDecimal(String(value), scale);
  if (unscaled === undefined || !fitsPrecision(unscaled, precision)) return null;
  return unscaled;
}
