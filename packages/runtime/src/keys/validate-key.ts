/**
 * Runtime check that a key selector returned a `KeyValue`. The type system already rejects Dates,
 * Maps and class instances, but job code can cast or be plain JavaScript; a non-key that slipped
 * through would hash as its visible fields (a Date as `{}`), silently sending unrelated records to
 * one key group. Invariant: every key that reaches hashing and state is plain data.
 */

import type { KeyValue } from "@weir/api";

/** Deeper than this is treated as a cycle: real keys are small tuples and records. */
const MAX_KEY_DEPTH = 64;

/**
 * Throws a `TypeError` naming `where` (the operator) and what was returned unless `key` is a
 * `KeyValue`. Primitives cost one `typeof`, so this can run for every record.
 */
export function validateKey(key: unknown, where: string): asserts key is KeyValue {
  const type = typeof key;
  if (type === "string" || type === "number" || type === "bigint" || type === "boolean" || key === null) {
    return;
  }
  const problem = findNonKey(key, "key", 0);
  if (problem !== undefined) {
    throw new TypeError(
      `The key selector of ${where} returned ${problem}. Keys must be strings, numbers, bigints, ` +
        "booleans, null, or arrays and plain objects of those.",
    );
  }
}

/** Describes a value that is not a key, for error messages ("a Date", "undefined", "a function"). */
export function describeNonKey(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "function":
      return value.name === "" ? "a function" : `a function (${value.name})`;
    case "symbol":
      return `a symbol (${value.toString()})`;
    case "object": {
      if (value === null) return "null";
      const ctor: unknown = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
      if (typeof ctor !== "function" || ctor.name === "") return "an object with a custom prototype";
      return `${/^[AEIOU]/.test(ctor.name) ? "an" : "a"} ${ctor.name}`;
    }
    default:
      return `a ${typeof value}`;
  }
}

/** True for objects a key may be built from: `{}` literals and `Object.create(null)`. */
export function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Returns a description of the first non-key found (with its path), or undefined if all is well. */
function findNonKey(value: unknown, path: string, depth: number): string | undefined {
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
    case "boolean":
      return undefined;
    case "object": {
      if (value === null) return undefined;
      if (depth >= MAX_KEY_DEPTH) {
        return `a value nested more than ${MAX_KEY_DEPTH} levels deep at ${path} (a cycle?)`;
      }
      if (Array.isArray(value)) {
        // Index loop, not for-of: holes read as undefined and must be reported, not skipped.
        for (let i = 0; i < value.length; i++) {
          const found = findNonKey(value[i], `${path}[${i}]`, depth + 1);
          if (found !== undefined) return found;
        }
        return undefined;
      }
      if (!isPlainObject(value)) return at(describeNonKey(value), path);
      const record = value as Record<string, unknown>;
      for (const field of Object.keys(record)) {
        const found = findNonKey(record[field], `${path}.${field}`, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    default:
      return at(describeNonKey(value), path);
  }
}

function at(description: string, path: string): string {
  return path === "key" ? description : `${description} at ${path}`;
}
