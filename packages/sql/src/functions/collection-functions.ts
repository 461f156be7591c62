/**
 * Constructors and accessors of collections and rows: ARRAY, MAP, ROW, ITEM (`a[i]`, `m[k]`),
 * FIELD (`r.f`), CARDINALITY, ELEMENT, ARRAY_CONTAINS, ARRAY_POSITION, ARRAY_DISTINCT,
 * ARRAY_REMOVE, ARRAY_REVERSE, ARRAY_JOIN, MAP_KEYS, MAP_VALUES, MAP_ENTRIES.
 *
 * Invariants: array indices are 1-based and an index outside the array gives NULL (Flink);
 * a missing map key gives NULL; map keys are found by SQL equality on their group key (so
 * `MAP['a', 1]['a']` works whatever object holds the key); `FIELD(row, 'name')` takes the field
 * name as a STRING literal; ROW fields are named `EXPR$0`, `EXPR$1` … as in Flink.
 * Example: `ITEM(ARRAY[10, 20], 2)` = 20, `ITEM(ARRAY[10, 20], 3)` = NULL.
 * @module
 */

import { groupKeyOf } from "../data/compare-values.ts";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { commonType, isInteger } from "../types/type-coercion.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import { sqlComparator } from "./comparison-functions.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { checkOperands, customScalar, formatTypes, INT_NOT_NULL, scalar } from "./signature.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

function keyString(value: SqlValue, type: LogicalType): string {
  return JSON.stringify(groupKeyOf(value, type), (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Looks a key up in a map value by SQL equality. */
export function mapGet(map: ReadonlyMap<SqlValue, SqlValue>, key: SqlValue, keyType: LogicalType): SqlValue {
  const direct = map.get(key);
  if (direct !== undefined) return direct;
  if (typeof key !== "object" || key === null) return null;
  const wanted = keyString(key, keyType);
  for (const [k, v] of map) if (keyString(k, keyType) === wanted) return v;
  return null;
}

function common(name: string, types: readonly LogicalType[]): LogicalType {
  const found = commonType(types);
  if (found === null)
    throw new FunctionTypeError(`${name} elements have no common type: ${formatTypes(types)}`);
  return found.kind === "NULL" ? LogicalTypes.null() : found;
}

function itemImplementation(container: LogicalType): Impl {
  if (container.kind === "MAP")
    return (_c, map, key) => mapGet(map as ReadonlyMap<SqlValue, SqlValue>, key!, container.key);
  return (_c, array, index) => {
    const i = typeof index === "bigint" ? Number(index) : (index as number);
    const values = array as readonly SqlValue[];
    return i >= 1 && i <= values.length ? values[i - 1]! : null;
  };
}

function fieldImplementation(row: LogicalType): Impl {
  const positions = new Map<string, number>();
  if (row.kind === "ROW") {
    for (let i = 0; i < row.fields.length; i++) positions.set(row.fields[i]!.name, i);
  }
  return (_c, value, name) => {
    const index = positions.get(name as string);
    return index === undefined ? null : ((value as readonly SqlValue[])[index] ?? null);
  };
}

function containsImplementation(element: LogicalType): Impl {
  const compare = sqlComparator(element);
  return (_c, array, value) => {
    for (const e of array as readonly SqlValue[]) {
      if (e === null ? value === null : value !== null && compare(e, value) === 0) return true;
    }
    return false;
  };
}

function elementOf(type: LogicalType): LogicalType {
  return type.kind === "ARRAY" || type.kind === "MULTISET" ? type.element : LogicalTypes.null();
}

export const COLLECTION_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  customScalar(
    "ARRAY",
    (operands) => {
      if (operands.length === 0) throw new FunctionTypeError("ARRAY needs at least one element");
      const element = common("ARRAY", operands);
      return {
        result: LogicalTypes.array(element, false),
        operands: operands.map((t) => withNullability(element, t.nullable)),
      };
    },
    (_c, ...elements) => elements,
    { strict: false },
  ),
  customScalar(
    "MAP",
    (operands) => {
      if (operands.length === 0 || operands.length % 2 !== 0)
        throw new FunctionTypeError("MAP needs key, value pairs");
      const keys = operands.filter((_t, i) => i % 2 === 0);
      const values = operands.filter((_t, i) => i % 2 === 1);
      const key = common("MAP keys", keys);
      const value = common("MAP values", values);
      return {
        result: LogicalTypes.map(key, value, false),
        operands: operands.map((t, i) => withNullability(i % 2 === 0 ? key : value, t.nullable)),
      };
    },
    (_c, ...operands) => {
      const map = new Map<SqlValue, SqlValue>();
      for (let i = 0; i + 1 < operands.length; i += 2) map.set(operands[i]!, operands[i + 1]!);
      return map;
    },
    { strict: false },
  ),
  customScalar(
    "ROW",
    (operands) => ({
      result: LogicalTypes.row(
        operands.map((type, i) => ({ name: `EXPR$${i}`, type })),
        false,
      ),
    }),
    (_c, ...fields) => fields,
    { strict: false },
  ),
  customScalar(
    "ITEM",
    (operands) => {
      const [container, index] = operands;
      if (operands.length !== 2 || container === undefined || index === undefined)
        throw new FunctionTypeError("ITEM expects (container, index)");
      if (container.kind === "ARRAY" && (isInteger(index) || index.kind === "NULL")) {
        return {
          result: withNullability(container.element, true),
          operands: [container, LogicalTypes.int(index.nullable)],
        };
      }
      if (container.kind === "MAP") {
        const key = commonType([container.key, index]);
        if (key === null)
          throw new FunctionTypeError(
            `map key of type ${formatTypes([container.key])} cannot be looked up with ${formatTypes([index])}`,
          );
        return {
          result: withNullability(container.value, true),
          operands: [container, withNullability(container.key, index.nullable)],
        };
      }
      throw new FunctionTypeError(`cannot index ${formatTypes([container])} with ${formatTypes([index])}`);
    },
    itemImplementation(LogicalTypes.array(LogicalTypes.null())),
    { specialize: (operands) => itemImplementation(operands[0]!) },
  ),
  customScalar(
    "FIELD",
    (operands, literals) => {
      const [row] = operands;
      const name = literals[1];
      if (row === undefined || row.kind !== "ROW" || typeof name !== "string") {
        throw new FunctionTypeError(
          `FIELD expects (ROW, field name literal) but got ${formatTypes(operands)}`,
        );
      }
      const field = row.fields.find((f) => f.name === name);
      if (field === undefined)
        throw new FunctionTypeError(`unknown field '${name}' of ${formatTypes([row])}`);
      return { result: withNullability(field.type, field.type.nullable || row.nullable) };
    },
    fieldImplementation(LogicalTypes.row([])),
    { specialize: (operands) => fieldImplementation(operands[0]!) },
  ),
  customScalar(
    "CARDINALITY",
    (operands) => {
      const [type] = operands;
      if (
        operands.length !== 1 ||
        type === undefined ||
        !(type.kind === "ARRAY" || type.kind === "MAP" || type.kind === "MULTISET")
      ) {
        throw new FunctionTypeError(
          `CARDINALITY expects (ARRAY | MAP | MULTISET) but got ${formatTypes(operands)}`,
        );
      }
      return { result: withNullability(INT_NOT_NULL, type.nullable) };
    },
    (_c, value) => {
      if (Array.isArray(value)) return value.length;
      if (value instanceof Map) {
        // A MULTISET counts its elements with multiplicity.
        let n = 0;
        for (const v of value.values()) n += typeof v === "number" ? v : 1;
        return n;
      }
      return null;
    },
    {
      specialize: (operands) =>
        operands[0]!.kind === "MULTISET"
          ? (_c, value) => {
              let n = 0;
              for (const v of (value as ReadonlyMap<SqlValue, SqlValue>).values()) n += v as number;
              return n;
            }
          : operands[0]!.kind === "MAP"
            ? (_c, value) => (value as ReadonlyMap<SqlValue, SqlValue>).size
            : (_c, value) => (value as readonly SqlValue[]).length,
    },
  ),
  customScalar(
    "ELEMENT",
    (operands) => {
      checkOperands("ELEMENT", operands, ["ARRAY"]);
      return { result: withNullability(elementOf(operands[0]!), true) };
    },
    (_c, array) => {
      const values = array as readonly SqlValue[];
      if (values.length > 1) throw new SqlRuntimeError("ELEMENT: the array has more than one element");
      return values[0] ?? null;
    },
  ),
  customScalar(
    "ARRAY_CONTAINS",
    (operands) => {
      const cast = checkOperands("ARRAY_CONTAINS", operands, ["ARRAY", "ANY"]);
      const element = elementOf(cast[0]!);
      if (commonType([element, cast[1]!]) === null) {
        throw new FunctionTypeError(
          `ARRAY_CONTAINS cannot look for ${formatTypes([cast[1]!])} in ${formatTypes([cast[0]!])}`,
        );
      }
      return {
        result: LogicalTypes.boolean(operands[0]!.nullable),
        operands: [cast[0]!, withNullability(element, cast[1]!.nullable)],
      };
    },
    containsImplementation(LogicalTypes.double()),
    {
      strict: false,
      specialize: (operands) => (c, array, value) =>
        array === null ? null : containsImplementation(elementOf(operands[0]!))(c, array, value!),
    },
  ),
  customScalar(
    "ARRAY_POSITION",
    (operands) => {
      const cast = checkOperands("ARRAY_POSITION", operands, ["ARRAY", "ANY"]);
      return {
        result: LogicalTypes.int(operands.some((t) => t.nullable)),
        operands: [cast[0]!, withNullability(elementOf(cast[0]!), cast[1]!.nullable)],
      };
    },
    (_c, array, value) => (array as readonly SqlValue[]).indexOf(value!) + 1,
    {
      specialize: (operands) => {
        const compare = sqlComparator(elementOf(operands[0]!));
        return (_c, array, value) =>
          (array as readonly SqlValue[]).findIndex((e) => e !== null && compare(e, value!) === 0) + 1;
      },
    },
  ),
  customScalar(
    "ARRAY_DISTINCT",
    (operands) => {
      checkOperands("ARRAY_DISTINCT", operands, ["ARRAY"]);
      return { result: operands[0]! };
    },
    (_c, array) => [...new Set(array as readonly SqlValue[])],
    {
      specialize: (operands) => {
        const element = elementOf(operands[0]!);
        return (_c, array) => {
          const seen = new Set<string>();
          return (array as readonly SqlValue[]).filter((e) => {
            const key = keyString(e, element);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
        };
      },
    },
  ),
  customScalar(
    "ARRAY_REVERSE",
    (operands) => {
      checkOperands("ARRAY_REVERSE", operands, ["ARRAY"]);
      return { result: operands[0]! };
    },
    (_c, array) => [...(array as readonly SqlValue[])].reverse(),
  ),
  customScalar(
    "ARRAY_REMOVE",
    (operands) => {
      const cast = checkOperands("ARRAY_REMOVE", operands, ["ARRAY", "ANY"]);
      return {
        result: operands[0]!,
        operands: [cast[0]!, withNullability(elementOf(cast[0]!), cast[1]!.nullable)],
      };
    },
    (_c, array, value) => (array as readonly SqlValue[]).filter((e) => e !== value),
    {
      strict: false,
      specialize: (operands) => {
        const compare = sqlComparator(elementOf(operands[0]!));
        return (_c, array, value) =>
          array === null
            ? null
            : (array as readonly SqlValue[]).filter((e) =>
                value === null ? e !== null : e === null || compare(e, value) !== 0,
              );
      },
    },
  ),
  scalar(
    "ARRAY_JOIN",
    [["ARRAY", "STRING", "STRING?"]],
    () => LogicalTypes.string(false),
    (_c, array, separator, nullReplacement) =>
      (array as readonly SqlValue[])
        .filter((e) => e !== null || nullReplacement !== undefined)
        .map((e) => (e === null ? (nullReplacement as string) : String(e)))
        .join(separator as string),
  ),
  customScalar(
    "MAP_KEYS",
    (operands) => {
      checkOperands("MAP_KEYS", operands, ["MAP"]);
      const map = operands[0]!;
      return { result: LogicalTypes.array(map.kind === "MAP" ? map.key : LogicalTypes.null(), map.nullable) };
    },
    (_c, map) => [...(map as ReadonlyMap<SqlValue, SqlValue>).keys()],
  ),
  customScalar(
    "MAP_VALUES",
    (operands) => {
      checkOperands("MAP_VALUES", operands, ["MAP"]);
      const map = operands[0]!;
      return {
        result: LogicalTypes.array(map.kind === "MAP" ? map.value : LogicalTypes.null(), map.nullable),
      };
    },
    (_c, map) => [...(map as ReadonlyMap<SqlValue, SqlValue>).values()],
  ),
  customScalar(
    "MAP_ENTRIES",
    (operands) => {
      checkOperands("MAP_ENTRIES", operands, ["MAP"]);
      const map = operands[0]!;
      if (map.kind !== "MAP") throw new FunctionTypeError("MAP_ENTRIES expects a MAP");
      return {
        result: LogicalTypes.array(
          LogicalTypes.row([
            { name: "key", type: map.key },
            { name: "value", type: map.value },
          ]),
          map.nullable,
        ),
      };
    },
    (_c, map) => [...(map as ReadonlyMap<SqlValue, SqlValue>)].map(([k, v]) => [k, v]),
  ),
  scalar(
    "SPLIT",
    [["STRING", "STRING"]],
    () => LogicalTypes.array(LogicalTypes.string(), false),
    (_c, s, separator) =>
      (separator as string) === "" ? [...(s as string)] : (s as string).split(separator as string),
  ),
];
