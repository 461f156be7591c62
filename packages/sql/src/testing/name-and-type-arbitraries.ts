/**
 * fast-check generators of names and data types, the leaves of the syntax-tree generators in
 * `arbitraries.ts`.
 *
 * Invariant: every name and type generated is one the parser can produce; names include reserved
 * words and characters that force backquotes, so the printer's quoting is exercised.
 * @module
 */

import fc from "fast-check";
import type { Identifier, QualifiedName } from "../ast/names.ts";
import type { Span } from "../ast/span.ts";
import type { DataType, IntervalQualifier, SimpleTypeName, TimeUnit } from "../ast/types.ts";

export const SPAN: Span = {
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
};

// --- Names. ---

/** Plain names, reserved words, contextual keywords, and names that need backquotes. */
const nameValue = fc.oneof(
  fc.constantFrom("a", "b", "price", "dateTime", "key", "state", "x1", "_t", "café"),
  fc.constantFrom(
    "value",
    "day",
    "timestamp",
    "select",
    "order",
    "user",
    "MAP",
    "TRY_CAST",
    "DESCRIPTOR",
    "unbounded",
  ),
  fc.constantFrom("with space", "a`b", "1st", "a.b", "x-y"),
  fc.string({ minLength: 1, maxLength: 6 }),
);
export const identifier: fc.Arbitrary<Identifier> = nameValue.map((value) => ({
  kind: "identifier",
  value,
  span: SPAN,
}));
export const qualifiedName: fc.Arbitrary<QualifiedName> = fc
  .array(identifier, { minLength: 1, maxLength: 3 })
  .map((parts) => ({ kind: "qualified-name", parts, span: SPAN }));

// --- Types. ---

const MAX_PARAMS: Readonly<Record<SimpleTypeName, number>> = {
  BOOLEAN: 0,
  TINYINT: 0,
  SMALLINT: 0,
  INT: 0,
  BIGINT: 0,
  FLOAT: 0,
  DOUBLE: 0,
  DECIMAL: 2,
  CHAR: 1,
  VARCHAR: 1,
  STRING: 0,
  BINARY: 1,
  VARBINARY: 1,
  BYTES: 0,
  DATE: 0,
  TIME: 1,
  TIMESTAMP: 1,
  TIMESTAMP_LTZ: 1,
  NULL: 0,
};

const RANGE_ENDS: Readonly<Record<string, readonly TimeUnit[]>> = {
  YEAR: ["MONTH"],
  MONTH: [],
  DAY: ["HOUR", "MINUTE", "SECOND"],
  HOUR: ["MINUTE", "SECOND"],
  MINUTE: ["SECOND"],
  SECOND: [],
};

export const intervalQualifier: fc.Arbitrary<IntervalQualifier> = fc
  .record({
    start: fc.constantFrom<TimeUnit>("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"),
    startPrecision: fc.option(fc.nat(9)),
    endPick: fc.nat(3),
    fractional: fc.option(fc.nat(9)),
  })
  .map(({ start, startPrecision, endPick, fractional }) => {
    const ends = RANGE_ENDS[start]!;
    const end = endPick < ends.length ? ends[endPick]! : null;
    const fractionalAllowed =
      end === "SECOND" || (end === null && start === "SECOND" && startPrecision !== null);
    return {
      kind: "interval-qualifier",
      start,
      startPrecision,
      end,
      fractionalPrecision: fractionalAllowed ? fractional : null,
      span: SPAN,
    };
  });

export const dataType: fc.Arbitrary<DataType> = fc.letrec<{ type: DataType }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small" },
    fc
      .record({
        name: fc.constantFrom(...(Object.keys(MAX_PARAMS) as SimpleTypeName[])),
        params: fc.array(fc.nat(40), { maxLength: 2 }),
        notNull: fc.boolean(),
      })
      .map(({ name, params, notNull }) => ({
        kind: "simple-type" as const,
        name,
        params: params.slice(0, MAX_PARAMS[name]),
        notNull,
        span: SPAN,
      })),
    fc
      .record({ qualifier: intervalQualifier, notNull: fc.boolean() })
      .map((r) => ({ kind: "interval-type" as const, ...r, span: SPAN })),
    fc
      .record({ element: tie("type"), notNull: fc.boolean() })
      .map((r) => ({ kind: "array-type" as const, ...r, span: SPAN })),
    fc
      .record({ element: tie("type"), notNull: fc.boolean() })
      .map((r) => ({ kind: "multiset-type" as const, ...r, span: SPAN })),
    fc
      .record({ key: tie("type"), value: tie("type"), notNull: fc.boolean() })
      .map((r) => ({ kind: "map-type" as const, ...r, span: SPAN })),
    fc
      .record({
        fields: fc.array(
          fc
            .record({
              name: identifier,
              type: tie("type"),
              description: fc.option(fc.string({ maxLength: 5 })),
            })
            .map((f) => ({ kind: "row-field" as const, ...f, span: SPAN })),
          { maxLength: 3 },
        ),
        notNull: fc.boolean(),
      })
      .map((r) => ({ kind: "row-type" as const, ...r, span: SPAN })),
    fc
      .record({ className: fc.string(), serializerSnapshot: fc.option(fc.string()), notNull: fc.boolean() })
      .map((r) => ({ kind: "raw-type" as const, ...r, span: SPAN })),
    fc
      .record({ name: qualifiedName, notNull: fc.boolean() })
      .map((r) => ({ kind: "user-defined-type" as const, ...r, span: SPAN })),
  ),
})).type;
