/**
 * Small aggregate implementations for the operator tests, so the operators are tested against
 * aggregates whose behaviour the test can see at a glance (the built-in library has its own tests).
 * All take NULL operands the way SQL aggregates do: they skip them.
 * @module
 */

import type { SqlValue } from "../../data/values.ts";
import type { AggregateImplementation } from "../../functions/function-definition.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import type { AggregateCallSpec } from "../operator-specs.ts";

/** COUNT(*) with no operands, COUNT(x) with one (NULLs not counted). Accumulator: a number. */
export const countAggregate: AggregateImplementation<number> = {
  createAccumulator: () => 0,
  accumulate: (acc, operands) => (operands.length === 0 || operands[0] !== null ? acc + 1 : acc),
  retract: (acc, operands) => (operands.length === 0 || operands[0] !== null ? acc - 1 : acc),
  merge: (acc, other) => acc + other,
  getValue: (acc) => BigInt(acc),
};

/** SUM over BIGINT; NULL when no non-null value is in. Accumulator: [sum, non-null count]. */
export const sumAggregate: AggregateImplementation<[bigint, number]> = {
  createAccumulator: () => [0n, 0],
  accumulate: (acc, [v]) => (v === null ? acc : [acc[0] + (v as bigint), acc[1] + 1]),
  retract: (acc, [v]) => (v === null ? acc : [acc[0] - (v as bigint), acc[1] - 1]),
  merge: (acc, other) => [acc[0] + other[0], acc[1] + other[1]],
  getValue: (acc) => (acc[1] === 0 ? null : acc[0]),
};

/** MIN over BIGINT without retraction (like an append-only MIN). */
export const appendOnlyMinAggregate: AggregateImplementation<bigint | null> = {
  createAccumulator: () => null,
  accumulate: (acc, [v]) => (v === null ? acc : acc === null || (v as bigint) < acc ? (v as bigint) : acc),
  getValue: (acc) => acc,
};

/** MAX over BIGINT with retraction: keeps a count per value (as Flink's MaxWithRetract). */
export const maxAggregate: AggregateImplementation<[string, number][]> = {
  createAccumulator: () => [],
  accumulate: (acc, [v = null]) => (v === null ? acc : adjust(acc, v, 1)),
  retract: (acc, [v = null]) => (v === null ? acc : adjust(acc, v, -1)),
  merge: (acc, other) => other.reduce((a, [v, n]) => adjust(a, BigInt(v), n), acc),
  getValue: (acc) => {
    let max: bigint | null = null;
    for (const [v, n] of acc) if (n > 0 && (max === null || BigInt(v) > max)) max = BigInt(v);
    return max;
  },
};

function adjust(acc: [string, number][], value: SqlValue, by: number): [string, number][] {
  const text = String(value);
  const next = acc.map(([v, n]) => [v, n] as [string, number]);
  const entry = next.find(([v]) => v === text);
  if (entry === undefined) next.push([text, by]);
  else entry[1] += by;
  return next.filter(([, n]) => n !== 0);
}

/** A call spec with the defaults most tests want. */
export function call(
  display: string,
  implementation: AggregateImplementation<unknown>,
  args: readonly number[],
  options: { readonly distinct?: boolean; readonly filterArg?: number } = {},
): AggregateCallSpec {
  return {
    display,
    implementation,
    args,
    distinct: options.distinct ?? false,
    filterArg: options.filterArg ?? null,
    resultType: LogicalTypes.bigint(),
  };
}
