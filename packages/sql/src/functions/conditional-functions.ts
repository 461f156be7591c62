/**
 * Conditional functions: `CASE`, `COALESCE`, `NULLIF`, `IF`, `IFNULL`, `GREATEST`, `LEAST`.
 *
 * Invariants: results are typed with the least restrictive common type of the branches (Flink);
 * `CASE` operands are `[cond1, result1, …, else]` and a NULL (or non-TRUE) condition falls through;
 * COALESCE is nullable only when every operand is; GREATEST / LEAST return NULL when any operand is
 * NULL (Flink's behaviour). Example: `COALESCE(NULL, 1, 2.5)` is DECIMAL(11, 1) `1.0`.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { commonType } from "../types/type-coercion.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import { inferComparable, sqlComparator } from "./comparison-functions.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { formatTypes } from "./signature.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

function common(name: string, types: readonly LogicalType[]): LogicalType {
  const found = commonType(types);
  if (found === null) throw new FunctionTypeError(`${name} has no common type for ${formatTypes(types)}`);
  // A result made only of NULLs is typed as nullable NULL; Flink rejects it but keeping it typed as
  // NULL is harmless and lets `CASE WHEN x THEN NULL END` in a cast context still work.
  return found;
}

function castTo(types: readonly LogicalType[], target: LogicalType): LogicalType[] {
  return types.map((t) => withNullability(target, t.nullable));
}

function extremum(name: "GREATEST" | "LEAST"): ScalarFunctionDefinition {
  const sign = name === "GREATEST" ? 1 : -1;
  const build = (type: LogicalType): Impl => {
    const compare = sqlComparator(type);
    return (_c, ...values) => {
      let best: SqlValue = null;
      for (const v of values) {
        if (v === null) return null;
        if (best === null || sign * compare(v, best) > 0) best = v;
      }
      return best;
    };
  };
  return {
    kind: "scalar",
    name,
    strict: true,
    deterministic: true,
    inferType(operands) {
      if (operands.length < 1) throw new FunctionTypeError(`${name} expects at least one operand`);
      const cast = inferComparable(name, operands);
      return {
        result: withNullability(
          cast[0]!,
          operands.some((t) => t.nullable),
        ),
        operands: cast,
      };
    },
    implementation: build(LogicalTypes.double()),
    specialize: (operands) => build(operands[0]!),
  };
}

export const CONDITIONAL_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  {
    kind: "scalar",
    name: "CASE",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length < 3 || operands.length % 2 === 0) {
        throw new FunctionTypeError("CASE expects (condition, result)+ and an ELSE result");
      }
      const results: LogicalType[] = [];
      const cast: LogicalType[] = [...operands];
      for (let i = 0; i + 1 < operands.length; i += 2) {
        const condition = operands[i]!;
        if (condition.kind !== "BOOLEAN" && condition.kind !== "NULL") {
          throw new FunctionTypeError(`CASE conditions must be BOOLEAN but got ${formatTypes([condition])}`);
        }
        results.push(operands[i + 1]!);
      }
      results.push(operands[operands.length - 1]!);
      const type = common("CASE", results);
      for (let i = 1; i < operands.length; i += 2) cast[i] = withNullability(type, operands[i]!.nullable);
      cast[operands.length - 1] = withNullability(type, operands[operands.length - 1]!.nullable);
      return {
        result: withNullability(
          type,
          results.some((t) => t.nullable),
        ),
        operands: cast,
      };
    },
    implementation(_c, ...operands) {
      const last = operands.length - 1;
      for (let i = 0; i < last; i += 2) if (operands[i] === true) return operands[i + 1]!;
      return operands[last]!;
    },
  },
  {
    kind: "scalar",
    name: "COALESCE",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length < 1) throw new FunctionTypeError("COALESCE expects at least one operand");
      const type = common("COALESCE", operands);
      return {
        result: withNullability(
          type,
          operands.every((t) => t.nullable),
        ),
        operands: castTo(operands, type),
      };
    },
    implementation(_c, ...operands) {
      for (const v of operands) if (v !== null) return v;
      return null;
    },
  },
  {
    kind: "scalar",
    name: "IFNULL",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 2) throw new FunctionTypeError("IFNULL expects (value, replacement)");
      const type = common("IFNULL", operands);
      return { result: withNullability(type, operands[1]!.nullable), operands: castTo(operands, type) };
    },
    implementation: (_c, v, replacement) => (v === null ? replacement! : v),
  },
  {
    kind: "scalar",
    name: "IF",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 3 || (operands[0]!.kind !== "BOOLEAN" && operands[0]!.kind !== "NULL")) {
        throw new FunctionTypeError(`IF expects (BOOLEAN, T, T) but got ${formatTypes(operands)}`);
      }
      const type = common("IF", operands.slice(1));
      return {
        result: withNullability(type, operands[1]!.nullable || operands[2]!.nullable),
        operands: [operands[0]!, ...castTo(operands.slice(1), type)],
      };
    },
    implementation: (_c, condition, a, b) => (condition === true ? a! : b!),
  },
  {
    kind: "scalar",
    name: "NULLIF",
    strict: false,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 2) throw new FunctionTypeError("NULLIF expects (value1, value2)");
      const cast = inferComparable("NULLIF", operands);
      return { result: withNullability(cast[0]!, true), operands: cast };
    },
    implementation: (_c, a, b) =>
      a !== null && b !== null && sqlComparator(LogicalTypes.double())(a, b) === 0 ? null : a!,
    specialize(operands) {
      const compare = sqlComparator(operands[0]!);
      return (_c, a, b) => (a !== null && b !== null && compare(a, b) === 0 ? null : a!);
    },
  },
  extremum("GREATEST"),
  extremum("LEAST"),
];
