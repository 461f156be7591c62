/**
 * Helpers shared by the built-in aggregate functions: how an aggregate definition is assembled and
 * how its operands are checked.
 *
 * Invariant: accumulators built through these helpers are plain data (numbers, bigints, strings,
 * arrays, plain objects, Maps) because they live in keyed state and snapshots; an implementation
 * never keeps a reference to the `operands` array it is given (operators reuse it per row).
 * @module
 */

import type { LogicalType } from "../types/logical-type.ts";
import type {
  AggregateCreateOptions,
  AggregateFunctionDefinition,
  AggregateImplementation,
} from "./function-definition.ts";
import { checkOperands } from "./signature.ts";

export function aggregate<ACC>(
  name: string,
  inferType: (operands: readonly LogicalType[]) => { result: LogicalType; operands?: readonly LogicalType[] },
  create: (
    operands: readonly LogicalType[],
    result: LogicalType,
    options: AggregateCreateOptions,
  ) => AggregateImplementation<ACC>,
): AggregateFunctionDefinition<ACC> {
  return {
    kind: "aggregate",
    name,
    inferType,
    create: (operands, result, options) => create(operands, result, options ?? {}),
  };
}

/** Checks one operand of the given families and returns the cast request. */
export function singleOperand(
  name: string,
  operands: readonly LogicalType[],
  ...families: string[]
): LogicalType[] {
  return checkOperands(name, operands, ...families.map((f) => [f]));
}
