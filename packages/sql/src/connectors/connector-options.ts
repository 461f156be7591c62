/**
 * Checking and reading a table's `WITH (...)` options, shared by every SQL connector so that all of
 * them report bad options the same way Flink does: unknown keys and missing required keys are
 * listed by name together with the supported ones, and a bad value names the table, the key, the
 * value and what was expected.
 *
 * Invariant: an option pattern may contain `#`, which stands for one column name of the table
 * (`fields.#.kind` accepts `fields.id.kind` when `id` is a column) — Flink's notation for per-field
 * options. The `connector` key and the planner's watermark options ({@link FRAMEWORK_SOURCE_OPTIONS})
 * are always allowed.
 * @module
 */

import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { ConnectorOptionError } from "./table-connector.ts";

/** What a connector accepts; patterns may use `#` for a column name. */
export interface OptionSpec {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/**
 * Flink's framework options of a source table (FLIP-296): read by the planner's watermark assigner
 * (`planner/watermark-emit-options.ts`), accepted by every connector, as Flink's
 * `TableFactoryHelper` does.
 */
export const FRAMEWORK_SOURCE_OPTIONS: ReadonlySet<string> = new Set([
  "scan.watermark.emit.strategy",
  "scan.watermark.idle-timeout",
  "scan.watermark.alignment.group",
  "scan.watermark.alignment.max-drift",
  "scan.watermark.alignment.update-interval",
]);

function matches(pattern: string, key: string, columns: ReadonlySet<string>): boolean {
  const hash = pattern.indexOf("#");
  if (hash < 0) return pattern === key;
  const prefix = pattern.slice(0, hash);
  const suffix = pattern.slice(hash + 1);
  if (!key.startsWith(prefix) || !key.endsWith(suffix) || key.length < prefix.length + suffix.length)
    return false;
  return columns.has(key.slice(prefix.length, key.length - suffix.length));
}

/**
 * Throws {@link ConnectorOptionError} when `table` has options `spec` does not know or lacks a
 * required one. Example message:
 * ```text
 * Unsupported options found for 'datagen' in table 'orders': 'row-per-second'.
 * Supported options: connector, fields.#.kind, number-of-rows, rows-per-second
 * ```
 */
export function checkTableOptions(identifier: string, table: ResolvedTable, spec: OptionSpec): void {
  const columns = new Set(table.columns.map((c) => c.name));
  const allowed = ["connector", ...spec.required, ...spec.optional];
  const unknown = Object.keys(table.options).filter(
    (key) => !FRAMEWORK_SOURCE_OPTIONS.has(key) && !allowed.some((p) => matches(p, key, columns)),
  );
  if (unknown.length > 0) {
    throw new ConnectorOptionError(
      `Unsupported options found for '${identifier}' in table '${table.name}': ` +
        `${unknown.map((k) => `'${k}'`).join(", ")}.\nSupported options: ${[...new Set(allowed)].sort().join(", ")}`,
    );
  }
  const missing = spec.required.filter((key) => table.options[key] === undefined);
  if (missing.length > 0) {
    throw new ConnectorOptionError(
      `One or more required options are missing for '${identifier}' in table '${table.name}': ` +
        missing.map((k) => `'${k}'`).join(", "),
    );
  }
}

/** Reads typed option values, each failure naming the table, key and value. */
export class OptionReader {
  readonly #table: string;
  readonly #options: Readonly<Record<string, string>>;

  constructor(
    table: ResolvedTable | { readonly name: string; readonly options: Readonly<Record<string, string>> },
  ) {
    this.#table = table.name;
    this.#options = table.options;
  }

  string(key: string): string | undefined {
    return this.#options[key];
  }

  #bad(key: string, value: string, expected: string): ConnectorOptionError {
    return new ConnectorOptionError(
      `Invalid value for option '${key}' of table '${this.#table}': '${value}' (expected ${expected})`,
    );
  }

  /** One of `choices`, matched case-insensitively; returned as spelled in `choices`. */
  choice<C extends string>(key: string, choices: readonly C[], fallback: C): C {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    const found = choices.find((c) => c.toLowerCase() === value);
    if (found === undefined) throw this.#bad(key, raw, `one of ${choices.join(", ")}`);
    return found;
  }

  boolean(key: string, fallback: boolean): boolean {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    if (value === "true") return true;
    if (value === "false") return false;
    throw this.#bad(key, raw, "true or false");
  }

  /** A whole number at least `min` (within the safe integer range). */
  integer(key: string, fallback: number, min?: number): number;
  integer(key: string, fallback: undefined, min?: number): number | undefined;
  integer(key: string, fallback: number | undefined, min = Number.MIN_SAFE_INTEGER): number | undefined {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const text = raw.trim();
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value)) throw this.#bad(key, raw, "an integer");
    if (value < min) throw this.#bad(key, raw, `an integer of at least ${min}`);
    return value;
  }

  /** A finite decimal number. */
  number(key: string, fallback: number): number;
  number(key: string, fallback: undefined): number | undefined;
  number(key: string, fallback: number | undefined): number | undefined {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const value = Number(raw.trim());
    if (raw.trim() === "" || !Number.isFinite(value)) throw this.#bad(key, raw, "a number");
    return value;
  }

  /** A single character such as a delimiter; `\t` is accepted for a tab, as Flink does. */
  character(key: string, fallback: string): string {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const value = raw === "\\t" ? "\t" : raw;
    if (value.length !== 1) throw this.#bad(key, raw, "a single character");
    return value;
  }

  /** A duration in Flink's notation (`500 ms`, `10s`, `1 min`, `2 h`, `1 d`, a bare number = ms). */
  durationMs(key: string, fallback: number): number {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const ms = parseDurationMs(raw);
    if (ms === null) throw this.#bad(key, raw, "a duration such as '10 s' or '500 ms'");
    return ms;
  }

  /** A memory size in Flink's notation (`128mb`, `1 gb`, `64 kb`, a bare number = bytes). */
  bytes(key: string, fallback: number): number {
    const raw = this.#options[key];
    if (raw === undefined) return fallback;
    const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(raw);
    const scale = match === null ? undefined : BYTE_UNITS[match[2]!.toLowerCase()];
    if (match === null || scale === undefined) throw this.#bad(key, raw, "a size such as '128mb'");
    return Number(match[1]) * scale;
  }
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kibibytes: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mebibytes: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gibibytes: 1024 ** 3,
};

const DURATION_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** `'10 s'` → 10000; null when the text is not a duration. */
export function parseDurationMs(text: string): number | null {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (match === null) return null;
  const scale = DURATION_UNITS[match[2]!.toLowerCase()];
  return scale === undefined ? null : Number(match[1]) * scale;
}
