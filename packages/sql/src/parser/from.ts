/**
 * The FROM clause: table names (with hints and `FOR SYSTEM_TIME AS OF`), derived tables, table
 * functions (`TABLE(TUMBLE(...))`, `LATERAL TABLE(f(x))`), UNNEST, and joins.
 *
 * Invariant: comma joins and explicit joins are one left-associative chain in the order written
 * (Calcite's grammar); INNER/LEFT/RIGHT/FULL joins must have ON or USING unless NATURAL, CROSS
 * joins never do, and every reference except a parenthesized join may carry an alias.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { JoinCondition, JoinType, TableAlias, TableReference } from "../ast/queries.ts";
import type { Position } from "../ast/span.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseExpression, parseExpressionList } from "./expressions.ts";
import { parseHints } from "./hints.ts";
import { parseMatchRecognize, withAlias } from "./match-recognize.ts";
import { isQueryStart, parseQuery } from "./queries.ts";

/** The table references after FROM, joined into one tree. */
export function parseFrom(c: TokenCursor): TableReference {
  const start = c.start;
  let left = parseTableReference(c);
  for (;;) {
    if (c.acceptSymbol(",")) {
      const right = parseTableReference(c);
      left = {
        kind: "join",
        type: "COMMA",
        natural: false,
        left,
        right,
        condition: null,
        span: c.spanFrom(start),
      };
      continue;
    }
    const natural = c.acceptKeyword("NATURAL") !== null;
    const type = parseJoinType(c);
    if (type === null) {
      if (natural) c.fail();
      return left;
    }
    const right = parseTableReference(c);
    let condition: JoinCondition | null = null;
    if (type !== "CROSS" && !natural) condition = parseJoinCondition(c);
    left = { kind: "join", type, natural, left, right, condition, span: c.spanFrom(start) };
  }
}

/** Consumes `[INNER] JOIN`, `LEFT [OUTER] JOIN`, ... and returns the type; null when none is next. */
function parseJoinType(c: TokenCursor): Exclude<JoinType, "COMMA"> | null {
  if (c.acceptKeyword("JOIN")) return "INNER";
  let type: Exclude<JoinType, "COMMA">;
  if (c.acceptKeyword("INNER")) type = "INNER";
  else if (c.acceptKeyword("CROSS")) type = "CROSS";
  else if (c.acceptKeyword("LEFT")) type = "LEFT";
  else if (c.acceptKeyword("RIGHT")) type = "RIGHT";
  else if (c.acceptKeyword("FULL")) type = "FULL";
  else return null;
  if (type === "LEFT" || type === "RIGHT" || type === "FULL") c.acceptKeyword("OUTER");
  c.expectKeyword("JOIN");
  return type;
}

function parseJoinCondition(c: TokenCursor): JoinCondition {
  const start = c.start;
  if (c.acceptKeyword("ON")) {
    const condition = parseExpression(c);
    return { kind: "on", condition, span: c.spanFrom(start) };
  }
  if (c.acceptKeyword("USING")) {
    const columns = c.parenthesizedList(() => c.expectIdentifier("column name"));
    return { kind: "using", columns, span: c.spanFrom(start) };
  }
  return c.fail("'ON'", "'USING'");
}

/** One table reference with its alias (a parenthesized join is returned as the join). */
function parseTableReference(c: TokenCursor): TableReference {
  const start = c.start;
  if (c.acceptKeyword("LATERAL")) {
    if (c.isKeyword("TABLE")) return parseTableFunction(c, start, true);
    if (!c.isSymbol("(") || !isQueryStart(c)) {
      c.expecting("'TABLE'");
      c.expecting("'('");
      return c.fail();
    }
    return parseDerivedTable(c, start, true);
  }
  if (c.isKeyword("TABLE") && c.isSymbol("(", 1)) return parseTableFunction(c, start, false);
  if (c.isKeyword("UNNEST") && c.isSymbol("(", 1)) {
    c.advance();
    c.expectSymbol("(");
    const args = parseExpressionList(c);
    c.expectSymbol(")");
    const withOrdinality = c.acceptKeywords("WITH", "ORDINALITY");
    const alias = parseTableAlias(c);
    return { kind: "unnest", args, withOrdinality, alias, span: c.spanFrom(start) };
  }
  if (c.isSymbol("(")) {
    const nestedJoin = (): TableReference => {
      c.expectSymbol("(");
      const nested = parseFrom(c);
      c.expectSymbol(")");
      return nested;
    };
    if (!isQueryStart(c)) return nestedJoin();
    // `((SELECT ...) UNION ...)` is a query; `((SELECT ...) AS x JOIN y ON ...)` is a join.
    const derived = (): TableReference => parseDerivedTable(c, start, false);
    return c.isSymbol("(", 1) ? c.either(derived, nestedJoin) : derived();
  }
  if (!c.isIdentifier()) {
    c.expecting("'('");
    c.expecting("'TABLE'");
    c.expecting("'LATERAL'");
    c.expecting("'UNNEST'");
  }
  const name = c.expectQualifiedName("table name");
  const hints = parseHints(c);
  let systemTime: Expression | null = null;
  if (c.acceptKeywords("FOR", "SYSTEM_TIME")) {
    c.expectKeywords("AS", "OF");
    systemTime = parseExpression(c);
  }
  if (c.isKeyword("MATCH_RECOGNIZE")) {
    const input: TableReference = {
      kind: "table-name",
      name,
      hints,
      systemTime,
      alias: null,
      span: c.spanFrom(start),
    };
    return withAlias(c, parseMatchRecognize(c, input, start), parseTableAlias(c));
  }
  c.expecting("'MATCH_RECOGNIZE'");
  const alias = parseTableAlias(c);
  return { kind: "table-name", name, hints, systemTime, alias, span: c.spanFrom(start) };
}

function parseDerivedTable(c: TokenCursor, start: Position, lateral: boolean): TableReference {
  c.expectSymbol("(");
  const query = parseQuery(c);
  c.expectSymbol(")");
  if (!lateral && c.isKeyword("MATCH_RECOGNIZE")) {
    const input: TableReference = {
      kind: "derived-table",
      lateral,
      query,
      alias: null,
      span: c.spanFrom(start),
    };
    return withAlias(c, parseMatchRecognize(c, input, start), parseTableAlias(c));
  }
  const alias = parseTableAlias(c);
  return { kind: "derived-table", lateral, query, alias, span: c.spanFrom(start) };
}

/** `TABLE(f(...)) [alias]` with `TABLE` as the current token. */
function parseTableFunction(c: TokenCursor, start: Position, lateral: boolean): TableReference {
  c.expectKeyword("TABLE");
  c.expectSymbol("(");
  const callStart = c.start;
  const call = parseExpression(c);
  if (call.kind !== "call" || !call.parenthesized) {
    throw c.errorAt(callStart, "expected a table function call such as TUMBLE(TABLE t, DESCRIPTOR(ts), ...)");
  }
  c.expectSymbol(")");
  const alias = parseTableAlias(c);
  return { kind: "table-function", lateral, call, alias, span: c.spanFrom(start) };
}

/** `[AS] name [(col, ...)]`; null when no alias follows. */
function parseTableAlias(c: TokenCursor): TableAlias | null {
  const start = c.start;
  let name: TableAlias["name"];
  if (c.acceptKeyword("AS")) {
    name = c.expectIdentifier("alias");
  } else if (c.isIdentifier()) {
    name = c.expectIdentifier("alias");
  } else {
    c.expecting("alias");
    return null;
  }
  const columns = c.isSymbol("(") ? c.parenthesizedList(() => c.expectIdentifier("column name")) : [];
  return { kind: "table-alias", name, columns, span: c.spanFrom(start) };
}
