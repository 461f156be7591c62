/**
 * Canonical key identity for in-memory maps (keyed state, timers, per-key buffers). Invariant:
 * `canonicalKeyId(a)` and `canonicalKeyId(b)` are the same Map key (SameValueZero) exactly when
 * `a` and `b` are the same key by the `KeyValue` contract: `-0` is `0`, `1` is not `1n` nor `"1"`,
 * object field order does not matter, array order does.
 */

import type { KeyValue } from "@weir/api";
import { sortedFieldNames } from "./field-order.ts";
import { describeNonKey, isPlainObject } from "./validate-key.ts";

/** What a JS `Map` can key on without losing key equality. */
export type CanonicalKeyId = string | number | bigint | boolean | null;

/**
 * Composite ids start with this character. User strings that start with it are escaped by
 * doubling it, so no string key can ever equal a composite key's id.
 */
const COMPOSITE_MARK = "\u0000";
const COMPOSITE_MARK_CODE = 0;

/**
 * Primitives come back unchanged (except `-0` → `0`, and strings starting with U+0000, which get one
 * more U+0000 in front), so the common case allocates nothing; arrays and objects become a
 * type-tagged string.
 */
export function canonicalKeyId(key: KeyValue): CanonicalKeyId {
  if (typeof key === "string") {
    return key.charCodeAt(0) === COMPOSITE_MARK_CODE ? COMPOSITE_MARK + key : key;
  }
  if (typeof key === "number") return key === 0 ? 0 : key;
  if (typeof key !== "object" || key === null) return key;
  return COMPOSITE_MARK + encodeNested(key);
}

/**
 * A prefix-free encoding: strings are JSON string literals (JSON.stringify is injective on strings,
 * lone surrogates included, since ES2019), numbers `n:<shortest round-trip form>`, bigints
 * `b:<decimal>`, and the keywords `true`, `false`, `null`; none of these contain `,` `]` `}`,
 * so the bracketed forms parse back unambiguously and distinct keys get distinct ids.
 */
function encodeNested(key: KeyValue): string {
  switch (typeof key) {
    case "string":
      return JSON.stringify(key);
    case "number":
      // String(-0) is "0", which is the normalisation we want; NaN and ±Infinity have one spelling each.
      return `n:${key}`;
    case "bigint":
      return `b:${key}`;
    case "boolean":
      return key ? "true" : "false";
    default:
      break;
  }
  if (key === null) return "null";
  if (Array.isArray(key)) {
    const items = key as readonly KeyValue[];
    let out = "[";
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ",";
      out += encodeNested(items[i] as KeyValue);
    }
    return `${out}]`;
  }
  // Same guard as hashing: a Date or Map would otherwise get the id of `{}`.
  if (!isPlainObject(key)) {
    throw new TypeError(`Cannot use ${describeNonKey(key)} as a key: keys must be plain data.`);
  }
  const record = key as { readonly [field: string]: KeyValue };
  const fields = sortedFieldNames(record);
  let out = "{";
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (i > 0) out += ",";
    out += `${JSON.stringify(field)}:${encodeNested(record[field] as KeyValue)}`;
  }
  return `${out}}`;
}
