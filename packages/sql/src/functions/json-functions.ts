/**
 * JSON functions: JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_STRING, JSON_OBJECT, JSON_ARRAY and
 * the `IS JSON [VALUE | OBJECT | ARRAY | SCALAR]` predicates.
 *
 * Invariants: paths are SQL/JSON paths (`$`, `.key`, `."quoted key"`, `['key']`, `[index]`,
 * `[*]`, `.*`), strict unless they start with `lax` (Flink's default). As in Flink, an
 * unparsable document or path, or a strict path step that finds nothing, is an *error*; a path
 * that finds nothing (or JSON null, or in lax mode a value of the wrong kind) is *empty*. What
 * each gives is the call's ON EMPTY / ON ERROR behavior, passed as trailing STRING literal
 * operands, by default NULL (FALSE for JSON_EXISTS):
 * - JSON_EXISTS(j, p[, onError]) with onError 'FALSE' | 'TRUE' | 'UNKNOWN' | 'ERROR';
 * - JSON_VALUE(j, p[, onEmpty, emptyDefault, onError, errorDefault]) with 'NULL' | 'ERROR' |
 *   'DEFAULT' (the default operand is then the value, rendered as text: FALSE gives 'false');
 * - JSON_QUERY(j, p[, wrapper, onEmpty, onError]) with wrapper 'WITHOUT' | 'WITH CONDITIONAL' |
 *   'WITH UNCONDITIONAL' and behaviors 'NULL' | 'ERROR' | 'EMPTY ARRAY' | 'EMPTY OBJECT'.
 * JSON_VALUE returns scalars as STRING, JSON_QUERY objects and arrays as JSON text (a path with a
 * wildcard selects the array of its matches). JSON_OBJECT takes `key1, value1, …` and keeps NULL
 * values as JSON null (Flink's default `NULL ON NULL`); JSON_ARRAY drops them (`ABSENT ON NULL`);
 * the other choice is the function named with it, {@link JSON_OBJECT_ABSENT_ON_NULL} /
 * {@link JSON_ARRAY_NULL_ON_NULL}.
 * Example: `JSON_VALUE('{"a": {"b": [1, 2]}}', '$.a.b[1]')` = '2';
 * `JSON_VALUE('{}', 'strict $.a', 'NULL', NULL, 'DEFAULT', 'none')` = 'none'.
 * @module
 */

import { formatDecimal } from "../data/decimal.ts";
import { toJsonValue } from "../data/json-value.ts";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { isCharacterString } from "../types/type-coercion.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { evaluateJsonPath, isScalarJson, parseJsonDocument, selectedItem } from "./json-path.ts";
import { customScalar, formatTypes } from "./signature.ts";

function fail(name: string, path: unknown, reason: string): never {
  throw new SqlRuntimeError(`${name} at path ${JSON.stringify(path)}: ${reason}`);
}

/** JSON_EXISTS: `onError` is 'FALSE' (default), 'TRUE', 'UNKNOWN' or 'ERROR'. */
function jsonExists(
  _c: FunctionContext,
  text: SqlValue,
  path: SqlValue,
  onError: SqlValue = "FALSE",
): SqlValue {
  if (text === null || path === null) return null;
  const outcome = evaluateJsonPath(text as string, path as string);
  if (outcome.ok) return outcome.found.length > 0;
  switch (onError) {
    case "TRUE":
      return true;
    case "UNKNOWN":
      return null;
    case "ERROR":
      return fail("JSON_EXISTS", path, outcome.reason);
    default:
      return false;
  }
}

/** Text of a DEFAULT value as JSON_VALUE returns it (STRING): FALSE gives 'false', 1.5 '1.5'. */
function defaultText(value: SqlValue, type: LogicalType | undefined, timeZone: string): SqlValue {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  return type === undefined ? String(value) : jsonTextOf(value, type, timeZone);
}

/** JSON_VALUE with its ON EMPTY / ON ERROR behaviors (see the module comment). */
export function jsonValueImplementation(types: readonly LogicalType[]) {
  return (
    c: FunctionContext,
    text: SqlValue,
    path: SqlValue,
    onEmpty: SqlValue = "NULL",
    emptyDefault: SqlValue = null,
    onError: SqlValue = "NULL",
    errorDefault: SqlValue = null,
  ): SqlValue => {
    if (text === null || path === null) return null;
    const outcome = evaluateJsonPath(text as string, path as string);
    let reason: string;
    if (outcome.ok) {
      const item = selectedItem(outcome);
      const scalar = item !== undefined && isScalarJson(item);
      if (scalar && item !== null) return String(item);
      if (item === undefined || item === null || !outcome.strict) {
        if (onEmpty === "ERROR") fail("JSON_VALUE", path, "the path found no scalar value (ERROR ON EMPTY)");
        return onEmpty === "DEFAULT" ? defaultText(emptyDefault, types[3], c.timeZone) : null;
      }
      reason = `strict mode requires a scalar value, found ${JSON.stringify(item)}`;
    } else {
      reason = outcome.reason;
    }
    if (onError === "ERROR") fail("JSON_VALUE", path, reason);
    return onError === "DEFAULT" ? defaultText(errorDefault, types[5], c.timeZone) : null;
  };
}

function queryBehavior(behavior: SqlValue, path: SqlValue, reason: string): SqlValue {
  switch (behavior) {
    case "ERROR":
      return fail("JSON_QUERY", path, reason);
    case "EMPTY ARRAY":
      return "[]";
    case "EMPTY OBJECT":
      return "{}";
    default:
      return null;
  }
}

/** JSON_QUERY with its wrapper and ON EMPTY / ON ERROR behaviors (see the module comment). */
function jsonQuery(
  _c: FunctionContext,
  text: SqlValue,
  path: SqlValue,
  wrapper: SqlValue = "WITHOUT",
  onEmpty: SqlValue = "NULL",
  onError: SqlValue = "NULL",
): SqlValue {
  if (text === null || path === null) return null;
  const outcome = evaluateJsonPath(text as string, path as string);
  if (!outcome.ok) return queryBehavior(onError, path, outcome.reason);
  let value = selectedItem(outcome);
  if (value !== undefined && value !== null) {
    if (wrapper === "WITH UNCONDITIONAL" || (wrapper === "WITH CONDITIONAL" && !Array.isArray(value)))
      value = [value];
  }
  if (value === undefined || value === null || (!outcome.strict && isScalarJson(value))) {
    return queryBehavior(onEmpty, path, "the path found no object or array (ERROR ON EMPTY)");
  }
  if (isScalarJson(value)) {
    return queryBehavior(
      onError,
      path,
      `strict mode requires an object or array, found ${JSON.stringify(value)}`,
    );
  }
  return JSON.stringify(value);
}

/** Checks `(STRING, STRING, then STRING behaviors…)` with DEFAULT values of any type for JSON_VALUE. */
function pathFunction(name: string, maxOperands: number, anyAt: readonly number[] = []) {
  return (operands: readonly LogicalType[]): readonly LogicalType[] => {
    const ok =
      operands.length >= 2 &&
      operands.length <= maxOperands &&
      operands.every((t, i) => anyAt.includes(i) || isCharacterString(t) || t.kind === "NULL");
    if (!ok) {
      throw new FunctionTypeError(`${name} expects (STRING, STRING) but got ${formatTypes(operands)}`);
    }
    return operands.map((t, i) => (anyAt.includes(i) ? t : LogicalTypes.string(t.nullable)));
  };
}

const JSON_VALUE_OPERANDS = pathFunction("JSON_VALUE", 6, [3, 5]);
const JSON_QUERY_OPERANDS = pathFunction("JSON_QUERY", 5);
const JSON_EXISTS_OPERANDS = pathFunction("JSON_EXISTS", 3);

function isJson(kind: "VALUE" | "OBJECT" | "ARRAY" | "SCALAR") {
  return (_c: FunctionContext, text: SqlValue): SqlValue => {
    if (text === null) return false;
    const document = parseJsonDocument(text as string);
    if (!document.ok) return false;
    const v = document.value;
    switch (kind) {
      case "VALUE":
        return true;
      case "OBJECT":
        return v !== null && typeof v === "object" && !Array.isArray(v);
      case "ARRAY":
        return Array.isArray(v);
      case "SCALAR":
        return v === null || typeof v !== "object";
    }
  };
}

function isJsonPredicate(
  name: string,
  kind: "VALUE" | "OBJECT" | "ARRAY" | "SCALAR",
): ScalarFunctionDefinition {
  return customScalar(
    name,
    (operands) => {
      if (operands.length !== 1 || !(isCharacterString(operands[0]!) || operands[0]!.kind === "NULL")) {
        throw new FunctionTypeError(`${name} expects (STRING) but got ${formatTypes(operands)}`);
      }
      return { result: LogicalTypes.boolean(false) };
    },
    isJson(kind),
    { strict: false },
  );
}

/**
 * JSON text of a SQL value, as Flink's serializer writes it: compact, exact numerics as JSON
 * numbers with their digits (`1.50`), rows as objects by field name, maps as objects.
 */
export function jsonTextOf(value: SqlValue, type: LogicalType, timeZone: string): string {
  if (value === null) return "null";
  switch (type.kind) {
    case "DECIMAL":
      return formatDecimal(value as bigint, type.scale);
    case "BIGINT":
      return String(value);
    case "ARRAY":
      return `[${(value as readonly SqlValue[]).map((v) => jsonTextOf(v, type.element, timeZone)).join(",")}]`;
    case "ROW":
      return `{${type.fields
        .map(
          (f, i) =>
            `${JSON.stringify(f.name)}:${jsonTextOf((value as readonly SqlValue[])[i] ?? null, f.type, timeZone)}`,
        )
        .join(",")}}`;
    case "MAP": {
      const parts: string[] = [];
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        const key = typeof k === "string" ? k : String(toJsonValue(k, type.key, timeZone));
        parts.push(`${JSON.stringify(key)}:${jsonTextOf(v, type.value, timeZone)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default: {
      const json = toJsonValue(value, type, timeZone);
      return JSON.stringify(json);
    }
  }
}

/**
 * JSON_OBJECT / JSON_ARRAY for resolved operand types; `raw[i]` marks operands that are already
 * JSON text made by a JSON function (nested JSON_OBJECT / JSON_ARRAY / JSON_QUERY), which are
 * inserted as JSON rather than quoted as strings, as Flink does.
 */
export function jsonObjectImplementation(
  types: readonly LogicalType[],
  raw: readonly boolean[] = [],
  absentOnNull = false,
) {
  return (c: FunctionContext, ...operands: SqlValue[]): SqlValue => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < operands.length; i += 2) {
      const key = operands[i];
      if (key === null) throw new SqlRuntimeError("JSON_OBJECT keys must not be NULL");
      const value = operands[i + 1]!;
      if (value === null && absentOnNull) continue;
      const text =
        raw[i + 1] === true && value !== null
          ? (value as string)
          : jsonTextOf(value, types[i + 1] ?? LogicalTypes.string(), c.timeZone);
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(",")}}`;
  };
}

export function jsonArrayImplementation(
  types: readonly LogicalType[],
  raw: readonly boolean[] = [],
  nullOnNull = false,
) {
  return (c: FunctionContext, ...operands: SqlValue[]): SqlValue => {
    const parts: string[] = [];
    operands.forEach((value, i) => {
      // ABSENT ON NULL, Flink's default for JSON_ARRAY, unless the call says NULL ON NULL.
      if (value === null && !nullOnNull) return;
      parts.push(
        raw[i] === true
          ? (value as string)
          : jsonTextOf(value, types[i] ?? LogicalTypes.string(), c.timeZone),
      );
    });
    return `[${parts.join(",")}]`;
  };
}

/** JSON_OBJECT written with `ABSENT ON NULL`: NULL values leave their member out. */
export const JSON_OBJECT_ABSENT_ON_NULL = "JSON_OBJECT ABSENT ON NULL";
/** JSON_ARRAY written with `NULL ON NULL`: NULL values stay as JSON null elements. */
export const JSON_ARRAY_NULL_ON_NULL = "JSON_ARRAY NULL ON NULL";

/**
 * The implementation of a JSON constructor call (JSON_OBJECT, JSON_ARRAY or a variant named above)
 * for its operand types, with `raw[i]` marking operands that are JSON text already; undefined
 * when `name` is no JSON constructor.
 */
export function jsonConstructorImplementation(
  name: string,
  types: readonly LogicalType[],
  raw: readonly boolean[] = [],
): ((c: FunctionContext, ...operands: SqlValue[]) => SqlValue) | undefined {
  switch (name) {
    case "JSON_OBJECT":
      return jsonObjectImplementation(types, raw, false);
    case JSON_OBJECT_ABSENT_ON_NULL:
      return jsonObjectImplementation(types, raw, true);
    case "JSON_ARRAY":
      return jsonArrayImplementation(types, raw, false);
    case JSON_ARRAY_NULL_ON_NULL:
      return jsonArrayImplementation(types, raw, true);
    default:
      return undefined;
  }
}

/** The built-in functions whose STRING result is JSON text, inserted as JSON when nested. */
export const JSON_PRODUCING_FUNCTIONS: ReadonlySet<string> = new Set([
  "JSON_OBJECT",
  JSON_OBJECT_ABSENT_ON_NULL,
  "JSON_ARRAY",
  JSON_ARRAY_NULL_ON_NULL,
  "JSON_QUERY",
  "JSON_OBJECTAGG",
  "JSON_ARRAYAGG",
]);

function jsonObjectDefinition(name: string, absentOnNull: boolean): ScalarFunctionDefinition {
  return customScalar(
    name,
    (operands) => {
      if (operands.length % 2 !== 0) throw new FunctionTypeError("JSON_OBJECT expects key, value pairs");
      for (let i = 0; i < operands.length; i += 2) {
        if (!isCharacterString(operands[i]!))
          throw new FunctionTypeError(`JSON_OBJECT keys must be strings, got ${formatTypes([operands[i]!])}`);
      }
      return { result: LogicalTypes.string(false) };
    },
    jsonObjectImplementation([], [], absentOnNull),
    { strict: false, specialize: (operands) => jsonObjectImplementation(operands, [], absentOnNull) },
  );
}

function jsonArrayDefinition(name: string, nullOnNull: boolean): ScalarFunctionDefinition {
  return customScalar(
    name,
    () => ({ result: LogicalTypes.string(false) }),
    jsonArrayImplementation([], [], nullOnNull),
    { strict: false, specialize: (operands) => jsonArrayImplementation(operands, [], nullOnNull) },
  );
}

export const JSON_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  customScalar(
    "JSON_VALUE",
    (operands) => ({ result: LogicalTypes.string(true), operands: JSON_VALUE_OPERANDS(operands) }),
    jsonValueImplementation([]),
    { strict: false, specialize: (operands) => jsonValueImplementation(operands) },
  ),
  customScalar(
    "JSON_QUERY",
    (operands) => ({ result: LogicalTypes.string(true), operands: JSON_QUERY_OPERANDS(operands) }),
    jsonQuery,
    { strict: false },
  ),
  customScalar(
    "JSON_EXISTS",
    (operands) => ({ result: LogicalTypes.boolean(true), operands: JSON_EXISTS_OPERANDS(operands) }),
    jsonExists,
    { strict: false },
  ),
  customScalar(
    "JSON_STRING",
    (operands) => {
      if (operands.length !== 1) throw new FunctionTypeError("JSON_STRING expects one operand");
      return { result: LogicalTypes.string(operands[0]!.nullable) };
    },
    (c, value) =>
      jsonTextOf(
        value!,
        typeof value === "number" ? LogicalTypes.double() : LogicalTypes.string(),
        c.timeZone,
      ),
    {
      specialize: (operands) => (c, value) => jsonTextOf(value!, operands[0]!, c.timeZone),
    },
  ),
  jsonObjectDefinition("JSON_OBJECT", false),
  jsonObjectDefinition(JSON_OBJECT_ABSENT_ON_NULL, true),
  jsonArrayDefinition("JSON_ARRAY", false),
  jsonArrayDefinition(JSON_ARRAY_NULL_ON_NULL, true),
  isJsonPredicate("IS JSON", "VALUE"),
  isJsonPredicate("IS JSON VALUE", "VALUE"),
  isJsonPredicate("IS JSON OBJECT", "OBJECT"),
  isJsonPredicate("IS JSON ARRAY", "ARRAY"),
  isJsonPredicate("IS JSON SCALAR", "SCALAR"),
];
