/**
 * fast-check generators of syntax trees, for the printer/parser round-trip properties.
 *
 * Invariant: every tree generated is one the parser can produce (so printing it and parsing the
 * text must give it back); the few shapes that have no spelling of their own are excluded where
 * they are generated, each with the reason.
 * @module
 */

import fc from "fast-check";
import type { CallArgument, CallExpression, Expression } from "../ast/expressions.ts";
import type { RowPattern } from "../ast/match-recognize.ts";
import type { Identifier } from "../ast/names.ts";
import type { FrameBound, OrderItem, WindowSpec } from "../ast/windows.ts";
import { parseQuery } from "../parse.ts";
import { ALL_UNITS } from "../parser/time-units.ts";
import { jsonCall } from "./json-call-arbitraries.ts";
import { dataType, identifier, intervalQualifier, qualifiedName, SPAN } from "./name-and-type-arbitraries.ts";

// --- Expressions. ---

const SUBQUERIES = [
  "SELECT a FROM t",
  "SELECT 1 UNION ALL SELECT 2",
  "VALUES (1, 2)",
  "WITH w AS (SELECT 1) SELECT * FROM w",
].map((sql) => parseQuery(sql));

const leaf: fc.Arbitrary<Expression> = fc.oneof(
  fc.string({ maxLength: 6 }).map((value) => ({ kind: "string-literal" as const, value, span: SPAN })),
  fc
    .bigInt({ min: 0n, max: 10n ** 30n })
    .map((n) => ({ kind: "number-literal" as const, text: String(n), form: "integer" as const, span: SPAN })),
  fc
    .constantFrom("0.908", ".5", "1.", "123.4500")
    .map((text) => ({ kind: "number-literal" as const, text, form: "decimal" as const, span: SPAN })),
  fc
    .constantFrom("1E3", "2.5e-7")
    .map((text) => ({ kind: "number-literal" as const, text, form: "approximate" as const, span: SPAN })),
  fc.boolean().map((value) => ({ kind: "boolean-literal" as const, value, span: SPAN })),
  fc.constant({ kind: "null-literal" as const, span: SPAN }),
  fc.constantFrom("", "0A", "cafe").map((hex) => ({ kind: "binary-literal" as const, hex, span: SPAN })),
  fc
    .record({
      type: fc.constantFrom("DATE" as const, "TIME" as const, "TIMESTAMP" as const),
      value: fc.string({ maxLength: 5 }),
    })
    .map((r) => ({ kind: "datetime-literal" as const, ...r, span: SPAN })),
  fc
    .record({ negative: fc.boolean(), value: fc.string({ maxLength: 5 }), qualifier: intervalQualifier })
    .map((r) => ({ kind: "interval-literal" as const, ...r, span: SPAN })),
  fc
    .array(identifier, { minLength: 1, maxLength: 3 })
    .map((parts) => ({ kind: "reference" as const, parts, span: SPAN })),
  fc.constantFrom("CURRENT_TIMESTAMP", "current_date", "LOCALTIMESTAMP").map(
    (fn): CallExpression => ({
      kind: "call",
      name: { kind: "qualified-name", parts: [{ kind: "identifier", value: fn, span: SPAN }], span: SPAN },
      quantifier: null,
      args: [],
      filter: null,
      over: null,
      parenthesized: false,
      span: SPAN,
    }),
  ),
);

const FUNCTION_NAMES = [
  "f",
  "my_fn",
  "COUNT",
  "hour",
  "TUMBLE",
  "SUBSTRING",
  "POSITION",
  "OVERLAY",
  "TRY_CAST",
  "value",
  "FLOOR",
];

export const expression: fc.Arbitrary<Expression> = fc.letrec<{ expr: Expression; window: WindowSpec }>(
  (tie) => {
    const expr = tie("expr");
    const exprs = (min: number, max: number) => fc.array(expr, { minLength: min, maxLength: max });
    const orderItem: fc.Arbitrary<OrderItem> = fc
      .record({
        expression: expr,
        direction: fc.constantFrom("ASC" as const, "DESC" as const, null),
        nulls: fc.constantFrom("FIRST" as const, "LAST" as const, null),
      })
      .map((r) => ({ kind: "order-item", ...r, span: SPAN }));
    const bound: fc.Arbitrary<FrameBound> = fc.oneof(
      fc.constant({ kind: "unbounded-preceding" as const, span: SPAN }),
      fc.constant({ kind: "unbounded-following" as const, span: SPAN }),
      fc.constant({ kind: "current-row" as const, span: SPAN }),
      expr.map((offset) => ({ kind: "preceding" as const, offset, span: SPAN })),
      expr.map((offset) => ({ kind: "following" as const, offset, span: SPAN })),
    );
    const window: fc.Arbitrary<WindowSpec> = fc
      .record({
        base: fc.option(identifier),
        partitionBy: exprs(0, 2),
        orderBy: fc.array(orderItem, { maxLength: 2 }),
        frame: fc.option(
          fc
            .record({
              unit: fc.constantFrom("ROWS" as const, "RANGE" as const),
              start: bound,
              end: fc.option(bound),
            })
            .map((r) => ({ kind: "window-frame" as const, ...r, span: SPAN })),
        ),
      })
      .map((r) => ({ kind: "window-spec", ...r, span: SPAN }));
    const argument: fc.Arbitrary<CallArgument> = fc.oneof(
      { arbitrary: expr, weight: 4 },
      {
        arbitrary: fc
          .record({ name: identifier, value: expr })
          .map((r) => ({ kind: "named-argument" as const, ...r, span: SPAN })),
        weight: 1,
      },
      {
        arbitrary: fc
          .record({
            name: qualifiedName,
            partitionBy: fc.array(identifier, { maxLength: 2 }),
            orderBy: fc.array(identifier, { maxLength: 2 }),
          })
          .map((r) => ({ kind: "table-argument" as const, ...r, span: SPAN })),
        weight: 1,
      },
      {
        arbitrary: fc
          .array(identifier, { minLength: 1, maxLength: 2 })
          .map((columns) => ({ kind: "descriptor-argument" as const, columns, span: SPAN })),
        weight: 1,
      },
    );
    const call: fc.Arbitrary<CallExpression> = fc
      .record({
        fn: fc.constantFrom(...FUNCTION_NAMES),
        qualifier: fc.option(identifier, { freq: 5 }),
        quantifier: fc.constantFrom("DISTINCT" as const, "ALL" as const, null),
        args: fc.array(argument, { maxLength: 3 }),
        star: fc.boolean(),
        unit: fc.option(fc.constantFrom(...ALL_UNITS)),
        filter: fc.option(expr, { freq: 4 }),
        over: fc.option(fc.oneof(window, identifier), { freq: 4 }),
      })
      .map(({ fn, qualifier, quantifier, args, star, unit, filter, over }): CallExpression => {
        const parts: Identifier[] = [{ kind: "identifier", value: fn, span: SPAN }];
        if (qualifier !== null) parts.unshift(qualifier);
        let finalArgs: CallArgument[] = args;
        let finalQuantifier = args.length === 0 ? null : quantifier;
        if (star && args.length === 0) {
          finalArgs = [{ kind: "star-argument", span: SPAN }];
          finalQuantifier = null;
        } else if (
          unit !== null &&
          args.length > 0 &&
          fn === "FLOOR" &&
          qualifier === null &&
          args[0]!.kind !== "named-argument"
        ) {
          finalArgs = [args[0]!, { kind: "time-unit-argument", unit, span: SPAN }];
          finalQuantifier = null;
        }
        return {
          kind: "call",
          name: { kind: "qualified-name", parts, span: SPAN },
          quantifier: finalQuantifier,
          args: finalArgs,
          filter,
          over,
          parenthesized: true,
          span: SPAN,
        };
      });
    const subquery = fc.constantFrom(...SUBQUERIES);

    return {
      window,
      expr: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        { arbitrary: leaf, weight: 6 },
        fc
          .record({ operator: fc.constantFrom("-" as const, "+" as const, "NOT" as const), operand: expr })
          .map((r) => ({ kind: "unary" as const, ...r, span: SPAN })),
        fc
          .record({
            operator: fc.constantFrom(
              "OR" as const,
              "AND" as const,
              "=" as const,
              "<>" as const,
              "<" as const,
              "<=" as const,
              ">" as const,
              ">=" as const,
              "||" as const,
              "+" as const,
              "-" as const,
              "*" as const,
              "/" as const,
              "%" as const,
            ),
            left: expr,
            right: expr,
          })
          .map((r) => ({ kind: "binary" as const, ...r, span: SPAN })),
        fc
          .record({
            operand: expr,
            test: fc.constantFrom("NULL" as const, "TRUE" as const, "FALSE" as const, "UNKNOWN" as const),
            negated: fc.boolean(),
          })
          .map((r) => ({ kind: "is" as const, ...r, span: SPAN })),
        fc
          .record({
            operand: expr,
            jsonType: fc.constantFrom(
              "VALUE" as const,
              "SCALAR" as const,
              "ARRAY" as const,
              "OBJECT" as const,
            ),
            negated: fc.boolean(),
          })
          .map((r) => ({ kind: "is-json" as const, ...r, span: SPAN })),
        fc
          .record({ left: expr, right: expr, negated: fc.boolean() })
          .map((r) => ({ kind: "is-distinct-from" as const, ...r, span: SPAN })),
        fc
          .record({ operand: expr, low: expr, high: expr, negated: fc.boolean(), symmetric: fc.boolean() })
          .map((r) => ({ kind: "between" as const, ...r, span: SPAN })),
        fc
          .record({
            operator: fc.constantFrom("LIKE" as const, "SIMILAR TO" as const),
            operand: expr,
            pattern: expr,
            escape: fc.option(expr),
            negated: fc.boolean(),
          })
          .map((r) => ({ kind: "like" as const, ...r, span: SPAN })),
        fc
          .record({ operand: expr, values: exprs(1, 3), negated: fc.boolean() })
          // `x IN ((SELECT ...))` reads as IN (query), as in Flink, so a list holding just one
          // subquery has no spelling of its own and the parser never produces it.
          .filter((r) => !(r.values.length === 1 && r.values[0]!.kind === "scalar-subquery"))
          .map((r) => ({ kind: "in-list" as const, ...r, span: SPAN })),
        fc
          .record({ operand: expr, query: subquery, negated: fc.boolean() })
          .map((r) => ({ kind: "in-query" as const, ...r, span: SPAN })),
        subquery.map((query) => ({ kind: "exists" as const, query, span: SPAN })),
        subquery.map((query) => ({ kind: "scalar-subquery" as const, query, span: SPAN })),
        fc
          .record({
            operand: fc.option(expr),
            whens: fc.array(
              fc
                .record({ conditions: exprs(1, 3), result: expr })
                .map((w) => ({ kind: "when-clause" as const, ...w, span: SPAN })),
              { minLength: 1, maxLength: 2 },
            ),
            elseResult: fc.option(expr),
          })
          // Only a simple CASE may list several values in one WHEN.
          .map((r) => ({
            kind: "case" as const,
            ...r,
            whens:
              r.operand === null
                ? r.whens.map((w) => ({ ...w, conditions: w.conditions.slice(0, 1) }))
                : r.whens,
            span: SPAN,
          })),
        fc
          .record({ operand: expr, type: dataType, safe: fc.boolean() })
          .map((r) => ({ kind: "cast" as const, ...r, span: SPAN })),
        fc
          .record({ unit: fc.constantFrom(...ALL_UNITS), operand: expr })
          .map((r) => ({ kind: "extract" as const, ...r, span: SPAN })),
        fc
          .record({
            side: fc.constantFrom("BOTH" as const, "LEADING" as const, "TRAILING" as const, null),
            characters: fc.option(expr),
            operand: expr,
          })
          .map((r) => ({ kind: "trim" as const, ...r, span: SPAN })),
        fc.record({ values: exprs(0, 3), keyword: fc.boolean() }).map(({ values, keyword }) => ({
          kind: "row" as const,
          values,
          keyword: keyword || values.length < 2,
          span: SPAN,
        })),
        exprs(0, 3).map((elements) => ({ kind: "array" as const, elements, span: SPAN })),
        fc
          .array(
            fc
              .record({ key: expr, value: expr })
              .map((e) => ({ kind: "map-entry" as const, ...e, span: SPAN })),
            { maxLength: 2 },
          )
          .map((entries) => ({ kind: "map" as const, entries, span: SPAN })),
        fc.record({ target: expr, index: expr }).map((r) => ({ kind: "index" as const, ...r, span: SPAN })),
        fc
          .record({ target: expr, field: identifier })
          .map((r) => ({ kind: "field-access" as const, ...r, span: SPAN })),
        call,
        jsonCall(expr, orderItem, window),
        expr.map((operand) => ({
          kind: "match-semantics" as const,
          semantics: "RUNNING" as const,
          operand,
          span: SPAN,
        })),
        // FINAL is not reserved, so it is a prefix only before a call (or a dotted name).
        call
          .filter((c) => c.name.parts.length === 1)
          .map((operand) => ({
            kind: "match-semantics" as const,
            semantics: "FINAL" as const,
            operand,
            span: SPAN,
          })),
      ),
    };
  },
).expr;

// --- Row patterns (MATCH_RECOGNIZE). ---

export const rowPattern: fc.Arbitrary<RowPattern> = fc.letrec<{ pattern: RowPattern }>((tie) => {
  const pattern = tie("pattern");
  return {
    pattern: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      {
        arbitrary: identifier.map((name) => ({ kind: "pattern-variable" as const, name, span: SPAN })),
        weight: 5,
      },
      fc
        .constantFrom("^" as const, "$" as const)
        .map((anchor) => ({ kind: "pattern-anchor" as const, anchor, span: SPAN })),
      // One item is never a concatenation (it is the item itself); none is the empty pattern.
      fc
        .array(pattern, { maxLength: 3 })
        .filter((items) => items.length !== 1)
        .map((items) => ({ kind: "pattern-concatenation" as const, items, span: SPAN })),
      fc
        .array(pattern, { minLength: 2, maxLength: 3 })
        .map((alternatives) => ({ kind: "pattern-alternation" as const, alternatives, span: SPAN })),
      fc
        .record({ pattern, min: fc.nat(3), extra: fc.option(fc.nat(3)), reluctant: fc.boolean() })
        .map(({ pattern: inner, min, extra, reluctant }) => ({
          kind: "pattern-quantified" as const,
          pattern: inner,
          min,
          max: extra === null ? null : min + extra,
          reluctant,
          span: SPAN,
        })),
      pattern.map((inner) => ({ kind: "pattern-exclusion" as const, pattern: inner, span: SPAN })),
      fc
        .array(pattern, { minLength: 1, maxLength: 3 })
        .map((patterns) => ({ kind: "pattern-permute" as const, patterns, span: SPAN })),
    ),
  };
}).pattern;
