/**
 * JSON functions: JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_STRING, JSON_OBJECT, JSON_ARRAY and
 * the `IS JSON [VALUE | OBJECT | ARRAY | SCALAR]` predicates.
 *
 * Invariants: paths are SQL/JSON paths in lax mode (`$`, `.key`, `."quoted key"`, `['key']`,
 * `[index]`, `[*]`, `.*`); a document or path that does not parse, or a path that finds nothing,
 * gives NULL (Flink's default `NULL ON EMPTY` / `NULL ON ERROR`); JSON_VALUE returns only scalars
 * (objects and arrays give NULL) as STRING, JSON_QUERY only objects and arrays (scalars give NULL)
 * as JSON text. JSON_OBJECT takes `key1, value1, …` and drops NULL values (`ABSENT ON NULL` is
 * not Flink's default, `NULL ON NULL` is: NULL values are kept as JSON null).
 * Example: `JSON_VALUE('{"a": {"b": [1, 2]}}', '$.a.b[1]')` = '2'.
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
import { customScalar, formatTypes, scalar } from "./signature.ts";

type Step = { readonly key: string } | { readonly index: number } | { readonly wildcard: true };

const parsedPaths = new Map<string, readonly Step[] | null>();

/** Parses `$.a.b[0]`; null when the path is not valid. */
export function parseJsonPath(path: string): readonly Step[] | null {
  const cached = parsedPaths.get(path);
  if (cached !== undefined) return cached;
  let steps: Step[] | null = [];
  let text = path.trim();
  if (text.startsWith("lax ")) text = text.slice(4).trim();
  if (text.startsWith("strict ")) text = text.slice(7).trim();
  if (!text.startsWith("$")) steps = null;
  let i = 1;
  while (steps !== null && i < text.length) {
    const ch = text[i]!;
    if (ch === "." && text[i + 1] === "[") {
      // `$.["a.b"]`: a bracket step written after a dot.
      i++;
    } else if (ch === ".") {
      if (text[i + 1] === "*") {
        steps.push({ wildcard: true });
        i += 2;
      } else if (text[i + 1] === '"') {
        const end = text.indexOf('"', i + 2);
        if (end < 0) steps = null;
        else {
          steps.push({ key: text.slice(i + 2, end) });
          i = end + 1;
        }
      } else {
        const match = /^[A-Za-z_$][\w$]*/.exec(text.slice(i + 1));
        if (match === null) steps = null;
        else {
          steps.push({ key: match[0] });
          i += 1 + match[0].length;
        }
      }
    } else if (ch === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) {
        steps = null;
        break;
      }
      const inner = text.slice(i + 1, end).trim();
      if (inner === "*") steps.push({ wildcard: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else steps = null;
      i = end + 1;
    } else if (ch === " ") i++;
    else steps = null;
  }
  if (parsedPaths.size > 256) parsedPaths.clear();
  parsedPaths.set(path, steps);
  return steps;
}

/** All values the path selects (lax: arrays are unwrapped for key steps). */
export function selectJsonPath(document: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ("wildcard" in step) {
        if (Array.isArray(value)) next.push(...value);
        else if (value !== null && typeof value === "object") next.push(...Object.values(value));
      } else if ("index" in step) {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else if (Array.isArray(value)) {
        for (const element of value) {
          if (
            element !== null &&
            typeof element === "object" &&
            !Array.isArray(element) &&
            step.key in element
          ) {
            next.push((element as Record<string, unknown>)[step.key]);
          }
        }
      } else if (value !== null && typeof value === "object" && step.key in value) {
        next.push((value as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  return current;
}

function parseDocument(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function select(text: string, path: string): unknown[] | null {
  const steps = parseJsonPath(path);
  if (steps === null) return null;
  const document = parseDocument(text);
  if (!document.ok) return null;
  return selectJsonPath(document.value, steps);
}

function scalarText(value: unknown): string | null {
  if (value === null || typeof value === "object") return null;
  return String(value);
}

function isJson(kind: "VALUE" | "OBJECT" | "ARRAY" | "SCALAR") {
  return (_c: FunctionContext, text: SqlValue): SqlValue => {
    if (text === null) return false;
    const document = parseDocument(text as string);
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
export function jsonObjectImplementation(types: readonly LogicalType[], raw: readonly boolean[] = []) {
  return (c: FunctionContext, ...operands: SqlValue[]): SqlValue => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < operands.length; i += 2) {
      const key = operands[i];
      if (key === null) throw new SqlRuntimeError("JSON_OBJECT keys must not be NULL");
      const value = operands[i + 1]!;
      const text =
        raw[i + 1] === true && value !== null
          ? (value as string)
          : jsonTextOf(value, types[i + 1] ?? LogicalTypes.string(), c.timeZone);
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(",")}}`;
  };
}

export function jsonArrayImplementation(types: readonly LogicalType[], raw: readonly boolean[] = []) {
  return (c: FunctionContext, ...operands: SqlValue[]): SqlValue => {
    const parts: string[] = [];
    operands.forEach((value, i) => {
      // ABSENT ON NULL, Flink's default for JSON_ARRAY.
      if (value === null) return;
      parts.push(
        raw[i] === true
          ? (value as string)
          : jsonTextOf(value, types[i] ?? LogicalTypes.string(), c.timeZone),
      );
    });
    return `[${parts.join(",")}]`;
  };
}

export const JSON_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  scalar(
    "JSON_VALUE",
    [["STRING", "STRING"]],
    () => LogicalTypes.string(true),
    (_c, text, path) => {
      const found = select(text as string, path as string);
      return found === null || found.length !== 1 ? null : scalarText(found[0]);
    },
  ),
  scalar(
    "JSON_QUERY",
    [["STRING", "STRING"]],
    () => LogicalTypes.string(true),
    (_c, text, path) => {
      const found = select(text as string, path as string);
      if (found === null || found.length === 0) return null;
      if (found.length > 1) return JSON.stringify(found);
      const [value] = found;
      return value !== null && typeof value === "object" ? JSON.stringify(value) : null;
    },
  ),
  scalar(
    "JSON_EXISTS",
    [["STRING", "STRING"]],
    () => LogicalTypes.boolean(true),
    (_c, text, path) => {
      const found = select(text as string, path as string);
      return found === null ? false : found.length > 0;
    },
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
  customScalar(
    "JSON_OBJECT",
    (operands) => {
      if (operands.length % 2 !== 0) throw new FunctionTypeError("JSON_OBJECT expects key, value pairs");
      for (let i = 0; i < operands.length; i += 2) {
        if (!isCharacterString(operands[i]!))
          throw new FunctionTypeError(`JSON_OBJECT keys must be strings, got ${formatTypes([operands[i]!])}`);
      }
      return { result: LogicalTypes.string(false) };
    },
    jsonObjectImplementation([]),
    { strict: false, specialize: (operands) => jsonObjectImplementation(operands) },
  ),
  customScalar("JSON_ARRAY", () => ({ result: LogicalTypes.string(false) }), jsonArrayImplementation([]), {
    strict: false,
    specialize: (operands) => jsonArrayImplementation(operands),
  }),
  isJsonPredicate("IS JSON", "VALUE"),
  isJsonPredicate("IS JSON VALUE", "VALUE"),
  isJsonPredicate("IS JSON OBJECT", "OBJECT"),
  isJsonPredicate("IS JSON ARRAY", "ARRAY"),
  isJsonPredicate("IS JSON SCALAR", "SCALAR"),
];
