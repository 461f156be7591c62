/**
 * JSON_ARRAYAGG and JSON_OBJECTAGG: aggregate values into JSON text, retractable.
 *
 * Invariants: values are encoded by their SQL type as JSON_STRING does (numbers stay numbers,
 * DECIMAL becomes a JSON number, strings are quoted); JSON_ARRAYAGG skips NULLs (Flink's default
 * `ABSENT ON NULL`) and keeps arrival order; JSON_OBJECTAGG(key, value) keeps NULL values as JSON
 * null (`NULL ON NULL`) and a later row with the same key replaces the earlier one; an empty
 * group gives `[]` / `{}`, never NULL. The other ON NULL choice is a trailing STRING literal
 * operand: JSON_ARRAYAGG(v, 'NULL') keeps NULLs as JSON null, JSON_OBJECTAGG(k, v, 'ABSENT')
 * ignores rows whose value is NULL. Example: JSON_ARRAYAGG over 'x', 'y' is `["x","y"]`, and
 * JSON_ARRAYAGG(v, 'NULL') over 'x', NULL is `["x",null]`.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { isCharacterString } from "../types/type-coercion.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { aggregate } from "./aggregate-definition.ts";
import type { AggregateFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { jsonTextOf } from "./json-functions.ts";
import { checkOperands, formatTypes } from "./signature.ts";

function jsonText(value: SqlValue, type: LogicalType): string {
  // The accumulator holds text, so the zone is fixed: TIMESTAMP_LTZ values print in UTC here.
  return jsonTextOf(value, type, "UTC");
}

export const JSON_ARRAYAGG: AggregateFunctionDefinition<string[]> = aggregate(
  "JSON_ARRAYAGG",
  (operands) => {
    const onNull = operands[1];
    if (operands.length < 1 || operands.length > 2 || (onNull !== undefined && !isCharacterString(onNull)))
      throw new FunctionTypeError(`JSON_ARRAYAGG expects one operand but got ${formatTypes(operands)}`);
    return { result: LogicalTypes.string(false) };
  },
  (operands) => {
    const type = operands[0]!;
    return {
      createAccumulator: (): string[] => [],
      accumulate(acc, values) {
        const v = values[0] ?? null;
        if (v !== null) acc.push(jsonText(v, type));
        else if (values[1] === "NULL") acc.push("null");
        return acc;
      },
      retract(acc, values) {
        const v = values[0] ?? null;
        if (v === null && values[1] !== "NULL") return acc;
        const at = acc.lastIndexOf(jsonText(v, type));
        if (at >= 0) acc.splice(at, 1);
        return acc;
      },
      merge(acc, other) {
        acc.push(...other);
        return acc;
      },
      getValue: (acc) => `[${acc.join(",")}]`,
    };
  },
);

/** Entries in insertion order: key → [JSON text of the value, rows with this key]. */
export type JsonObjectAccumulator = Map<string, [string, number]>;

export const JSON_OBJECTAGG: AggregateFunctionDefinition<JsonObjectAccumulator> = aggregate(
  "JSON_OBJECTAGG",
  (operands) => {
    const cast = checkOperands("JSON_OBJECTAGG", operands, ["STRING", "ANY", "STRING?"]);
    return { result: LogicalTypes.string(false), operands: cast };
  },
  (operands) => {
    const type = operands[1]!;
    return {
      createAccumulator: (): JsonObjectAccumulator => new Map(),
      accumulate(acc, values) {
        const key = values[0] ?? null;
        if (key === null || (values[1] === null && values[2] === "ABSENT")) return acc;
        const previous = acc.get(key as string);
        acc.set(key as string, [jsonText(values[1] ?? null, type), (previous?.[1] ?? 0) + 1]);
        return acc;
      },
      retract(acc, values) {
        const key = values[0] ?? null;
        if (key === null || (values[1] === null && values[2] === "ABSENT")) return acc;
        const entry = acc.get(key as string);
        if (entry === undefined) return acc;
        if (entry[1] <= 1) acc.delete(key as string);
        else entry[1]--;
        return acc;
      },
      merge(acc, other) {
        for (const [key, entry] of other) {
          const previous = acc.get(key);
          acc.set(key, [entry[0], (previous?.[1] ?? 0) + entry[1]]);
        }
        return acc;
      },
      getValue(acc) {
        const parts: string[] = [];
        for (const [key, [value]] of acc) parts.push(`${JSON.stringify(key)}:${value}`);
        return `{${parts.join(",")}}`;
      },
    };
  },
);
