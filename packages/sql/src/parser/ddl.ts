/**
 * DDL: CREATE [TEMPORARY] TABLE | VIEW | FUNCTION and DROP.
 *
 * Invariants: a CREATE TABLE's elements may come in any order, as in Flink (columns, WATERMARK,
 * PRIMARY KEY), but at most one PRIMARY KEY is accepted, whether written on a column or on the
 * table; a column is computed (`AS expr`), metadata (`TYPE METADATA ...`) or physical, decided by
 * the token after its name and type.
 * @module
 */

import type { StringLiteral } from "../ast/expressions.ts";
import type { Identifier } from "../ast/names.ts";
import type { KeyValueOption, Query } from "../ast/queries.ts";
import type { Position } from "../ast/span.ts";
import type {
  ColumnDefinition,
  CreateFunction,
  CreateTable,
  CreateView,
  Drop,
  PrimaryKeyConstraint,
  Statement,
  WatermarkDefinition,
} from "../ast/statements.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseExpression } from "./expressions.ts";
import { expectStringLiteral, parseOptionList } from "./options.ts";
import { parseQuery } from "./queries.ts";
import { parseDataType } from "./types.ts";

/** `CREATE ...` with CREATE as the current token. */
export function parseCreate(c: TokenCursor): Statement {
  const start = c.start;
  c.expectKeyword("CREATE");
  const temporary = c.acceptKeyword("TEMPORARY") !== null;
  if (temporary && c.acceptKeyword("SYSTEM")) {
    c.expectKeyword("FUNCTION");
    return parseCreateFunction(c, start, true, true);
  }
  if (c.acceptKeyword("TABLE")) return parseCreateTable(c, start, temporary);
  if (c.acceptKeyword("VIEW")) return parseCreateView(c, start, temporary);
  if (c.acceptKeyword("FUNCTION")) return parseCreateFunction(c, start, temporary, false);
  return c.fail();
}

/** `DROP [TEMPORARY [SYSTEM]] TABLE | VIEW | FUNCTION [IF EXISTS] name`. */
export function parseDrop(c: TokenCursor): Drop {
  const start = c.start;
  c.expectKeyword("DROP");
  const temporary = c.acceptKeyword("TEMPORARY") !== null;
  const system = temporary && c.acceptKeyword("SYSTEM") !== null;
  let object: Drop["object"];
  if (system) {
    c.expectKeyword("FUNCTION");
    object = "FUNCTION";
  } else if (c.acceptKeyword("TABLE")) object = "TABLE";
  else if (c.acceptKeyword("VIEW")) object = "VIEW";
  else if (c.acceptKeyword("FUNCTION")) object = "FUNCTION";
  else return c.fail();
  const ifExists = c.acceptKeywords("IF", "EXISTS");
  const name = c.expectQualifiedName(`${object.toLowerCase()} name`);
  return { kind: "drop", object, temporary, system, ifExists, name, span: c.spanFrom(start) };
}

function parseCreateTable(c: TokenCursor, start: Position, temporary: boolean): CreateTable {
  const ifNotExists = c.acceptKeywords("IF", "NOT", "EXISTS");
  const name = c.expectQualifiedName("table name");
  const columns: ColumnDefinition[] = [];
  const watermarks: WatermarkDefinition[] = [];
  let primaryKey: PrimaryKeyConstraint | null = null;
  const setPrimaryKey = (key: PrimaryKeyConstraint): void => {
    if (primaryKey !== null) throw c.errorAt(key.span.start, "a table can have only one PRIMARY KEY");
    primaryKey = key;
  };
  if (c.acceptSymbol("(")) {
    do {
      // `WATERMARK x AS ...` is a watermark missing FOR; a column named watermark has a type next.
      if (
        c.isKeyword("WATERMARK") &&
        (c.isKeyword("FOR", 1) || (c.isIdentifier(1) && c.isKeyword("AS", 2)))
      ) {
        watermarks.push(parseWatermark(c));
      } else if (c.isKeyword("PRIMARY") || c.isKeyword("CONSTRAINT")) {
        setPrimaryKey(parsePrimaryKey(c, c.start, null));
      } else {
        c.expecting("'WATERMARK'");
        c.expecting("'PRIMARY KEY'");
        c.expecting("'CONSTRAINT'");
        columns.push(parseColumn(c, setPrimaryKey));
      }
    } while (c.acceptSymbol(","));
    c.expectSymbol(")");
  }
  const comment = c.acceptKeyword("COMMENT") ? expectStringLiteral(c) : null;
  let partitionedBy: Identifier[] = [];
  if (c.acceptKeywords("PARTITIONED", "BY")) {
    partitionedBy = c.parenthesizedList(() => c.expectIdentifier("column name"));
  }
  const options: KeyValueOption[] = c.acceptKeyword("WITH") ? parseOptionList(c) : [];
  const asQuery: Query | null = c.acceptKeyword("AS") ? parseQuery(c) : null;
  return {
    kind: "create-table",
    temporary,
    ifNotExists,
    name,
    columns,
    watermarks,
    primaryKey,
    comment,
    partitionedBy,
    options,
    asQuery,
    span: c.spanFrom(start),
  };
}

function parseWatermark(c: TokenCursor): WatermarkDefinition {
  const start = c.start;
  c.expectKeywords("WATERMARK", "FOR");
  const column = [c.expectIdentifier("column name")];
  while (c.acceptSymbol(".")) column.push(c.expectIdentifier("field name"));
  c.expectKeyword("AS");
  const strategy = parseExpression(c);
  return { kind: "watermark", column, strategy, span: c.spanFrom(start) };
}

/**
 * `[CONSTRAINT name] PRIMARY KEY [(cols)] [NOT] ENFORCED`; `column` is set for a column
 * constraint, which has no column list.
 */
function parsePrimaryKey(c: TokenCursor, start: Position, column: Identifier | null): PrimaryKeyConstraint {
  const name = c.acceptKeyword("CONSTRAINT") ? c.expectIdentifier("constraint name") : null;
  c.expectKeywords("PRIMARY", "KEY");
  const columns = column === null ? c.parenthesizedList(() => c.expectIdentifier("column name")) : [column];
  let enforcement: PrimaryKeyConstraint["enforcement"] = null;
  if (c.acceptKeyword("NOT")) {
    c.expectKeyword("ENFORCED");
    enforcement = "NOT ENFORCED";
  } else if (c.acceptKeyword("ENFORCED")) {
    enforcement = "ENFORCED";
  }
  return { kind: "primary-key", name, columns, enforcement, span: c.spanFrom(start) };
}

function parseColumn(c: TokenCursor, setPrimaryKey: (key: PrimaryKeyConstraint) => void): ColumnDefinition {
  const start = c.start;
  const name = c.expectIdentifier("column name");
  if (c.acceptKeyword("AS")) {
    const expression = parseExpression(c);
    const comment = parseComment(c);
    return { kind: "computed-column", name, expression, comment, span: c.spanFrom(start) };
  }
  c.expecting("'AS'");
  const type = parseDataType(c);
  if (c.acceptKeyword("METADATA")) {
    const key = c.acceptKeyword("FROM") ? expectStringLiteral(c, "metadata key (a string literal)") : null;
    const virtual = c.acceptKeyword("VIRTUAL") !== null;
    const comment = parseComment(c);
    return { kind: "metadata-column", name, type, key, virtual, comment, span: c.spanFrom(start) };
  }
  if (c.isKeyword("PRIMARY") || c.isKeyword("CONSTRAINT")) {
    // The constraint's span starts at the column name, so it contains the column it names.
    setPrimaryKey(parsePrimaryKey(c, start, name));
  } else {
    c.expecting("'PRIMARY KEY'");
  }
  const comment = parseComment(c);
  return { kind: "physical-column", name, type, comment, span: c.spanFrom(start) };
}

function parseComment(c: TokenCursor): StringLiteral | null {
  return c.acceptKeyword("COMMENT") ? expectStringLiteral(c) : null;
}

function parseCreateView(c: TokenCursor, start: Position, temporary: boolean): CreateView {
  const ifNotExists = c.acceptKeywords("IF", "NOT", "EXISTS");
  const name = c.expectQualifiedName("view name");
  const columns = c.isSymbol("(") ? c.parenthesizedList(() => c.expectIdentifier("column name")) : [];
  const comment = parseComment(c);
  c.expectKeyword("AS");
  const query = parseQuery(c);
  return {
    kind: "create-view",
    temporary,
    ifNotExists,
    name,
    columns,
    comment,
    query,
    span: c.spanFrom(start),
  };
}

function parseCreateFunction(
  c: TokenCursor,
  start: Position,
  temporary: boolean,
  system: boolean,
): CreateFunction {
  const ifNotExists = c.acceptKeywords("IF", "NOT", "EXISTS");
  const name = c.expectQualifiedName("function name");
  c.expectKeyword("AS");
  const identifier = expectStringLiteral(c, "function identifier (a string literal)");
  let language: string | null = null;
  if (c.acceptKeyword("LANGUAGE")) {
    const token = c.token;
    if (token.kind !== "word") return c.fail("language name");
    c.advance();
    language = token.upper;
  }
  const jars: StringLiteral[] = [];
  if (c.acceptKeyword("USING")) {
    do {
      c.expectKeyword("JAR");
      jars.push(expectStringLiteral(c, "jar path (a string literal)"));
    } while (c.acceptSymbol(","));
  }
  return {
    kind: "create-function",
    temporary,
    system,
    ifNotExists,
    name,
    identifier,
    language,
    jars,
    span: c.spanFrom(start),
  };
}
