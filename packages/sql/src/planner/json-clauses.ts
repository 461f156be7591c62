/**
 * Planning the SQL/JSON clauses of a JSON function call (RETURNING, wrapper, ON EMPTY, ON ERROR,
 * ON NULL, ORDER BY) onto the built-in JSON functions.
 *
 * Invariant: a clause is either planned with its meaning or rejected with a "not supported yet"
 * error naming it; none is silently ignored. The path functions get their behaviors as trailing
 * STRING literal operands (see functions/json-functions.ts): `JSON_EXISTS(j, p TRUE ON ERROR)`
 * is JSON_EXISTS(j, p, 'TRUE'); `JSON_VALUE(j, p DEFAULT FALSE ON EMPTY)` is
 * JSON_VALUE(j, p, 'DEFAULT', FALSE, 'NULL', NULL); `JSON_QUERY(j, p WITH ARRAY WRAPPER)` is
 * JSON_QUERY(j, p, 'WITH UNCONDITIONAL', 'NULL', 'NULL'). A call without clauses keeps its two
 * operands. JSON_OBJECT … ABSENT ON NULL and JSON_ARRAY … NULL ON NULL call the functions named
 * after that choice. `JSON_VALUE(j, p RETURNING INT)` becomes a safe cast of the STRING result to
 * INT, so text that is not an INT gives NULL, as Flink's default `NULL ON ERROR` does.
 * The aggregates get a trailing 'ABSENT' / 'NULL' operand for their non-default ON NULL.
 * Still rejected: JSON_ARRAYAGG's ORDER BY.
 * @module
 */

import type { CallExpression, Expression, JsonBehavior, JsonCallClauses } from "../ast/expressions.ts";
import type { Span } from "../ast/span.ts";
import { JSON_ARRAY_NULL_ON_NULL, JSON_OBJECT_ABSENT_ON_NULL } from "../functions/json-functions.ts";
import type { RexNode } from "../plan/rex.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { logicalTypeFromAst } from "../types/from-ast.ts";
import { type LogicalType, MAX_LENGTH } from "../types/logical-type.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import { canCast, isCharacterString } from "../types/type-coercion.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

function unsupported(name: string, span: Span, clause: string): never {
  throw new SqlValidationError(span, `${name}'s ${clause} clause is not supported yet`);
}

/** Rejects the clauses of `call` (a scalar or aggregate JSON call) the functions cannot honour yet. */
export function checkJsonClauses(call: CallExpression): void {
  const json = call.json;
  if (json === undefined) return;
  const name = call.name.parts[0]!.value.toUpperCase();
  if (json.orderBy.length > 0) unsupported(name, json.orderBy[0]!.span, "ORDER BY");
}

/**
 * The operands a JSON aggregate call gets after its written ones: `'ABSENT'` for
 * JSON_OBJECTAGG(… ABSENT ON NULL), `'NULL'` for JSON_ARRAYAGG(… NULL ON NULL), none for the
 * defaults (see functions/aggregate-json.ts).
 */
export function jsonAggregateOperands(call: CallExpression): RexNode[] {
  const onNull = call.json?.onNull ?? null;
  const name = call.name.parts[0]!.value.toUpperCase();
  if (name === "JSON_OBJECTAGG" && onNull === "ABSENT") return [text("ABSENT")];
  if (name === "JSON_ARRAYAGG" && onNull === "NULL") return [text("NULL")];
  return [];
}

/** The function a scalar JSON call is planned onto and its operands, clauses included. */
export interface PlannedJsonCall {
  /** The catalog name to call; undefined to call the function named in the SQL text. */
  readonly name: string | undefined;
  readonly operands: readonly RexNode[];
}

function text(value: string): RexNode {
  return { kind: "literal", value, type: LogicalTypes.string(false) };
}

const NULL_OPERAND: RexNode = { kind: "literal", value: null, type: LogicalTypes.null() };

function behaviorOperands(
  behavior: JsonBehavior | null,
  convert: (expr: Expression) => RexNode,
): [RexNode, RexNode] {
  if (behavior === null) return [text("NULL"), NULL_OPERAND];
  if (behavior.behavior === "DEFAULT") return [text("DEFAULT"), convert(behavior.value!)];
  return [text(behavior.behavior), NULL_OPERAND];
}

/**
 * `call` (a scalar JSON call whose arguments converted to `operands`) with its clauses turned
 * into trailing operands or a function name, as the module comment describes.
 */
export function planJsonCall(
  call: CallExpression,
  operands: readonly RexNode[],
  convert: (expr: Expression) => RexNode,
): PlannedJsonCall {
  const json = call.json;
  if (json === undefined) return { name: undefined, operands };
  switch (call.name.parts[0]!.value.toUpperCase()) {
    case "JSON_OBJECT":
      return { name: json.onNull === "ABSENT" ? JSON_OBJECT_ABSENT_ON_NULL : undefined, operands };
    case "JSON_ARRAY":
      return { name: json.onNull === "NULL" ? JSON_ARRAY_NULL_ON_NULL : undefined, operands };
    case "JSON_EXISTS":
      if (json.onError === null) return { name: undefined, operands };
      return { name: undefined, operands: [...operands, text(json.onError.behavior)] };
    case "JSON_VALUE": {
      if (json.onEmpty === null && json.onError === null) return { name: undefined, operands };
      const empty = behaviorOperands(json.onEmpty, convert);
      const error = behaviorOperands(json.onError, convert);
      return { name: undefined, operands: [...operands, ...empty, ...error] };
    }
    case "JSON_QUERY": {
      if (json.wrapper === null && json.onEmpty === null && json.onError === null)
        return { name: undefined, operands };
      const clauses = [
        text(json.wrapper ?? "WITHOUT"),
        text(json.onEmpty?.behavior ?? "NULL"),
        text(json.onError?.behavior ?? "NULL"),
      ];
      return { name: undefined, operands: [...operands, ...clauses] };
    }
    default:
      return { name: undefined, operands };
  }
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
