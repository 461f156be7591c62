/**
 * String functions: `||`, CONCAT, CONCAT_WS, CHAR_LENGTH, UPPER, LOWER, TRIM/LTRIM/RTRIM,
 * SUBSTRING, REPLACE, POSITION, LOCATE, INSTR, LPAD, RPAD, INITCAP, REPEAT, REVERSE, SPLIT_INDEX,
 * OVERLAY, LEFT, RIGHT, ASCII, CHR, PARSE_URL, STR_TO_MAP, MD5, SHA1, SHA2, SHA256, TO_BASE64,
 * FROM_BASE64, TRANSLATE, UUID, IS_ALPHA, IS_DIGIT, IS_DECIMAL, STARTSWITH, ENDSWITH, URL_ENCODE,
 * URL_DECODE, ENCODE, DECODE.
 *
 * Invariants: positions are 1-based and count characters (code units, as Flink counts Java chars);
 * results are STRING (VARCHAR(MAX)); functions are strict unless stated (CONCAT_WS skips NULL
 * arguments; CONCAT is strict, as Flink). Examples: `SUBSTRING('hello', 2, 3)` = 'ell',
 * `SPLIT_INDEX('a,b,c', ',', 1)` = 'b', `LPAD('hi', 5, '?')` = '???hi', `LPAD('hello', 2, '?')` = 'he'.
 * @module
 */

import { createHash, randomUUID } from "node:crypto";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import type { ScalarFunctionDefinition } from "./function-definition.ts";
import { checkOperands, INT_NOT_NULL, STRING_NOT_NULL, scalar } from "./signature.ts";

const STRING_RESULT = () => STRING_NOT_NULL;
const INT_RESULT = () => INT_NOT_NULL;

function trimChars(s: string, chars: string, leading: boolean, trailing: boolean): string {
  let start = 0;
  let end = s.length;
  if (leading) while (start < end && chars.includes(s[start]!)) start++;
  if (trailing) while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** Flink's SUBSTRING: 1-based start; 0 is the first character; a negative start counts from the end. */
export function substring(s: string, position: number, length?: number): string {
  const n = s.length;
  let start = position > 0 ? position - 1 : position < 0 ? n + position : 0;
  const end = Math.min(length === undefined ? n : start + length, n);
  start = Math.max(start, 0);
  return start >= end ? "" : s.slice(start, end);
}

function pad(s: string, length: number, filler: string, left: boolean): string | null {
  if (length < 0) return null;
  if (s.length >= length) return s.slice(0, length);
  if (filler.length === 0) return s;
  const needed = length - s.length;
  const padding = filler.repeat(Math.ceil(needed / filler.length)).slice(0, needed);
  return left ? padding + s : s + padding;
}

function initcap(s: string): string {
  let result = "";
  let startOfWord = true;
  for (const ch of s) {
    const isLetterOrDigit = /[\p{L}\p{N}]/u.test(ch);
    result += isLetterOrDigit ? (startOfWord ? ch.toUpperCase() : ch.toLowerCase()) : ch;
    startOfWord = !isLetterOrDigit;
  }
  return result;
}

function hash(algorithm: string, s: string): string {
  return createHash(algorithm).update(s, "utf8").digest("hex");
}

function parseUrl(url: string, part: string, key?: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  switch (part) {
    case "HOST":
      return parsed.hostname || null;
    case "PATH":
      return parsed.pathname;
    case "QUERY":
      if (key !== undefined) return parsed.searchParams.get(key);
      return parsed.search === "" ? null : parsed.search.slice(1);
    case "REF":
      return parsed.hash === "" ? null : parsed.hash.slice(1);
    case "PROTOCOL":
      return parsed.protocol.replace(/:$/, "");
    case "FILE":
      return parsed.pathname + parsed.search;
    case "AUTHORITY":
      return (
        parsed.host +
        (parsed.port !== "" && !parsed.host.endsWith(`:${parsed.port}`) ? `:${parsed.port}` : "")
      );
    case "USERINFO":
      return parsed.username === ""
        ? null
        : parsed.password === ""
          ? parsed.username
          : `${parsed.username}:${parsed.password}`;
    default:
      return null;
  }
}

function strToMap(text: string, pairSeparator = ",", keyValueSeparator = "="): Map<SqlValue, SqlValue> {
  const map = new Map<SqlValue, SqlValue>();
  for (const pair of text.split(pairSeparator)) {
    const at = pair.indexOf(keyValueSeparator);
    if (at < 0) map.set(pair, null);
    else map.set(pair.slice(0, at), pair.slice(at + keyValueSeparator.length));
  }
  return map;
}

function concatWsInfer(operands: readonly LogicalType[]): { result: LogicalType; operands: LogicalType[] } {
  const cast = checkOperands("CONCAT_WS", operands, ["STRING", "STRING", "..."]);
  return { result: LogicalTypes.string(operands[0]!.nullable), operands: cast };
}

/** The Node encoding for a Java charset name ENCODE / DECODE accept, or null for an unknown one. */
function nodeEncoding(charset: string): BufferEncoding | null {
  switch (charset.toUpperCase().replace(/[-_]/g, "")) {
    case "UTF8":
      return "utf8";
    case "USASCII":
    case "ASCII":
      return "ascii";
    case "ISO88591":
    case "LATIN1":
      return "latin1";
    case "UTF16LE":
      return "utf16le";
    default:
      return null;
  }
}

/** IS_ALPHA / IS_DIGIT / IS_DECIMAL: FALSE (never NULL) for NULL and for the empty string, as Flink. */
function textTest(name: string, test: (s: string) => boolean): ScalarFunctionDefinition {
  return {
    ...scalar(
      name,
      [["STRING"]],
      () => LogicalTypes.boolean(false),
      (_c, s) => s !== null && s !== undefined && test(s as string),
    ),
    strict: false,
  };
}

export const STRING_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  scalar("||", [["STRING", "STRING"]], STRING_RESULT, (_c, a, b) => (a as string) + (b as string)),
  scalar("CONCAT", [["STRING", "..."]], STRING_RESULT, (_c, ...parts) => parts.join("")),
  {
    kind: "scalar",
    name: "CONCAT_WS",
    strict: false,
    deterministic: true,
    inferType: concatWsInfer,
    implementation(_c, separator, ...parts) {
      if (separator === null) return null;
      return parts.filter((p) => p !== null).join(separator as string);
    },
  },
  scalar("CHAR_LENGTH", [["STRING"]], INT_RESULT, (_c, s) => (s as string).length),
  scalar("CHARACTER_LENGTH", [["STRING"]], INT_RESULT, (_c, s) => (s as string).length),
  scalar("UPPER", [["STRING"]], STRING_RESULT, (_c, s) => (s as string).toUpperCase()),
  scalar("LOWER", [["STRING"]], STRING_RESULT, (_c, s) => (s as string).toLowerCase()),
  scalar("TRIM", [["STRING", "STRING", "STRING"]], STRING_RESULT, (_c, side, chars, s) =>
    trimChars(s as string, chars as string, side !== "TRAILING", side !== "LEADING"),
  ),
  scalar("LTRIM", [["STRING"], ["STRING", "STRING"]], STRING_RESULT, (_c, s, chars) =>
    trimChars(s as string, (chars as string | undefined) ?? " ", true, false),
  ),
  scalar("RTRIM", [["STRING"], ["STRING", "STRING"]], STRING_RESULT, (_c, s, chars) =>
    trimChars(s as string, (chars as string | undefined) ?? " ", false, true),
  ),
  scalar("BTRIM", [["STRING"], ["STRING", "STRING"]], STRING_RESULT, (_c, s, chars) =>
    trimChars(s as string, (chars as string | undefined) ?? " ", true, true),
  ),
  scalar("SUBSTRING", [["STRING", "INT", "INT?"]], STRING_RESULT, (_c, s, start, length) =>
    substring(s as string, start as number, length as number | undefined),
  ),
  scalar("SUBSTR", [["STRING", "INT", "INT?"]], STRING_RESULT, (_c, s, start, length) =>
    substring(s as string, start as number, length as number | undefined),
  ),
  scalar("LEFT", [["STRING", "INT"]], STRING_RESULT, (_c, s, n) =>
    (s as string).slice(0, Math.max(0, n as number)),
  ),
  scalar("RIGHT", [["STRING", "INT"]], STRING_RESULT, (_c, s, n) =>
    (n as number) <= 0 ? "" : (s as string).slice(-(n as number)),
  ),
  scalar("REPLACE", [["STRING", "STRING", "STRING"]], STRING_RESULT, (_c, s, search, replacement) =>
    (search as string) === ""
      ? (s as string)
      : (s as string).replaceAll(search as string, replacement as string),
  ),
  scalar(
    "POSITION",
    [["STRING", "STRING"]],
    INT_RESULT,
    (_c, needle, s) => (s as string).indexOf(needle as string) + 1,
  ),
  scalar("LOCATE", [["STRING", "STRING", "INT?"]], INT_RESULT, (_c, needle, s, from) => {
    const start = (from as number | undefined) ?? 1;
    if (start < 1) return 0;
    return (s as string).indexOf(needle as string, start - 1) + 1;
  }),
  scalar(
    "INSTR",
    [["STRING", "STRING"]],
    INT_RESULT,
    (_c, s, needle) => (s as string).indexOf(needle as string) + 1,
  ),
  scalar(
    "LPAD",
    [["STRING", "INT", "STRING"]],
    () => LogicalTypes.string(true),
    (_c, s, n, f) => pad(s as string, n as number, f as string, true),
  ),
  scalar(
    "RPAD",
    [["STRING", "INT", "STRING"]],
    () => LogicalTypes.string(true),
    (_c, s, n, f) => pad(s as string, n as number, f as string, false),
  ),
  scalar("INITCAP", [["STRING"]], STRING_RESULT, (_c, s) => initcap(s as string)),
  scalar("REPEAT", [["STRING", "INT"]], STRING_RESULT, (_c, s, n) =>
    (s as string).repeat(Math.max(0, n as number)),
  ),
  scalar("REVERSE", [["STRING"]], STRING_RESULT, (_c, s) => [...(s as string)].reverse().join("")),
  scalar(
    "SPLIT_INDEX",
    [["STRING", "STRING", "INT"]],
    () => LogicalTypes.string(true),
    (_c, s, separator, index) => {
      if ((index as number) < 0) return null;
      const parts = (s as string).split(separator as string);
      return parts[index as number] ?? null;
    },
  ),
  scalar(
    "OVERLAY",
    [["STRING", "STRING", "INT", "INT?"]],
    STRING_RESULT,
    (_c, s, replacement, from, length) => {
      const text = s as string;
      const start = (from as number) - 1;
      const len = (length as number | undefined) ?? (replacement as string).length;
      return (
        text.slice(0, Math.max(0, start)) + (replacement as string) + text.slice(Math.max(0, start + len))
      );
    },
  ),
  scalar("ASCII", [["STRING"]], INT_RESULT, (_c, s) =>
    (s as string).length === 0 ? 0 : (s as string).charCodeAt(0),
  ),
  scalar("CHR", [["INT"]], STRING_RESULT, (_c, n) =>
    String.fromCharCode((((n as number) % 256) + 256) % 256),
  ),
  scalar("TRANSLATE", [["STRING", "STRING", "STRING"]], STRING_RESULT, (_c, s, from, to) => {
    let result = "";
    for (const ch of s as string) {
      const at = (from as string).indexOf(ch);
      if (at < 0) result += ch;
      else if (at < (to as string).length) result += (to as string)[at];
    }
    return result;
  }),
  scalar(
    "PARSE_URL",
    [["STRING", "STRING", "STRING?"]],
    () => LogicalTypes.string(true),
    (_c, url, part, key) =>
      parseUrl(url as string, (part as string).toUpperCase(), key as string | undefined),
  ),
  scalar(
    "STR_TO_MAP",
    [["STRING", "STRING?", "STRING?"]],
    () => LogicalTypes.map(LogicalTypes.string(), LogicalTypes.string(), false),
    (_c, s, pairSeparator, keyValueSeparator) =>
      strToMap(s as string, pairSeparator as string | undefined, keyValueSeparator as string | undefined),
  ),
  scalar("MD5", [["STRING"]], STRING_RESULT, (_c, s) => hash("md5", s as string)),
  scalar("SHA1", [["STRING"]], STRING_RESULT, (_c, s) => hash("sha1", s as string)),
  scalar("SHA224", [["STRING"]], STRING_RESULT, (_c, s) => hash("sha224", s as string)),
  scalar("SHA256", [["STRING"]], STRING_RESULT, (_c, s) => hash("sha256", s as string)),
  scalar("SHA384", [["STRING"]], STRING_RESULT, (_c, s) => hash("sha384", s as string)),
  scalar("SHA512", [["STRING"]], STRING_RESULT, (_c, s) => hash("sha512", s as string)),
  scalar(
    "SHA2",
    [["STRING", "INT"]],
    () => LogicalTypes.string(true),
    (_c, s, bits) => {
      const algorithm = { 224: "sha224", 256: "sha256", 384: "sha384", 512: "sha512", 0: "sha256" }[
        bits as number
      ];
      return algorithm === undefined ? null : hash(algorithm, s as string);
    },
  ),
  scalar("TO_BASE64", [["STRING"], ["BYTES"]], STRING_RESULT, (_c, s) =>
    typeof s === "string"
      ? Buffer.from(s, "utf8").toString("base64")
      : Buffer.from(s as Uint8Array).toString("base64"),
  ),
  scalar("FROM_BASE64", [["STRING"]], STRING_RESULT, (_c, s) =>
    Buffer.from(s as string, "base64").toString("utf8"),
  ),
  scalar("UUID", [[]], STRING_RESULT, () => randomUUID(), { deterministic: false }),
  scalar(
    "STARTSWITH",
    [["STRING", "STRING"]],
    () => LogicalTypes.boolean(false),
    (_c, s, prefix) => (s as string).startsWith(prefix as string),
  ),
  scalar(
    "ENDSWITH",
    [["STRING", "STRING"]],
    () => LogicalTypes.boolean(false),
    (_c, s, suffix) => (s as string).endsWith(suffix as string),
  ),
  scalar(
    "URL_ENCODE",
    [["STRING"]],
    () => LogicalTypes.string(true),
    (_c, s) =>
      // Java's URLEncoder: form encoding, space as '+', and '*' kept.
      encodeURIComponent(s as string)
        .replace(/%20/g, "+")
        .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`),
  ),
  scalar(
    "URL_DECODE",
    [["STRING"]],
    () => LogicalTypes.string(true),
    (_c, s) => {
      try {
        return decodeURIComponent((s as string).replace(/\+/g, " "));
      } catch {
        return null;
      }
    },
  ),
  scalar(
    "ENCODE",
    [["STRING", "STRING"]],
    () => LogicalTypes.bytes(true),
    (_c, s, charset) => {
      const encoding = nodeEncoding(charset as string);
      return encoding === null ? null : new Uint8Array(Buffer.from(s as string, encoding));
    },
  ),
  scalar(
    "DECODE",
    [["BYTES", "STRING"]],
    () => LogicalTypes.string(true),
    (_c, bytes, charset) => {
      const encoding = nodeEncoding(charset as string);
      return encoding === null ? null : Buffer.from(bytes as Uint8Array).toString(encoding);
    },
  ),
  textTest("IS_ALPHA", (s) => /^\p{L}+$/u.test(s)),
  textTest("IS_DIGIT", (s) => /^\p{Nd}+$/u.test(s)),
  textTest("IS_DECIMAL", (s) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())),
];
