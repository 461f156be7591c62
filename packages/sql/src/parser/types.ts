/**
 * Parses Flink data types: `DECIMAL(10, 2)`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`, `ARRAY<INT>`,
 * `MAP<STRING, INT>`, `ROW<a INT, b STRING>`, `INT ARRAY NOT NULL`, ...
 *
 * Invariant: each type consumes its own `NOT NULL`/`NULL` suffix, so nullability binds to the
 * innermost type written before it (`ARRAY<INT NOT NULL> NOT NULL` has both); synonyms fold as
 * documented on {@link DataType}.
 * @module
 */

import type { Identifier } from "../ast/names.ts";
import type { Position } from "../ast/span.ts";
import type { DataType, RowField, SimpleType, SimpleTypeName } from "../ast/types.ts";
import type { TokenCursor } from "./cursor.ts";
import { expectInteger } from "./numbers.ts";
import { parseIntervalQualifier } from "./time-units.ts";

/** Type keywords without parameters or with numbers only, and how many numbers each allows. */
const SIMPLE_TYPES: ReadonlyMap<string, { readonly name: SimpleTypeName; readonly maxParams: number }> =
  new Map([
    ["BOOLEAN", { name: "BOOLEAN", maxParams: 0 }],
    ["TINYINT", { name: "TINYINT", maxParams: 0 }],
    ["SMALLINT", { name: "SMALLINT", maxParams: 0 }],
    ["INT", { name: "INT", maxParams: 0 }],
    ["INTEGER", { name: "INT", maxParams: 0 }],
    ["BIGINT", { name: "BIGINT", maxParams: 0 }],
    ["FLOAT", { name: "FLOAT", maxParams: 0 }],
    ["REAL", { name: "FLOAT", maxParams: 0 }],
    ["DOUBLE", { name: "DOUBLE", maxParams: 0 }],
    ["DECIMAL", { name: "DECIMAL", maxParams: 2 }],
    ["DEC", { name: "DECIMAL", maxParams: 2 }],
    ["NUMERIC", { name: "DECIMAL", maxParams: 2 }],
    ["CHAR", { name: "CHAR", maxParams: 1 }],
    ["CHARACTER", { name: "CHAR", maxParams: 1 }],
    ["VARCHAR", { name: "VARCHAR", maxParams: 1 }],
    ["STRING", { name: "STRING", maxParams: 0 }],
    ["BINARY", { name: "BINARY", maxParams: 1 }],
    ["VARBINARY", { name: "VARBINARY", maxParams: 1 }],
    ["BYTES", { name: "BYTES", maxParams: 0 }],
    ["DATE", { name: "DATE", maxParams: 0 }],
    ["TIME", { name: "TIME", maxParams: 1 }],
    ["TIMESTAMP", { name: "TIMESTAMP", maxParams: 1 }],
    ["TIMESTAMP_LTZ", { name: "TIMESTAMP_LTZ", maxParams: 1 }],
    ["NULL", { name: "NULL", maxParams: 0 }],
  ]);

/** Parses one data type with its nullability and any postfix `ARRAY`/`MULTISET`. */
export function parseDataType(c: TokenCursor): DataType {
  return c.nested(() => parseDataTypeLevel(c));
}

function parseDataTypeLevel(c: TokenCursor): DataType {
  const start = c.start;
  let type = parseBaseType(c, start);
  for (;;) {
    if (c.acceptKeyword("ARRAY")) {
      type = { kind: "array-type", element: type, notNull: acceptNullability(c), span: c.spanFrom(start) };
    } else if (c.acceptKeyword("MULTISET")) {
      type = { kind: "multiset-type", element: type, notNull: acceptNullability(c), span: c.spanFrom(start) };
    } else {
      return type;
    }
  }
}

/** `NOT NULL` (true), `NULL` or nothing (false). */
function acceptNullability(c: TokenCursor): boolean {
  if (c.isKeyword("NOT") && c.isKeyword("NULL", 1)) {
    c.advance();
    c.advance();
    return true;
  }
  if (!c.isKeyword("NOT")) c.expecting("'NOT NULL'");
  // `RETURNING INT NULL ON EMPTY`: a NULL that starts a SQL/JSON behavior belongs to it.
  if (!c.isKeyword("ON", 1)) c.acceptKeyword("NULL");
  return false;
}

function parseBaseType(c: TokenCursor, start: Position): DataType {
  const token = c.token;
  const word = token.kind === "word" ? token.upper : "";
  switch (word) {
    case "ARRAY":
    case "MULTISET": {
      c.advance();
      expectOpenAngle(c);
      const element = parseDataType(c);
      expectCloseAngle(c);
      const kind = word === "ARRAY" ? "array-type" : "multiset-type";
      return { kind, element, notNull: acceptNullability(c), span: c.spanFrom(start) };
    }
    case "MAP": {
      c.advance();
      expectOpenAngle(c);
      const key = parseDataType(c);
      c.expectSymbol(",");
      const value = parseDataType(c);
      expectCloseAngle(c);
      return { kind: "map-type", key, value, notNull: acceptNullability(c), span: c.spanFrom(start) };
    }
    case "ROW":
      return parseRowType(c, start);
    case "RAW": {
      c.advance();
      c.expectSymbol("(");
      const className = expectString(c);
      const serializerSnapshot = c.acceptSymbol(",") ? expectString(c) : null;
      c.expectSymbol(")");
      return {
        kind: "raw-type",
        className,
        serializerSnapshot,
        notNull: acceptNullability(c),
        span: c.spanFrom(start),
      };
    }
    case "INTERVAL": {
      c.advance();
      const qualifier = parseIntervalQualifier(c);
      return { kind: "interval-type", qualifier, notNull: acceptNullability(c), span: c.spanFrom(start) };
    }
  }
  const simple = SIMPLE_TYPES.get(word);
  if (simple !== undefined) return parseSimpleType(c, start, simple.name, simple.maxParams);
  if (c.isIdentifier()) {
    const name = c.expectQualifiedName("type name");
    return { kind: "user-defined-type", name, notNull: acceptNullability(c), span: c.spanFrom(start) };
  }
  return c.fail("data type");
}

function parseSimpleType(
  c: TokenCursor,
  start: Position,
  folded: SimpleTypeName,
  maxParams: number,
): SimpleType {
  let name = folded;
  c.advance();
  if (name === "DOUBLE") {
    c.acceptKeyword("PRECISION");
  } else if ((name === "CHAR" || name === "BINARY") && c.acceptKeyword("VARYING")) {
    name = name === "CHAR" ? "VARCHAR" : "VARBINARY";
  }
  const params: number[] = [];
  if (maxParams > 0 && c.acceptSymbol("(")) {
    params.push(expectInteger(c));
    while (params.length < maxParams && c.acceptSymbol(",")) params.push(expectInteger(c));
    c.expectSymbol(")");
  }
  if (name === "TIME" || name === "TIMESTAMP") name = parseTimeZoneSuffix(c, name);
  return { kind: "simple-type", name, params, notNull: acceptNullability(c), span: c.spanFrom(start) };
}

/** `WITHOUT TIME ZONE` (no change) or, for TIMESTAMP, `WITH LOCAL TIME ZONE` (TIMESTAMP_LTZ). */
function parseTimeZoneSuffix(c: TokenCursor, name: "TIME" | "TIMESTAMP"): SimpleTypeName {
  if (c.isKeyword("WITHOUT") && c.isKeyword("TIME", 1)) {
    c.expectKeywords("WITHOUT", "TIME", "ZONE");
    return name;
  }
  if (c.isKeyword("WITH") && (c.isKeyword("LOCAL", 1) || c.isKeyword("TIME", 1))) {
    c.advance();
    if (name === "TIMESTAMP" && c.acceptKeyword("LOCAL")) {
      c.expectKeywords("TIME", "ZONE");
      return "TIMESTAMP_LTZ";
    }
    throw c.error({
      expected: name === "TIMESTAMP" ? ["'LOCAL'"] : [],
      detail: `${name} WITH ${name === "TIMESTAMP" ? "" : "LOCAL "}TIME ZONE is not a Flink type${
        name === "TIMESTAMP" ? "; use TIMESTAMP WITH LOCAL TIME ZONE or TIMESTAMP_LTZ" : ""
      }`,
    });
  }
  return name;
}

/** `ROW<name TYPE ['description'], ...>` or `ROW(name TYPE, ...)`; `ROW<>` is the empty row. */
function parseRowType(c: TokenCursor, start: Position): DataType {
  c.advance();
  const fields: RowField[] = [];
  if (c.acceptSymbol("<>")) {
    return { kind: "row-type", fields, notNull: acceptNullability(c), span: c.spanFrom(start) };
  }
  const angle = !c.isSymbol("(");
  if (angle) expectOpenAngle(c);
  else c.expectSymbol("(");
  const close = angle ? ">" : ")";
  if (!c.isSymbol(close)) {
    do fields.push(parseRowField(c));
    while (c.acceptSymbol(","));
  }
  if (angle) expectCloseAngle(c);
  else c.expectSymbol(")");
  return { kind: "row-type", fields, notNull: acceptNullability(c), span: c.spanFrom(start) };
}

function parseRowField(c: TokenCursor): RowField {
  const start = c.start;
  const name: Identifier = c.expectIdentifier("field name");
  const type = parseDataType(c);
  const description = c.token.kind === "string" ? c.advance().value : null;
  return { kind: "row-field", name, type, description, span: c.spanFrom(start) };
}

function expectOpenAngle(c: TokenCursor): void {
  c.expectSymbol("<");
}

function expectCloseAngle(c: TokenCursor): void {
  c.expectSymbol(">");
}

function expectString(c: TokenCursor): string {
  if (c.token.kind === "string") return c.advance().value;
  return c.fail("string literal");
}

/** True when `upper` starts a built-in type, so a user-defined type of that name needs quotes. */
export function isTypeKeyword(upper: string): boolean {
  return (
    SIMPLE_TYPES.has(upper) ||
    upper === "ARRAY" ||
    upper === "MULTISET" ||
    upper === "MAP" ||
    upper === "ROW" ||
    upper === "RAW" ||
    upper === "INTERVAL"
  );
}
