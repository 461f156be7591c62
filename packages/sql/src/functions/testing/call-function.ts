/**
 * Test support: evaluates a built-in function the way a query would — operand types inferred by
 * the definition, implicit casts inserted as the validator does, then compiled by the expression
 * compiler — so tests exercise the real path from types to values.
 *
 * Invariant: operands given as {@link TypedOperand} become input fields of one row (so nothing is
 * constant-folded away); plain values become literals of the given type.
 * @module
 */

import type { SqlValue } from "../../data/values.ts";
import { compileScalar } from "../../expressions/compile-expression.ts";
import type { RexNode } from "../../plan/rex.ts";
import type { LogicalType } from "../../types/logical-type.ts";
import { sameTypeIgnoringNullability } from "../../types/type-coercion.ts";
import { createFunctionCatalog } from "../builtin-catalog.ts";
import type { FunctionCatalog, FunctionContext } from "../function-definition.ts";

export interface TypedOperand {
  readonly value: SqlValue;
  readonly type: LogicalType;
  /** True to pass the operand as a literal (for units, formats, separators). */
  readonly literal?: boolean;
}

export function typed(value: SqlValue, type: LogicalType, literal = false): TypedOperand {
  return { value, type, literal };
}

/** Builds the typed rex call with implicit casts, as the validator would. */
export function typedCall(
  name: string,
  operands: readonly RexNode[],
  catalog: FunctionCatalog = createFunctionCatalog(),
): RexNode {
  const definition = catalog.lookup(name);
  if (definition === undefined || definition.kind !== "scalar") throw new Error(`no scalar function ${name}`);
  const inferred = definition.inferType(
    operands.map((o) => o.type),
    operands.map((o) => (o.kind === "literal" ? o.value : undefined)),
  );
  const cast = operands.map((operand, i): RexNode => {
    const target = inferred.operands?.[i];
    if (target === undefined || sameTypeIgnoringNullability(operand.type, target)) return operand;
    return {
      kind: "cast",
      operand,
      type: { ...target, nullable: operand.type.nullable } as LogicalType,
      safe: false,
    };
  });
  return { kind: "call", name: definition.name, operands: cast, type: inferred.result };
}

/** Evaluates `name(operands…)` and returns the value and the result type. */
export function callFunction(
  name: string,
  operands: readonly TypedOperand[],
  context: FunctionContext = { timeZone: "UTC" },
): { value: SqlValue; type: LogicalType } {
  const row: SqlValue[] = [];
  const rex = operands.map((operand): RexNode => {
    if (operand.literal === true) return { kind: "literal", value: operand.value, type: operand.type };
    row.push(operand.value);
    return { kind: "input-ref", index: row.length - 1, type: operand.type };
  });
  const call = typedCall(name, rex, context.functions ?? createFunctionCatalog());
  return { value: compileScalar(call, context)(row), type: call.type };
}
