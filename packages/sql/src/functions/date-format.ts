/**
 * Java date-time patterns (`yyyy-MM-dd HH:mm:ss.SSS`) as Flink's DATE_FORMAT, TO_TIMESTAMP,
 * TO_DATE, UNIX_TIMESTAMP and FROM_UNIXTIME use them: formatting wall-clock millis to text and
 * parsing text back.
 *
 * Invariants: a pattern is compiled once (cached) into tokens; letters follow
 * `java.time.format.DateTimeFormatter` — `y` year (`yy` two digits), `M`/`L` month (`MMM` Jan,
 * `MMMM` January), `d` day, `D` day of year, `H` 0–23, `k` 1–24, `h` 1–12, `K` 0–11, `m`, `s`,
 * `S…` fraction of second (`SSS` millis, `SSSSSS` micros), `a` AM/PM, `E` day name (`EEE` Mon, `EEEE` Monday),
 * `e`/`u` day of week (1 = Monday), `Z`/`X`/`x` offset (UTC printed as `+0000` / `Z`), text in
 * '…' quotes literally; other non-letters are literal. Parsing is strict about widths, as
 * DateTimeFormatter is (`MM` needs two digits, `M` takes one or two), and returns undefined when
 * the text does not match the whole pattern (the functions then return NULL, as Flink).
 * Example: `formatDateTime(0, "yyyy-MM-dd'T'HH:mm")` is `1970-01-01T00:00`.
 * @module
 */

import {
  civilFromDays,
  dayOfWeek,
  daysFromCivil,
  daysInMonth,
  MILLIS_PER_DAY,
  splitTimestamp,
  timestampMicros,
} from "../data/temporal.ts";

type Token = { readonly letter: string; readonly count: number } | { readonly literal: string };

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const compiled = new Map<string, readonly Token[]>();

function tokenize(pattern: string): readonly Token[] {
  let tokens = compiled.get(pattern);
  if (tokens !== undefined) return tokens;
  const result: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        result.push({ literal: "'" });
        i += 2;
        continue;
      }
      const stop = end < 0 ? pattern.length : end;
      result.push({ literal: pattern.slice(i + 1, stop) });
      i = stop + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (pattern[j] === ch) j++;
      result.push({ letter: ch, count: j - i });
      i = j;
    } else {
      result.push({ literal: ch });
      i++;
    }
  }
  tokens = result;
  if (compiled.size > 512) compiled.clear();
  compiled.set(pattern, tokens);
  return tokens;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/**
 * Formats wall-clock millis (TIMESTAMP representation); `nanosOfMicro` (0..999) are the digits a
 * TIMESTAMP(p > 6) has past the microsecond, printed by the 7th to 9th `S`.
 */
export function formatDateTime(millis: number, pattern: string, nanosOfMicro = 0): string {
  const { days, millisOfDay: ofDay, microsOfMilli } = splitTimestamp(millis);
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(ofDay / 3_600_000);
  const minute = Math.floor(ofDay / 60_000) % 60;
  const second = Math.floor(ofDay / 1000) % 60;
  const milli = ofDay % 1000;
  let out = "";
  for (const token of tokenize(pattern)) {
    if ("literal" in token) {
      out += token.literal;
      continue;
    }
    const { letter, count } = token;
    switch (letter) {
      case "y":
      case "u":
      case "Y":
        out += count === 2 ? pad(((year % 100) + 100) % 100, 2) : pad(year, count);
        break;
      case "M":
      case "L":
        out +=
          count >= 4 ? MONTHS[month - 1] : count === 3 ? MONTHS[month - 1]!.slice(0, 3) : pad(month, count);
        break;
      case "d":
        out += pad(day, count);
        break;
      case "D":
        out += pad(days - daysFromCivil(year, 1, 1) + 1, count);
        break;
      case "H":
        out += pad(hour, count);
        break;
      case "k":
        out += pad(hour === 0 ? 24 : hour, count);
        break;
      case "h":
        out += pad(hour % 12 === 0 ? 12 : hour % 12, count);
        break;
      case "K":
        out += pad(hour % 12, count);
        break;
      case "m":
        out += pad(minute, count);
        break;
      case "s":
        out += pad(second, count);
        break;
      case "S":
        out += `${pad(milli, 3)}${pad(microsOfMilli, 3)}${pad(nanosOfMicro, 3)}`.slice(0, count);
        break;
      case "a":
        out += hour < 12 ? "AM" : "PM";
        break;
      case "E": {
        const name = DAYS[dayOfWeek(days) - 1]!;
        out += count >= 4 ? name : name.slice(0, 3);
        break;
      }
      case "e":
        out += String(((dayOfWeek(days) + 5) % 7) + 1);
        break;
      case "Z":
        out += "+0000";
        break;
      case "X":
        out += "Z";
        break;
      case "x":
        out += count === 1 ? "+00" : count === 3 || count === 5 ? "+00:00" : "+0000";
        break;
      case "G":
        out += year > 0 ? "AD" : "BC";
        break;
      default:
        out += letter.repeat(count);
    }
  }
  return out;
}

/** True when the pattern parses a zone offset (`Z`, `X`, `x`): its results are then instants, not wall clocks. */
export function patternHasOffset(pattern: string): boolean {
  return tokenize(pattern).some(
    (token) => "letter" in token && (token.letter === "Z" || token.letter === "X" || token.letter === "x"),
  );
}

interface ParsePlan {
  readonly regexp: RegExp;
  readonly fields: readonly string[];
}

const parsePlans = new Map<string, ParsePlan>();

function planFor(pattern: string): ParsePlan {
  let plan = parsePlans.get(pattern);
  if (plan !== undefined) return plan;
  const fields: string[] = [];
  let source = "^\\s*";
  for (const token of tokenize(pattern)) {
    if ("literal" in token) {
      source += token.literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
      continue;
    }
    const { letter, count } = token;
    fields.push(letter);
    switch (letter) {
      case "y":
      case "u":
      case "Y":
        source += count === 2 ? "(\\d{2})" : count === 4 ? "(\\d{4})" : `([+-]?\\d{${count},9})`;
        break;
      case "M":
      case "L":
        source += count >= 3 ? "([A-Za-z]+)" : count === 2 ? "(\\d{2})" : "(\\d{1,2})";
        break;
      case "S":
        source += `(\\d{1,${Math.max(count, 1)}})`;
        break;
      case "a":
        source += "([AaPp][Mm])";
        break;
      case "E":
        source += "([A-Za-z]+)";
        break;
      case "D":
        source += "(\\d{1,3})";
        break;
      case "Z":
      case "X":
      case "x":
        source += "(Z|[+-]\\d{2}(?::?\\d{2})?)";
        break;
      default:
        // As DateTimeFormatter: `HH` needs two digits (so adjacent fields like `yyyyMMdd` parse), `H` one or two.
        source += count >= 2 ? `(\\d{${count}})` : "(\\d{1,2})";
    }
  }
  plan = { regexp: new RegExp(`${source}\\s*$`), fields };
  if (parsePlans.size > 512) parsePlans.clear();
  parsePlans.set(pattern, plan);
  return plan;
}

/**
 * Parses text with a pattern into wall-clock millis (or, when the pattern has an offset, the
 * wall clock in UTC). Missing fields default to 1970-01-01 00:00:00.000.
 */
export function parseDateTime(text: string, pattern: string): number | undefined {
  const plan = planFor(pattern);
  const match = plan.regexp.exec(text);
  if (match === null) return undefined;
  let year = 1970;
  let month = 1;
  let day = 1;
  let dayOfYear = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micros = 0;
  let pm: boolean | null = null;
  let twelveHour = false;
  let offset = 0;
  for (let i = 0; i < plan.fields.length; i++) {
    const value = match[i + 1]!;
    switch (plan.fields[i]) {
      case "y":
      case "u":
      case "Y":
        year = value.length === 2 ? 2000 + Number(value) : Number(value);
        break;
      case "M":
      case "L": {
        if (/^\d+$/.test(value)) month = Number(value);
        else {
          const index = MONTHS.findIndex((m) => m.toLowerCase().startsWith(value.toLowerCase().slice(0, 3)));
          if (index < 0) return undefined;
          month = index + 1;
        }
        break;
      }
      case "d":
        day = Number(value);
        break;
      case "D":
        dayOfYear = Number(value);
        break;
      case "H":
      case "k":
        hour = Number(value) % 24;
        break;
      case "h":
      case "K":
        hour = Number(value) % 12;
        twelveHour = true;
        break;
      case "m":
        minute = Number(value);
        break;
      case "s":
        second = Number(value);
        break;
      case "S":
        micros = Number(`${value}00000`.slice(0, 6));
        break;
      case "a":
        pm = value.toUpperCase() === "PM";
        break;
      case "Z":
      case "X":
      case "x": {
        if (value !== "Z") {
          const digits = value.replace(":", "");
          const sign = digits[0] === "-" ? -1 : 1;
          offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0)) * 60_000;
        }
        break;
      }
    }
  }
  if (twelveHour && pm === true) hour += 12;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const days = dayOfYear > 0 ? daysFromCivil(year, 1, 1) + dayOfYear - 1 : daysFromCivil(year, month, day);
  const millis = days * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 - offset;
  // Microseconds as the fraction of the millisecond (values.ts); whole milliseconds stay integers.
  return micros % 1000 === 0 ? millis + micros / 1000 : (timestampMicros(millis) + micros) / 1000;
}
