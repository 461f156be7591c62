/**
 * fast-check generators of calls written with the SQL/JSON functions' own syntax, for the
 * printer/parser round trip.
 *
 * Invariant: each generated call carries only the clauses and behaviors its function's grammar
 * allows (see parser/json-calls.ts), and the argument count the syntax fixes (two for the path
 * functions, pairs for JSON_OBJECT, one value or pair for the aggregates), so it is a tree the
 * parser can produce.
 * @module
 */

import fc from "fast-check";
import type { CallExpression, Expression, JsonBehavior, JsonCallClauses } from "../ast/expressions.ts";
import type { OrderItem, WindowSpec } from "../ast/windows.ts";
import { dataType, identifier, SPAN } from "./name-and-type-arbitraries.ts";

type Behavior = JsonBehavior["behavior"];

function behaviorOf(
  expr: fc.Arbitrary<Expression>,
  allowed: readonly Behavior[],
): fc.Arbitrary<JsonBehavior> {
  return fc.record({ behavior: fc.constantFrom(...allowed), value: expr }).map(({ behavior, value }) => ({
    kind: "json-behavior",
    behavior,
    value: behavior === "DEFAULT" ? value : null,
    span: SPAN,
  }));
}

function callOf(
  name: string,
  args: readonly Expression[],
  clauses: Partial<Omit<JsonCallClauses, "kind" | "span">>,
  filter: Expression | null = null,
  over: WindowSpec | CallExpression["name"]["parts"][number] | null = null,
): CallExpression {
  return {
    kind: "call",
    name: { kind: "qualified-name", parts: [{ kind: "identifier", value: name, span: SPAN }], span: SPAN },
    quantifier: null,
    args,
    filter,
    over,
    parenthesized: true,
    json: {
      kind: "json-clauses",
      returning: clauses.returning ?? null,
      wrapper: clauses.wrapper ?? null,
      onEmpty: clauses.onEmpty ?? null,
      onError: clauses.onError ?? null,
      onNull: clauses.onNull ?? null,
      orderBy: clauses.orderBy ?? [],
      span: SPAN,
    },
    span: SPAN,
  };
}

/** JSON calls over sub-expressions `expr`, ORDER BY items `orderItem` and windows `window`. */
export function jsonCall(
  expr: fc.Arbitrary<Expression>,
  orderItem: fc.Arbitrary<OrderItem>,
  window: fc.Arbitrary<WindowSpec>,
): fc.Arbitrary<CallExpression> {
  const onNull = fc.constantFrom("NULL" as const, "ABSENT" as const, null);
  const aggregateTail = {
    filter: fc.option(expr, { freq: 4 }),
    over: fc.option(fc.oneof(window, identifier), { freq: 4 }),
  };
  const valueBehavior = fc.option(behaviorOf(expr, ["NULL", "ERROR", "DEFAULT"]));
  const queryBehavior = fc.option(behaviorOf(expr, ["NULL", "ERROR", "EMPTY ARRAY", "EMPTY OBJECT"]));
  return fc.oneof(
    fc
      .record({
        name: fc.constantFrom("JSON_VALUE", "json_value"),
        json: expr,
        path: expr,
        returning: fc.option(dataType),
        onEmpty: valueBehavior,
        onError: valueBehavior,
      })
      .map(({ name, json, path, ...clauses }) => callOf(name, [json, path], clauses)),
    fc
      .record({
        json: expr,
        path: expr,
        returning: fc.option(dataType),
        wrapper: fc.constantFrom(
          "WITHOUT" as const,
          "WITH CONDITIONAL" as const,
          "WITH UNCONDITIONAL" as const,
          null,
        ),
        onEmpty: queryBehavior,
        onError: queryBehavior,
      })
      .map(({ json, path, ...clauses }) => callOf("JSON_QUERY", [json, path], clauses)),
    fc
      .record({
        json: expr,
        path: expr,
        onError: fc.option(behaviorOf(expr, ["TRUE", "FALSE", "UNKNOWN", "ERROR"])),
      })
      .map(({ json, path, onError }) => callOf("JSON_EXISTS", [json, path], { onError })),
    fc
      .record({ entries: fc.array(fc.tuple(expr, expr), { maxLength: 2 }), onNull })
      .map(({ entries, onNull: n }) => callOf("JSON_OBJECT", entries.flat(), { onNull: n })),
    fc
      .record({ values: fc.array(expr, { maxLength: 3 }), onNull })
      .map(({ values, onNull: n }) => callOf("JSON_ARRAY", values, { onNull: n })),
    fc
      .record({ key: expr, value: expr, onNull, ...aggregateTail })
      .map(({ key, value, onNull: n, filter, over }) =>
        callOf("JSON_OBJECTAGG", [key, value], { onNull: n }, filter, over),
      ),
    fc
      .record({ value: expr, orderBy: fc.array(orderItem, { maxLength: 2 }), onNull, ...aggregateTail })
      .map(({ value, orderBy, onNull: n, filter, over }) =>
        callOf("JSON_ARRAYAGG", [value], { orderBy, onNull: n }, filter, over),
      ),
  );
}
