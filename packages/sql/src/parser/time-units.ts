/**
 * Time units and INTERVAL qualifiers (`SECOND`, `DAY(2) TO SECOND(3)`), shared by INTERVAL
 * literals, INTERVAL types, EXTRACT, FLOOR/CEIL ... TO and TIMESTAMPADD/TIMESTAMPDIFF.
 *
 * Invariant: plural spellings (`MINUTES`) are accepted wherever the singular is and folded to it;
 * a qualifier range is only accepted in the combinations SQL defines (YEAR TO MONTH, DAY TO
 * HOUR|MINUTE|SECOND, HOUR TO MINUTE|SECOND, MINUTE TO SECOND).
 * @module
 */

import type { IntervalQualifier, TimeUnit } from "../ast/types.ts";
import type { TokenCursor } from "./cursor.ts";
import { expectInteger } from "./numbers.ts";

/** Every unit EXTRACT and friends accept, in Calcite's order. */
export const ALL_UNITS: readonly TimeUnit[] = [
  "MILLENNIUM",
  "CENTURY",
  "DECADE",
  "YEAR",
  "QUARTER",
  "MONTH",
  "WEEK",
  "DAY",
  "HOUR",
  "MINUTE",
  "SECOND",
  "MILLISECOND",
  "MICROSECOND",
  "NANOSECOND",
  "DOW",
  "DOY",
  "ISODOW",
  "ISOYEAR",
  "EPOCH",
];

const PLURALS: ReadonlyMap<string, TimeUnit> = new Map(
  [
    "YEAR",
    "QUARTER",
    "MONTH",
    "WEEK",
    "DAY",
    "HOUR",
    "MINUTE",
    "SECOND",
    "MILLISECOND",
    "MICROSECOND",
    "NANOSECOND",
  ].map((unit) => [`${unit}S`, unit as TimeUnit]),
);

/** Units an INTERVAL qualifier may start with. */
const INTERVAL_UNITS: readonly TimeUnit[] = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"];

/** For each start unit, the units `TO` may name. */
const RANGE_ENDS: Readonly<Partial<Record<TimeUnit, readonly TimeUnit[]>>> = {
  YEAR: ["MONTH"],
  DAY: ["HOUR", "MINUTE", "SECOND"],
  HOUR: ["MINUTE", "SECOND"],
  MINUTE: ["SECOND"],
};

/** The unit the token `n` ahead spells (singular or plural), or null. */
export function timeUnitAt(c: TokenCursor, n = 0, allowed: readonly TimeUnit[] = ALL_UNITS): TimeUnit | null {
  const token = c.peek(n);
  if (token.kind !== "word") return null;
  const unit = (PLURALS.get(token.upper) ?? token.upper) as TimeUnit;
  return allowed.includes(unit) ? unit : null;
}

/** Consumes a time unit (any of them, for EXTRACT and friends). */
export function expectTimeUnit(c: TokenCursor, allowed: readonly TimeUnit[] = ALL_UNITS): TimeUnit {
  const unit = timeUnitAt(c, 0, allowed);
  if (unit === null) {
    c.expecting(allowed === ALL_UNITS ? "time unit" : allowed.join(", "));
    return c.fail();
  }
  c.advance();
  return unit;
}

/** True when an INTERVAL qualifier starts at the current token. */
export function atIntervalQualifier(c: TokenCursor): boolean {
  return timeUnitAt(c, 0, INTERVAL_UNITS) !== null;
}

/** `SECOND`, `SECOND(3)`, `DAY(2) TO SECOND(3)`, `HOUR TO MINUTE`, `MINUTES`. */
export function parseIntervalQualifier(c: TokenCursor): IntervalQualifier {
  const start = c.start;
  const unit = timeUnitAt(c, 0, INTERVAL_UNITS);
  if (unit === null) {
    c.expecting("interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)");
    return c.fail();
  }
  c.advance();
  let startPrecision: number | null = null;
  let fractionalPrecision: number | null = null;
  if (c.acceptSymbol("(")) {
    startPrecision = expectInteger(c);
    if (unit === "SECOND" && c.acceptSymbol(",")) fractionalPrecision = expectInteger(c);
    c.expectSymbol(")");
  }
  let end: TimeUnit | null = null;
  const ends = RANGE_ENDS[unit];
  if (ends !== undefined && c.isKeyword("TO") && timeUnitAt(c, 1, ALL_UNITS) !== null) {
    c.advance();
    end = timeUnitAt(c, 0, ends);
    if (end === null) {
      for (const e of ends) c.expecting(`'${e}'`);
      throw c.error({
        detail: `an interval range from ${unit} can only end at ${ends.join(", ")}, not '${c.token.text}'`,
      });
    }
    c.advance();
    if (end === "SECOND" && c.acceptSymbol("(")) {
      fractionalPrecision = expectInteger(c);
      c.expectSymbol(")");
    }
  } else if (ends === undefined && c.isKeyword("TO") && timeUnitAt(c, 1, ALL_UNITS) !== null) {
    c.advance();
    throw c.error({ detail: `an interval range cannot start at ${unit}` });
  }
  return {
    kind: "interval-qualifier",
    start: unit,
    startPrecision,
    end,
    fractionalPrecision,
    span: c.spanFrom(start),
  };
}
