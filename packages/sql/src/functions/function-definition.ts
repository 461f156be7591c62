/**
 * Function definitions: the contract between the function catalog (built-ins and user-defined
 * functions written in TypeScript), the validator (which asks for operand checks and result types)
 * and the expression compiler / aggregate operators (which ask for code and accumulators).
 *
 * NULL contract: a `strict` scalar function returns NULL when any operand is NULL, and its
 * implementation is only ever called with non-null operands (the compiler emits the checks). A
 * non-strict function (COALESCE, IS NULL, CASE, AND, OR, CONCAT_WS …) receives nulls and decides.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";

/** Thrown by `inferType` when operands do not fit; the validator adds the SQL position. */
export class FunctionTypeError extends Error {
  override readonly name = "FunctionTypeError";
}

/** Per-query settings a function may depend on (session time zone, current time for a query). */
export interface FunctionContext {
  /** IANA zone from `table.local-time-zone` (Flink's default is the system zone). */
  readonly timeZone: string;
  /**
   * Where the expression compiler looks up the functions a rex names (built-ins plus the session's
   * user functions); the built-in catalog when absent.
   */
  readonly functions?: FunctionCatalog;
  /**
   * Epoch millis that CURRENT_TIMESTAMP / NOW / CURRENT_DATE … return for the whole query in
   * batch mode (Flink evaluates them once per query there); per record (the wall clock) when absent.
   */
  readonly queryStartMillis?: number;
}

export interface ScalarFunctionDefinition {
  readonly kind: "scalar";
  /** Canonical upper-case name, e.g. `SUBSTRING`. */
  readonly name: string;
  readonly strict: boolean;
  /** False for RAND, UUID, CURRENT_TIMESTAMP…: constant folding leaves such calls alone. */
  readonly deterministic: boolean;
  /**
   * Checks operand types and returns the result type, or the operand types the validator must cast
   * to first (Flink's implicit casts). Throws {@link FunctionTypeError} with a message such as
   * "SUBSTRING expects (STRING, INT[, INT]) but got (STRING, BOOLEAN)". `literals[i]` is the
   * operand's value when it is a literal (e.g. a format string), else `undefined`.
   */
  inferType(
    operands: readonly LogicalType[],
    literals: readonly (SqlValue | undefined)[],
  ): { readonly result: LogicalType; readonly operands?: readonly LogicalType[] };
  /** The implementation, called with operands in their runtime representation. */
  readonly implementation: (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;
  /**
   * For functions whose behaviour depends on the resolved types of a call site (DECIMAL scales,
   * integer widths, the session zone for TIMESTAMP_LTZ): returns the implementation for these
   * operand and result types. The expression compiler prefers it over `implementation`, which then
   * only covers the common case. Example: `+` on DECIMAL(10, 2) and DECIMAL(5, 1) aligns scales.
   */
  specialize?(
    operands: readonly LogicalType[],
    result: LogicalType,
  ): (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;
}

/**
 * An aggregate function with accumulators, retraction and merging (Flink's AggregateFunction with
 * `retract` and `merge`). The accumulator is plain data (it lives in keyed state and in snapshots).
 * `retract` is absent for functions that cannot take rows back (the planner then refuses an
 * updating input with a clear error, as Flink does).
 */
export interface AggregateFunctionDefinition<ACC = unknown> {
  readonly kind: "aggregate";
  readonly name: string;
  inferType(operands: readonly LogicalType[]): {
    readonly result: LogicalType;
    readonly operands?: readonly LogicalType[];
  };
  /**
   * Builds the accumulator functions for one call site with its resolved types. `options` lets the
   * planner say the input is insert-only (`retraction: false`), so MIN/MAX/FIRST_VALUE/LAST_VALUE
   * keep one value instead of every value they may have to take back; retraction is assumed when
   * absent.
   */
  create(
    operands: readonly LogicalType[],
    result: LogicalType,
    options?: AggregateCreateOptions,
  ): AggregateImplementation<ACC>;
}

export interface AggregateCreateOptions {
  /** False when the input never retracts; `retract` may then be absent. Default true. */
  readonly retraction?: boolean;
}

export interface AggregateImplementation<ACC> {
  createAccumulator(): ACC;
  /** Adds one row's operand values; returns the (possibly new) accumulator. */
  accumulate(acc: ACC, operands: readonly SqlValue[]): ACC;
  retract?(acc: ACC, operands: readonly SqlValue[]): ACC;
  /** Combines a partial accumulator into `acc` (local-global aggregation, session windows). */
  merge?(acc: ACC, other: ACC): ACC;
  getValue(acc: ACC): SqlValue;
  /** True when the accumulator holds no rows any more (the group can be removed). */
  isEmpty?(acc: ACC): boolean;
}

/** A table function (`LATERAL TABLE(f(x))`): each call yields zero or more rows. */
export interface TableFunctionDefinition {
  readonly kind: "table";
  readonly name: string;
  inferType(operands: readonly LogicalType[]): {
    readonly result: readonly { readonly name: string; readonly type: LogicalType }[];
    readonly operands?: readonly LogicalType[];
  };
  readonly implementation: (context: FunctionContext, ...operands: SqlValue[]) => Iterable<SqlValue[]>;
}

export type FunctionDefinition =
  | ScalarFunctionDefinition
  | AggregateFunctionDefinition
  | TableFunctionDefinition;

/** Looks functions up by name, case-insensitively; user functions shadow built-ins. */
export interface FunctionCatalog {
  lookup(name: string): FunctionDefinition | undefined;
}
