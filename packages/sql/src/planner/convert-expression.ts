/**
 * Scalar expressions of the syntax tree → typed rex trees. Names are resolved through the
 * {@link Scope}; every operator and function is typed by its definition in the function catalog,
 * and the operand types a definition asks for become explicit casts.
 *
 * Invariant: the returned rex refers only to the scope's row (or, for correlated subqueries, to
 * outer rows through correlated references) and contains no implicit conversions. Nodes that need
 * the enclosing query (aggregate calls, subqueries, OVER) are handed to `substitute`; without it
 * they are an error that names the clause.
 * @module
 */

import type { CallArgument, CallExpression, Expression } from "../ast/expressions.ts";
import type { Identifier } from "../ast/names.ts";
import type { Span } from "../ast/span.ts";
import type { SqlValue } from "../data/values.ts";
import {
  type FunctionCatalog,
  type FunctionContext,
  FunctionTypeError,
  type ScalarFunctionDefinition,
} from "../functions/function-definition.ts";
import type { RexNode } from "../plan/rex.ts";
import { call, literal } from "../plan/rex-factory.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { logicalTypeFromAst } from "../types/from-ast.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import { canCast, sameTypeIgnoringNullability } from "../types/type-coercion.ts";
import { convertLiteral } from "./convert-literal.ts";
import { applyJsonReturning, checkJsonClauses, planJsonCall } from "./json-clauses.ts";
import type { Scope } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export interface ExpressionContext {
  readonly scope: Scope;
  readonly functions: FunctionCatalog;
  readonly functionContext: FunctionContext;
  /** The clause being converted, for errors: `WHERE`, `SELECT`, `ON`, `GROUP BY` … */
  readonly clause: string;
  /**
   * Called before each node is converted; a result replaces the node (aggregate calls and group
   * keys in an aggregate query, subqueries already planned as joins).
   */
  readonly substitute?: (expr: Expression) => RexNode | undefined;
}

export function convertExpression(expr: Expression, ctx: ExpressionContext): RexNode {
  const substituted = ctx.substitute?.(expr);
  if (substituted !== undefined) return substituted;
  switch (expr.kind) {
    case "string-literal":
    case "binary-literal":
    case "number-literal":
    case "boolean-literal":
    case "null-literal":
    case "datetime-literal":
    case "interval-literal":
      return convertLiteral(expr);
    case "reference":
      return convertReference(expr.parts, expr.span, ctx);
    case "call":
      return convertCall(expr, ctx);
    case "unary": {
      if (expr.operator === "+") return convertExpression(expr.operand, ctx);
      return applyOperator(
        expr.operator === "-" ? "NEGATE" : "NOT",
        [convertExpression(expr.operand, ctx)],
        expr.span,
        expr.operator === "-" ? "-" : "NOT",
        ctx.functions,
      );
    }
    case "binary":
      return applyOperator(
        expr.operator,
        [convertExpression(expr.left, ctx), convertExpression(expr.right, ctx)],
        expr.span,
        expr.operator,
        ctx.functions,
      );
    case "is": {
      const operand = convertExpression(expr.operand, ctx);
      return applyOperator(
        `IS ${expr.negated ? "NOT " : ""}${expr.test}`,
        [operand],
        expr.span,
        null,
        ctx.functions,
      );
    }
    case "is-json": {
      const test = applyOperator(
        `IS JSON ${expr.jsonType}`,
        [convertExpression(expr.operand, ctx)],
        expr.span,
        null,
        ctx.functions,
      );
      return expr.negated ? applyOperator("NOT", [test], expr.span, "NOT", ctx.functions) : test;
    }
    case "is-distinct-from":
      return applyOperator(
        expr.negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM",
        [convertExpression(expr.left, ctx), convertExpression(expr.right, ctx)],
        expr.span,
        null,
        ctx.functions,
      );
    case "between": {
      const operand = convertExpression(expr.operand, ctx);
      const low = convertExpression(expr.low, ctx);
      const high = convertExpression(expr.high, ctx);
      let result = applyOperator("BETWEEN", [operand, low, high], expr.span, null, ctx.functions);
      if (expr.symmetric) {
        const swapped = applyOperator("BETWEEN", [operand, high, low], expr.span, null, ctx.functions);
        result = applyOperator("OR", [result, swapped], expr.span, null, ctx.functions);
      }
      return expr.negated ? applyOperator("NOT", [result], expr.span, null, ctx.functions) : result;
    }
    case "like": {
      const operands = [convertExpression(expr.operand, ctx), convertExpression(expr.pattern, ctx)];
      if (expr.escape !== null) operands.push(convertExpression(expr.escape, ctx));
      const result = applyOperator(expr.operator, operands, expr.span, null, ctx.functions);
      return expr.negated ? applyOperator("NOT", [result], expr.span, null, ctx.functions) : result;
    }
    case "in-list": {
      const operands = [
        convertExpression(expr.operand, ctx),
        ...expr.values.map((v) => convertExpression(v, ctx)),
      ];
      const result = applyOperator("IN", operands, expr.span, null, ctx.functions);
      return expr.negated ? applyOperator("NOT", [result], expr.span, null, ctx.functions) : result;
    }
    case "in-query":
    case "exists":
    case "scalar-subquery":
      throw new SqlValidationError(
        expr.span,
        `Subqueries are only supported in WHERE conditions (IN / EXISTS) and as uncorrelated scalar subqueries, not in ${ctx.clause}`,
      );
    case "case": {
      const operands: RexNode[] = [];
      const subject = expr.operand === null ? null : convertExpression(expr.operand, ctx);
      for (const when of expr.whens) {
        // `CASE k WHEN 1, 3 THEN …` matches when any listed value equals k: `k = 1 OR k = 3`.
        let condition: RexNode | null = null;
        for (const value of when.conditions) {
          const converted = convertExpression(value, ctx);
          const test =
            subject === null
              ? converted
              : applyOperator("=", [subject, converted], value.span, "=", ctx.functions);
          condition =
            condition === null
              ? test
              : applyOperator("OR", [condition, test], when.span, "OR", ctx.functions);
        }
        operands.push(condition!);
        operands.push(convertExpression(when.result, ctx));
      }
      operands.push(
        expr.elseResult === null
          ? literal(null, { kind: "NULL", nullable: true })
          : convertExpression(expr.elseResult, ctx),
      );
      return applyOperator("CASE", operands, expr.span, null, ctx.functions);
    }
    case "cast": {
      const operand = convertExpression(expr.operand, ctx);
      let target: LogicalType;
      try {
        target = logicalTypeFromAst(expr.type);
      } catch (error) {
        if (error instanceof LogicalTypeError) throw new SqlValidationError(expr.type.span, error.message);
        throw error;
      }
      if (!canCast(operand.type, target)) {
        throw new SqlValidationError(
          expr.span,
          `Cast function cannot convert value of type ${formatLogicalType(operand.type)} to type ${formatLogicalType(target)}`,
        );
      }
      // As in Flink, a cast keeps its operand's nullability; TRY_CAST may fail, so it is nullable.
      const nullable = expr.safe || operand.type.nullable;
      return { kind: "cast", operand, type: { ...target, nullable } as LogicalType, safe: expr.safe };
    }
    case "extract":
      return applyOperator(
        "EXTRACT",
        [unitLiteral(expr.unit), convertExpression(expr.operand, ctx)],
        expr.span,
        null,
        ctx.functions,
      );
    case "trim": {
      const side = literal(expr.side ?? "BOTH", {
        kind: "CHAR",
        length: (expr.side ?? "BOTH").length,
        nullable: false,
      });
      const chars =
        expr.characters === null
          ? literal(" ", { kind: "CHAR", length: 1, nullable: false })
          : convertExpression(expr.characters, ctx);
      return applyOperator(
        "TRIM",
        [side, chars, convertExpression(expr.operand, ctx)],
        expr.span,
        null,
        ctx.functions,
      );
    }
    case "row":
      return applyOperator(
        "ROW",
        expr.values.map((v) => convertExpression(v, ctx)),
        expr.span,
        null,
        ctx.functions,
      );
    case "array":
      return applyOperator(
        "ARRAY",
        expr.elements.map((v) => convertExpression(v, ctx)),
        expr.span,
        null,
        ctx.functions,
      );
    case "map":
      return applyOperator(
        "MAP",
        expr.entries.flatMap((e) => [convertExpression(e.key, ctx), convertExpression(e.value, ctx)]),
        expr.span,
        null,
        ctx.functions,
      );
    case "index":
      return applyOperator(
        "ITEM",
        [convertExpression(expr.target, ctx), convertExpression(expr.index, ctx)],
        expr.span,
        null,
        ctx.functions,
      );
    case "field-access":
      return fieldAccess(convertExpression(expr.target, ctx), expr.field, expr.span, ctx.functions);
    case "match-semantics":
      throw new SqlValidationError(
        expr.span,
        `${expr.semantics} is only allowed in MATCH_RECOGNIZE measures`,
      );
  }
}

function unitLiteral(unit: string): RexNode {
  return literal(unit, { kind: "CHAR", length: unit.length, nullable: false });
}

function convertReference(parts: readonly Identifier[], span: Span, ctx: ExpressionContext): RexNode {
  const { rex, rest } = ctx.scope.resolve(parts, span);
  let result = rex;
  for (const field of rest) result = fieldAccess(result, field, span, ctx.functions);
  return result;
}

/** `row.field`: a FIELD call with the field's name as a STRING literal. */
function fieldAccess(target: RexNode, field: Identifier, span: Span, functions: FunctionCatalog): RexNode {
  if (target.type.kind !== "ROW") {
    throw new SqlValidationError(
      field.span,
      `Cannot access field '${field.value}' of a value of type ${formatLogicalType(target.type)}`,
    );
  }
  const found = target.type.fields.find((f) => f.name === field.value);
  if (found === undefined) {
    throw new SqlValidationError(
      field.span,
      `Unknown field '${field.value}' of ${formatLogicalType(target.type)}`,
    );
  }
  const name = literal(field.value, {
    kind: "CHAR",
    length: Math.max(1, field.value.length),
    nullable: false,
  });
  if (functions.lookup("FIELD") !== undefined)
    return applyOperator("FIELD", [target, name], span, null, functions);
  const type = { ...found.type, nullable: found.type.nullable || target.type.nullable } as LogicalType;
  return call("FIELD", [target, name], type);
}

function convertCall(expr: CallExpression, ctx: ExpressionContext): RexNode {
  const name = expr.name.parts.map((p) => p.value).join(".");
  const definition = ctx.functions.lookup(name);
  if (expr.over !== null) {
    throw new SqlValidationError(
      expr.span,
      "OVER windows are only supported in the SELECT list and QUALIFY of a query without GROUP BY",
    );
  }
  if (definition === undefined) {
    const types = expr.args.map((a) => argumentTypeForMessage(a, ctx));
    throw new SqlValidationError(
      expr.span,
      `No match found for function signature ${name}(${types.join(", ")})`,
    );
  }
  if (definition.kind === "aggregate") {
    throw new SqlValidationError(expr.span, `Aggregate expression is illegal in ${ctx.clause} clause`);
  }
  if (definition.kind === "table") {
    throw new SqlValidationError(
      expr.span,
      `Table function '${name}' can only be called in FROM with LATERAL TABLE(...)`,
    );
  }
  if (expr.filter !== null) {
    throw new SqlValidationError(
      expr.filter.span,
      `FILTER is only allowed with aggregate functions, not ${name}`,
    );
  }
  checkJsonClauses(expr);
  const arguments_ = expr.args.map((a) => convertArgument(a, ctx));
  const planned = planJsonCall(expr, arguments_, (e) => convertExpression(e, ctx));
  const target = planned.name === undefined ? definition : ctx.functions.lookup(planned.name);
  const callee = target?.kind === "scalar" ? target : definition;
  return applyJsonReturning(expr, applyFunction(callee, planned.operands, expr.span, name));
}

function convertArgument(arg: CallArgument, ctx: ExpressionContext): RexNode {
  switch (arg.kind) {
    case "time-unit-argument":
      return unitLiteral(arg.unit);
    case "star-argument":
      throw new SqlValidationError(arg.span, "'*' is only allowed in COUNT(*)");
    case "named-argument":
    case "table-argument":
    case "descriptor-argument":
      throw new SqlValidationError(
        arg.span,
        "Table arguments are only allowed in window table functions in FROM",
      );
    default:
      return convertExpression(arg, ctx);
  }
}

function argumentTypeForMessage(arg: CallArgument, ctx: ExpressionContext): string {
  try {
    return `<${calciteTypeName(convertArgument(arg, ctx).type)}>`;
  } catch {
    return "<ANY>";
  }
}

/** Calcite's spelling in "Cannot apply" messages: `INTEGER`, `VARCHAR(2147483647)`, `BOOLEAN`. */
export function calciteTypeName(type: LogicalType): string {
  const text = formatLogicalType({ ...type, nullable: true } as LogicalType);
  if (type.kind === "INT") return "INTEGER";
  if (text === "STRING") return "VARCHAR(2147483647)";
  if (text === "BYTES") return "VARBINARY(2147483647)";
  return text;
}

/** Types a call of a scalar operator by its catalog definition. */
export function applyOperator(
  name: string,
  operands: readonly RexNode[],
  span: Span,
  infix: string | null,
  functions: FunctionCatalog,
): RexNode {
  const definition = functions.lookup(name);
  if (definition === undefined || definition.kind !== "scalar") {
    throw new SqlValidationError(span, `Operator '${name}' is not available`);
  }
  try {
    return typeCall(definition, operands);
  } catch (error) {
    if (error instanceof FunctionTypeError || error instanceof LogicalTypeError) {
      const types = operands.map((o) => `<${calciteTypeName(o.type)}>`);
      const shape =
        infix !== null && types.length === 2
          ? `${types[0]} ${infix} ${types[1]}`
          : infix !== null && types.length === 1
            ? `${infix}${types[0]}`
            : `${name}(${types.join(", ")})`;
      throw new SqlValidationError(
        span,
        `Cannot apply '${infix ?? name}' to arguments of type '${shape}'. ${error.message}`,
      );
    }
    throw error;
  }
}

function applyFunction(
  definition: ScalarFunctionDefinition,
  operands: readonly RexNode[],
  span: Span,
  name: string,
): RexNode {
  try {
    return typeCall(definition, operands);
  } catch (error) {
    if (error instanceof FunctionTypeError || error instanceof LogicalTypeError) {
      // Definitions that word the error as Flink does already are passed on unchanged.
      if (/^(Invalid number of arguments|Cannot apply)/.test(error.message))
        throw new SqlValidationError(span, error.message);
      const types = operands.map((o) => `<${calciteTypeName(o.type)}>`);
      throw new SqlValidationError(
        span,
        `Cannot apply '${name}' to arguments of type '${name}(${types.join(", ")})'. ${error.message}`,
      );
    }
    throw error;
  }
}

/** Asks the definition for the result type and inserts the casts it wants on operands. */
export function typeCall(definition: ScalarFunctionDefinition, operands: readonly RexNode[]): RexNode {
  const literals: (SqlValue | undefined)[] = operands.map((o) =>
    o.kind === "literal" ? o.value : undefined,
  );
  const inferred = definition.inferType(
    operands.map((o) => o.type),
    literals,
  );
  const casted = inferred.operands === undefined ? operands : castOperands(operands, inferred.operands);
  return call(definition.name, casted, inferred.result);
}

/** Casts each operand whose type differs (ignoring nullability) from the wanted one. */
export function castOperands(operands: readonly RexNode[], wanted: readonly LogicalType[]): RexNode[] {
  return operands.map((operand, i) => {
    const target = wanted[i];
    if (target === undefined || sameTypeIgnoringNullability(operand.type, target)) return operand;
    return castTo(operand, target);
  });
}

/** An implicit cast keeping the operand's nullability. */
export function castTo(operand: RexNode, target: LogicalType): RexNode {
  if (sameTypeIgnoringNullability(operand.type, target) && operand.type.nullable === target.nullable)
    return operand;
  const type = { ...target, nullable: operand.type.nullable } as LogicalType;
  if (operand.kind === "literal" && operand.value === null)
    return literal(null, { ...target, nullable: true } as LogicalType);
  return { kind: "cast", operand, type, safe: false };
}
