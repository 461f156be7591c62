/**
 * Planning the SQL/JSON clauses of a JSON function call (RETURNING, wrapper, ON EMPTY, ON ERROR,
 * ON NULL, ORDER BY) onto the built-in JSON functions, which implement Flink's defaults only.
 *
 * Invariant: a clause is either planned with its meaning or rejected with a "not supported yet"
 * error naming it; none is silently ignored. Clauses that spell out the default (JSON_VALUE's
 * `NULL ON EMPTY`, JSON_EXISTS's `FALSE ON ERROR`, JSON_OBJECT's `NULL ON NULL`, JSON_ARRAY's
 * `ABSENT ON NULL`, JSON_QUERY's `WITHOUT ARRAY WRAPPER`) are accepted as they are;
 * `JSON_VALUE(j, p RETURNING INT)` becomes a safe cast of the STRING result to INT, so text that
 * is not an INT gives NULL, as Flink's default `NULL ON ERROR` does.
 * @module
 */

import type { CallExpression, JsonBehavior, JsonCallClauses } from "../ast/expressions.ts";
import type { Span } from "../ast/span.ts";
import type { RexNode } from "../plan/rex.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { logicalTypeFromAst } from "../types/from-ast.ts";
import { type LogicalType, MAX_LENGTH } from "../types/logical-type.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import { canCast, isCharacterString } from "../types/type-coercion.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

/** What each function does when a clause is left out. */
const DEFAULT_ON_NULL: Readonly<Record<string, "NULL" | "ABSENT">> = {
  JSON_OBJECT: "NULL",
  JSON_OBJECTAGG: "NULL",
  JSON_ARRAY: "ABSENT",
  JSON_ARRAYAGG: "ABSENT",
};

function unsupported(name: string, span: Span, clause: string): never {
  throw new SqlValidationError(span, `${name}'s ${clause} clause is not supported yet`);
}

function checkBehavior(name: string, behavior: JsonBehavior | null, accepted: string, on: string): void {
  if (behavior !== null && behavior.behavior !== accepted) {
    const words = behavior.behavior === "DEFAULT" ? "DEFAULT …" : behavior.behavior;
    unsupported(name, behavior.span, `${words} ON ${on}`);
  }
}

/** Rejects the clauses of `call` (a scalar or aggregate JSON call) the functions cannot honour yet. */
export function checkJsonClauses(call: CallExpression): void {
  const json = call.json;
  if (json === undefined) return;
  const name = call.name.parts[0]!.value.toUpperCase();
  const defaultOnNull = DEFAULT_ON_NULL[name];
  if (json.onNull !== null && defaultOnNull !== undefined && json.onNull !== defaultOnNull) {
    unsupported(name, json.span, `${json.onNull} ON NULL`);
  }
  if (json.orderBy.length > 0) unsupported(name, json.orderBy[0]!.span, "ORDER BY");
  if (json.wrapper !== null && json.wrapper !== "WITHOUT") {
    unsupported(name, json.span, `${json.wrapper} ARRAY WRAPPER`);
  }
  const nullOrFalse = name === "JSON_EXISTS" ? "FALSE" : "NULL";
  checkBehavior(name, json.onEmpty, nullOrFalse, "EMPTY");
  checkBehavior(name, json.onError, nullOrFalse, "ERROR");
}

/** The type named by RETURNING, or null when there is none. */
function returningType(json: JsonCallClauses): LogicalType | null {
  if (json.returning === null) return null;
  try {
    return logicalTypeFromAst(json.returning);
  } catch (error) {
    if (error instanceof LogicalTypeError) throw new SqlValidationError(json.returning.span, error.message);
    throw error;
  }
}

/** `result` (the converted call) with RETURNING applied. */
export function applyJsonReturning(call: CallExpression, result: RexNode): RexNode {
  const json = call.json;
  if (json === undefined) return result;
  const target = returningType(json);
  if (target === null) return result;
  const name = call.name.parts[0]!.value.toUpperCase();
  if (target.kind === "VARCHAR" && target.length === MAX_LENGTH) return result;
  if (name === "JSON_QUERY" && !isCharacterString(target)) {
    unsupported(name, json.returning!.span, `RETURNING ${formatLogicalType(target)}`);
  }
  if (!canCast(result.type, target)) {
    throw new SqlValidationError(
      json.returning!.span,
      `${name} cannot return ${formatLogicalType(target)}: a value of type ${formatLogicalType(result.type)} does not cast to it`,
    );
  }
  return { kind: "cast", operand: result, type: { ...target, nullable: true } as LogicalType, safe: true };
}
