/**
 * Durations and sizes written as Flink writes them in its configuration: a number, optional
 * spaces, an optional unit (`10 s`, `10s`, `1 min`, `500 ms`, `2 h`, `1 d`); a plain number is
 * milliseconds. Units are Flink's `TimeUtils` labels, case-insensitive.
 * Invariant: a value parses to a whole, non-negative number of milliseconds or the parser throws
 * an error naming the key and the accepted forms.
 * @module
 */

const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ...["d", "day", "days"].map((u) => [u, 86_400_000] as const),
  ...["h", "hour", "hours"].map((u) => [u, 3_600_000] as const),
  ...["m", "min", "mins", "minute", "minutes"].map((u) => [u, 60_000] as const),
  ...["s", "sec", "secs", "second", "seconds"].map((u) => [u, 1_000] as const),
  ...["ms", "milli", "millis", "millisecond", "milliseconds"].map((u) => [u, 1] as const),
  ...["µs", "us", "micro", "micros", "microsecond", "microseconds"].map((u) => [u, 0.001] as const),
  ...["ns", "nano", "nanos", "nanosecond", "nanoseconds"].map((u) => [u, 0.000_001] as const),
]);

const DURATION = /^(\d+(?:\.\d+)?)\s*([a-zµ]*)$/i;

/** The accepted forms, for error messages. */
export const DURATION_FORMS =
  "a number with an optional unit: '500 ms', '10 s', '10s', '1 min', '2 h', '1 d' (no unit: ms)";

/** `key`'s value in milliseconds (rounded up to a whole ms); throws naming `key`. */
export function parseFlinkDuration(key: string, value: string): number {
  const match = DURATION.exec(value.trim());
  const unit = match === null ? undefined : match[2]!.toLowerCase();
  const factor = unit === undefined ? undefined : unit === "" ? 1 : UNIT_MS.get(unit);
  if (match === null || factor === undefined) {
    throw new ConfigValueError(key, value, `expected a duration, ${DURATION_FORMS}`);
  }
  return Math.ceil(Number(match[1]) * factor);
}

/** A configuration value that cannot be used; the message names the key, the value and the forms. */
export class ConfigValueError extends Error {
  override name = "ConfigValueError";
  readonly key: string;

  constructor(key: string, value: string | undefined, expected: string) {
    super(value === undefined ? `'${key}': ${expected}` : `'${key}' = '${value}': ${expected}`);
    this.key = key;
  }
}
