/**
 * `AND`, `OR`, `NOT` with SQL's three-valued logic.
 *
 * Invariant (truth tables): FALSE AND NULL = FALSE, TRUE AND NULL = NULL, TRUE OR NULL = TRUE,
 * FALSE OR NULL = NULL, NOT NULL = NULL. AND / OR take two or more operands.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import type { ScalarFunctionDefinition } from "./function-definition.ts";
import { anyNullable, checkOperands, scalar } from "./signature.ts";

export function sqlAnd(...values: SqlValue[]): SqlValue {
  let sawNull = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === null) sawNull = true;
  }
  return sawNull ? null : true;
}

export function sqlOr(...values: SqlValue[]): SqlValue {
  let sawNull = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === null) sawNull = true;
  }
  return sawNull ? null : false;
}

function junction(
  name: "AND" | "OR",
  implementation: (...values: SqlValue[]) => SqlValue,
): ScalarFunctionDefinition {
  return {
    kind: "scalar",
    name,
    strict: false,
    deterministic: true,
    inferType(operands) {
      const cast = checkOperands(name, operands, ["BOOLEAN", "BOOLEAN", "..."]);
      return { result: LogicalTypes.boolean(anyNullable(operands)), operands: cast };
    },
    implementation: (_c, ...values) => implementation(...values),
  };
}

export const LOGICAL_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  junction("AND", sqlAnd),
  junction("OR", sqlOr),
  scalar(
    "NOT",
    [["BOOLEAN"]],
    () => LogicalTypes.boolean(false),
    (_c, v) => !v,
  ),
];
