/**
 * Helpers for users writing SQL functions in TypeScript: scalar, aggregate and table functions
 * become {@link FunctionDefinition}s that a session registers by name.
 *
 * Invariants: values cross the boundary in the representation of `../data/values.ts` (BIGINT as
 * bigint, DECIMAL as an unscaled bigint, timestamps as epoch millis …); scalar functions are
 * strict by default (never called with NULL, the result is NULL instead); operand types are
 * checked against `parameters` when given (implicit widening casts are inserted, as for built-ins);
 * aggregate accumulators must be plain data because they are stored in keyed state.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { canImplicitlyCast } from "../types/type-coercion.ts";
import { withNullability } from "../types/type-factory.ts";
import type {
  AggregateFunctionDefinition,
  FunctionContext,
  ScalarFunctionDefinition,
  TableFunctionDefinition,
} from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { formatTypes } from "./signature.ts";

/** Declared parameter types, or a function that checks the actual operand types and returns what to cast them to. */
export type ParameterSpec =
  | readonly LogicalType[]
  | ((operands: readonly LogicalType[]) => readonly LogicalType[]);

function checkParameters(
  name: string,
  spec: ParameterSpec | undefined,
  operands: readonly LogicalType[],
): readonly LogicalType[] | undefined {
  if (spec === undefined) return undefined;
  if (typeof spec === "function") return spec(operands);
  if (spec.length !== operands.length || !operands.every((t, i) => canImplicitlyCast(t, spec[i]!))) {
    throw new FunctionTypeError(`${name} expects ${formatTypes(spec)} but got ${formatTypes(operands)}`);
  }
  return spec.map((t, i) => withNullability(t, operands[i]!.nullable));
}

export interface ScalarFunctionOptions {
  /** The SQL name; defaults to the key under which the function is registered. */
  readonly name?: string;
  readonly parameters?: ParameterSpec;
  readonly returns: LogicalType | ((operands: readonly LogicalType[]) => LogicalType);
  readonly eval: (...args: SqlValue[]) => SqlValue;
  /** False for functions whose result may change between calls with equal arguments. Default true. */
  readonly deterministic?: boolean;
  /** False to receive NULL arguments instead of returning NULL for them. Default true. */
  readonly strict?: boolean;
}

/**
 * A user-defined scalar function.
 * @example
 * ```ts
 * const catalog = createFunctionCatalog({
 *   SLUGIFY: scalarFunction({
 *     parameters: [LogicalTypes.string()],
 *     returns: LogicalTypes.string(),
 *     eval: (text) => (text as string).toLowerCase().replaceAll(/[^a-z0-9]+/g, "-"),
 *   }),
 * });
 * // SELECT SLUGIFY(title) FROM posts  →  'hello-world' for 'Hello, World'
 * ```
 */
export function scalarFunction(options: ScalarFunctionOptions): ScalarFunctionDefinition {
  const name = (options.name ?? "USER_FUNCTION").toUpperCase();
  const strict = options.strict ?? true;
  const evaluate = options.eval;
  return {
    kind: "scalar",
    name,
    strict,
    deterministic: options.deterministic ?? true,
    inferType(operands) {
      // `this.name` is the name the catalog registered the function under (it may rename it).
      const cast = checkParameters(this.name, options.parameters, operands);
      const declared =
        typeof options.returns === "function" ? options.returns(cast ?? operands) : options.returns;
      const nullable = declared.nullable || (strict && operands.some((t) => t.nullable));
      return cast === undefined
        ? { result: withNullability(declared, nullable) }
        : { result: withNullability(declared, nullable), operands: cast };
    },
    implementation: (_context: FunctionContext, ...args: SqlValue[]) => {
      const result = evaluate(...args);
      return result === undefined ? null : result;
    },
  };
}

export interface AggregateFunctionOptions<ACC> {
  readonly name?: string;
  readonly parameters?: ParameterSpec;
  readonly returns: LogicalType | ((operands: readonly LogicalType[]) => LogicalType);
  /** A fresh accumulator: plain data (objects, arrays, numbers, bigints, strings, Maps). */
  readonly createAccumulator: () => ACC;
  /** Folds one row's arguments in; may mutate and return `acc`. NULL arguments are passed as null. */
  readonly accumulate: (acc: ACC, ...args: SqlValue[]) => ACC | undefined;
  /** Takes one row back (needed on updating inputs). */
  readonly retract?: (acc: ACC, ...args: SqlValue[]) => ACC | undefined;
  /** Merges `other` into `acc` (needed for two-phase aggregation). */
  readonly merge?: (acc: ACC, other: ACC) => ACC | undefined;
  readonly getValue: (acc: ACC) => SqlValue;
}

/**
 * A user-defined aggregate function.
 * @example
 * ```ts
 * // Weighted average: SELECT WAVG(price, qty) FROM orders GROUP BY item
 * const WAVG = aggregateFunction<{ sum: number; weight: number }>({
 *   parameters: [LogicalTypes.double(), LogicalTypes.double()],
 *   returns: LogicalTypes.double(),
 *   createAccumulator: () => ({ sum: 0, weight: 0 }),
 *   accumulate: (acc, value, weight) => {
 *     if (value !== null && weight !== null) { acc.sum += (value as number) * (weight as number); acc.weight += weight as number; }
 *   },
 *   retract: (acc, value, weight) => {
 *     if (value !== null && weight !== null) { acc.sum -= (value as number) * (weight as number); acc.weight -= weight as number; }
 *   },
 *   getValue: (acc) => (acc.weight === 0 ? null : acc.sum / acc.weight),
 * });
 * ```
 */
export function aggregateFunction<ACC>(
  options: AggregateFunctionOptions<ACC>,
): AggregateFunctionDefinition<ACC> {
  const name = (options.name ?? "USER_AGGREGATE").toUpperCase();
  const { accumulate, retract, merge } = options;
  return {
    kind: "aggregate",
    name,
    inferType(operands) {
      // `this.name` is the name the catalog registered the function under (it may rename it).
      const cast = checkParameters(this.name, options.parameters, operands);
      const result =
        typeof options.returns === "function" ? options.returns(cast ?? operands) : options.returns;
      return cast === undefined ? { result } : { result, operands: cast };
    },
    create() {
      const implementation = {
        createAccumulator: options.createAccumulator,
        accumulate: (acc: ACC, operands: readonly SqlValue[]) => accumulate(acc, ...operands) ?? acc,
        getValue: (acc: ACC) => options.getValue(acc) ?? null,
      };
      return {
        ...implementation,
        ...(retract === undefined
          ? {}
          : { retract: (acc: ACC, operands: readonly SqlValue[]) => retract(acc, ...operands) ?? acc }),
        ...(merge === undefined ? {} : { merge: (acc: ACC, other: ACC) => merge(acc, other) ?? acc }),
      };
    },
  };
}

export interface TableFunctionOptions {
  readonly name?: string;
  readonly parameters?: ParameterSpec;
  /** The columns each produced row has. */
  readonly columns: readonly { readonly name: string; readonly type: LogicalType }[];
  /** Yields the rows for one call (positional values, one per column). */
  readonly eval: (...args: SqlValue[]) => Iterable<SqlValue[]>;
}

/**
 * A user-defined table function for `LATERAL TABLE(f(x))`.
 * @example
 * ```ts
 * // SELECT o.id, t.word FROM orders o, LATERAL TABLE(SPLIT_WORDS(o.note)) AS t(word)
 * const SPLIT_WORDS = tableFunction({
 *   parameters: [LogicalTypes.string()],
 *   columns: [{ name: "word", type: LogicalTypes.string() }],
 *   *eval(text) {
 *     if (text !== null) for (const word of (text as string).split(/\s+/)) yield [word];
 *   },
 * });
 * ```
 */
export function tableFunction(options: TableFunctionOptions): TableFunctionDefinition {
  const name = (options.name ?? "USER_TABLE_FUNCTION").toUpperCase();
  const evaluate = options.eval;
  return {
    kind: "table",
    name,
    inferType(operands) {
      // `this.name` is the name the catalog registered the function under (it may rename it).
      const cast = checkParameters(this.name, options.parameters, operands);
      return cast === undefined ? { result: options.columns } : { result: options.columns, operands: cast };
    },
    implementation: (_context, ...args) => evaluate(...args),
  };
}
