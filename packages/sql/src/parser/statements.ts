/**
 * Statement dispatch, INSERT, statement sets, EXPLAIN, and the client statements SET, RESET, SHOW,
 * DESCRIBE and USE.
 *
 * Invariant: a statement is chosen by its first word alone (a query by SELECT, WITH, VALUES or
 * `(`), so an unknown first word fails right there with the list of statements Weir parses.
 * @module
 */

import type { QualifiedName } from "../ast/names.ts";
import type { Position } from "../ast/span.ts";
import type {
  Explain,
  ExplainDetail,
  Insert,
  ResetStatement,
  SetStatement,
  Show,
  ShowCreate,
  ShowObject,
  Statement,
  StatementSet,
  StaticPartition,
  Use,
} from "../ast/statements.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseCreate, parseDrop } from "./ddl.ts";
import { parseExpression } from "./expressions.ts";
import { parseHints } from "./hints.ts";
import { expectStringLiteral, parseKeyValueOption } from "./options.ts";
import { isQueryStart, parseQuery } from "./queries.ts";

const STATEMENT_STARTS = [
  "'SELECT'",
  "'WITH'",
  "'VALUES'",
  "'INSERT'",
  "'EXECUTE STATEMENT SET'",
  "'BEGIN STATEMENT SET'",
  "'CREATE'",
  "'DROP'",
  "'EXPLAIN'",
  "'SET'",
  "'RESET'",
  "'SHOW'",
  "'DESCRIBE'",
  "'USE'",
];

const EXPLAIN_DETAILS: readonly ExplainDetail[] = [
  "ESTIMATED_COST",
  "CHANGELOG_MODE",
  "JSON_EXECUTION_PLAN",
  "PLAN_ADVICE",
];

/** One statement starting at the current token (without its terminating `;`). */
export function parseStatement(c: TokenCursor): Statement {
  if (isQueryStart(c)) return parseQuery(c);
  const token = c.token;
  switch (token.kind === "word" ? token.upper : "") {
    case "INSERT":
      return parseInsert(c);
    case "EXECUTE":
      return parseExecute(c);
    case "BEGIN":
      return parseClientStatementSet(c);
    case "CREATE":
      return parseCreate(c);
    case "DROP":
      return parseDrop(c);
    case "EXPLAIN":
      return parseExplain(c);
    case "SET":
      return parseSet(c);
    case "RESET":
      return parseReset(c);
    case "SHOW":
      return parseShow(c);
    case "DESCRIBE":
    case "DESC":
      return parseDescribe(c);
    case "USE":
      return parseUse(c);
  }
  return c.fail(...STATEMENT_STARTS);
}

/** `INSERT INTO | OVERWRITE name [hints] [PARTITION (...)] [(cols)] query`. */
function parseInsert(c: TokenCursor): Insert {
  const start = c.start;
  c.expectKeyword("INSERT");
  let overwrite = false;
  if (c.acceptKeyword("OVERWRITE")) overwrite = true;
  else c.expectKeyword("INTO");
  const target = c.expectQualifiedName("table name");
  const hints = parseHints(c);
  const partition: StaticPartition[] = [];
  if (c.acceptKeyword("PARTITION")) {
    c.expectSymbol("(");
    do {
      const itemStart = c.start;
      const column = c.expectIdentifier("partition column");
      c.expectSymbol("=");
      const value = parseExpression(c);
      partition.push({ kind: "static-partition", column, value, span: c.spanFrom(itemStart) });
    } while (c.acceptSymbol(","));
    c.expectSymbol(")");
  }
  const columns =
    c.isSymbol("(") && !isQueryStart(c) ? c.parenthesizedList(() => c.expectIdentifier("column name")) : [];
  if (!isQueryStart(c)) {
    c.expecting("'('");
    return c.fail("'SELECT'", "'VALUES'", "'WITH'");
  }
  const query = parseQuery(c);
  return { kind: "insert", overwrite, target, hints, partition, columns, query, span: c.spanFrom(start) };
}

/** `EXECUTE STATEMENT SET BEGIN insert; ... END` or `EXECUTE INSERT ...` (the insert itself). */
function parseExecute(c: TokenCursor): Insert | StatementSet {
  const start = c.start;
  c.expectKeyword("EXECUTE");
  if (c.isKeyword("INSERT")) return parseInsert(c);
  c.expecting("'INSERT'");
  c.expectKeywords("STATEMENT", "SET");
  return parseStatementSetBlock(c, start, "execute");
}

/** `BEGIN insert; ... END` after `[EXECUTE] STATEMENT SET`. */
function parseStatementSetBlock(c: TokenCursor, start: Position, form: StatementSet["form"]): StatementSet {
  c.expectKeyword("BEGIN");
  const inserts: Insert[] = [];
  do {
    inserts.push(parseInsert(c));
    c.expectSymbol(";");
  } while (!c.acceptKeyword("END"));
  return { kind: "statement-set", form, inserts, span: c.spanFrom(start) };
}

/** The SQL client's `BEGIN STATEMENT SET; insert; ...; END` (the final `;` is the separator). */
function parseClientStatementSet(c: TokenCursor): StatementSet {
  const start = c.start;
  c.expectKeywords("BEGIN", "STATEMENT", "SET");
  c.expectSymbol(";");
  const inserts: Insert[] = [];
  while (!c.acceptKeyword("END")) {
    if (!c.isKeyword("INSERT")) c.fail("'INSERT'");
    inserts.push(parseInsert(c));
    c.expectSymbol(";");
  }
  if (inserts.length === 0) throw c.errorAt(start, "a statement set needs at least one INSERT");
  return { kind: "statement-set", form: "client", inserts, span: c.spanFrom(start) };
}

/** `EXPLAIN [PLAN FOR | detail, ...] query | insert | [EXECUTE] STATEMENT SET BEGIN ... END`. */
function parseExplain(c: TokenCursor): Explain {
  const start = c.start;
  c.expectKeyword("EXPLAIN");
  const details: ExplainDetail[] = [];
  const planFor = c.acceptKeywords("PLAN", "FOR");
  if (!planFor) {
    for (;;) {
      const token = c.token;
      const detail = EXPLAIN_DETAILS.find((d) => token.kind === "word" && token.upper === d);
      if (detail === undefined) {
        if (details.length > 0) return c.fail("explain detail");
        for (const d of EXPLAIN_DETAILS) c.expecting(`'${d}'`);
        break;
      }
      c.advance();
      details.push(detail);
      if (!c.acceptSymbol(",")) break;
    }
  }
  let statement: Explain["statement"];
  if (c.isKeyword("INSERT")) {
    statement = parseInsert(c);
  } else if (c.isKeyword("STATEMENT") || c.isKeyword("EXECUTE")) {
    const setStart = c.start;
    const form = c.acceptKeyword("EXECUTE") ? "execute" : "explain";
    c.expectKeywords("STATEMENT", "SET");
    statement = parseStatementSetBlock(c, setStart, form);
  } else if (isQueryStart(c)) {
    statement = parseQuery(c);
  } else {
    return c.fail("'SELECT'", "'WITH'", "'VALUES'", "'INSERT'", "'STATEMENT SET'");
  }
  return { kind: "explain", planFor, details, statement, span: c.spanFrom(start) };
}

/** `SET` or `SET 'key' = 'value'`. */
function parseSet(c: TokenCursor): SetStatement {
  const start = c.start;
  c.expectKeyword("SET");
  if (c.token.kind !== "string") {
    c.expecting("option key (a string literal)");
    return { kind: "set", option: null, span: c.spanFrom(start) };
  }
  const option = parseKeyValueOption(c);
  return { kind: "set", option, span: c.spanFrom(start) };
}

/** `RESET` or `RESET 'key'`. */
function parseReset(c: TokenCursor): ResetStatement {
  const start = c.start;
  c.expectKeyword("RESET");
  if (c.token.kind !== "string") {
    c.expecting("option key (a string literal)");
    return { kind: "reset", key: null, span: c.spanFrom(start) };
  }
  const key = expectStringLiteral(c);
  return { kind: "reset", key, span: c.spanFrom(start) };
}

/** SHOW objects, which of them take `FROM|IN name`, and which take `[NOT] LIKE 'pattern'`. */
const SHOW_FORMS: readonly {
  readonly words: readonly string[];
  readonly object: ShowObject;
  readonly from: "optional" | "required" | "none";
  readonly like: boolean;
}[] = [
  { words: ["TABLES"], object: "TABLES", from: "optional", like: true },
  { words: ["VIEWS"], object: "VIEWS", from: "optional", like: true },
  { words: ["FUNCTIONS"], object: "FUNCTIONS", from: "optional", like: true },
  { words: ["USER", "FUNCTIONS"], object: "USER FUNCTIONS", from: "optional", like: true },
  { words: ["CATALOGS"], object: "CATALOGS", from: "none", like: true },
  { words: ["DATABASES"], object: "DATABASES", from: "optional", like: true },
  { words: ["CURRENT", "CATALOG"], object: "CURRENT CATALOG", from: "none", like: false },
  { words: ["CURRENT", "DATABASE"], object: "CURRENT DATABASE", from: "none", like: false },
  { words: ["MODULES"], object: "MODULES", from: "none", like: false },
  { words: ["FULL", "MODULES"], object: "FULL MODULES", from: "none", like: false },
  { words: ["JARS"], object: "JARS", from: "none", like: false },
  { words: ["COLUMNS"], object: "COLUMNS", from: "required", like: true },
];

function parseShow(c: TokenCursor): Show | ShowCreate {
  const start = c.start;
  c.expectKeyword("SHOW");
  if (c.acceptKeyword("CREATE")) {
    let object: ShowCreate["object"];
    if (c.acceptKeyword("TABLE")) object = "TABLE";
    else {
      c.expectKeyword("VIEW");
      object = "VIEW";
    }
    const name = c.expectQualifiedName(`${object.toLowerCase()} name`);
    return { kind: "show-create", object, name, span: c.spanFrom(start) };
  }
  const form = SHOW_FORMS.find((f) => f.words.every((w, i) => c.isKeyword(w, i)));
  if (form === undefined) {
    for (const f of SHOW_FORMS) c.expecting(`'${f.words.join(" ")}'`);
    return c.fail();
  }
  for (const _ of form.words) c.advance();
  let from: QualifiedName | null = null;
  if (form.from !== "none") {
    if (c.acceptKeyword("FROM") || c.acceptKeyword("IN")) from = c.expectQualifiedName();
    else if (form.from === "required") return c.fail();
  }
  let like: Show["like"] = null;
  if (form.like) {
    const negated = c.isKeyword("NOT") && c.isKeyword("LIKE", 1);
    if (negated) c.advance();
    if (c.acceptKeyword("LIKE"))
      like = { negated, pattern: expectStringLiteral(c, "pattern (a string literal)") };
  }
  return { kind: "show", object: form.object, from, like, span: c.spanFrom(start) };
}

/** `DESCRIBE [EXTENDED] name` or `DESC [EXTENDED] name`. */
function parseDescribe(c: TokenCursor): Statement {
  const start = c.start;
  c.advance();
  // EXTENDED is not reserved: `DESC extended` describes a table named extended.
  const extended = c.isKeyword("EXTENDED") && c.isIdentifier(1);
  if (extended) c.advance();
  const name = c.expectQualifiedName("table name");
  return { kind: "describe", extended, name, span: c.spanFrom(start) };
}

/** `USE CATALOG name`, `USE MODULES a, b`, or `USE [catalog.]database`. */
function parseUse(c: TokenCursor): Use {
  const start = c.start;
  c.expectKeyword("USE");
  if (c.isKeyword("CATALOG") && c.isIdentifier(1)) {
    c.advance();
    const name = c.expectQualifiedName("catalog name");
    return { kind: "use", object: "CATALOG", names: [name], span: c.spanFrom(start) };
  }
  if (c.isKeyword("MODULES") && c.isIdentifier(1)) {
    c.advance();
    const names = c.commaList(() => c.expectQualifiedName("module name"));
    return { kind: "use", object: "MODULES", names, span: c.spanFrom(start) };
  }
  const name = c.expectQualifiedName("database name");
  return { kind: "use", object: "DATABASE", names: [name], span: c.spanFrom(start) };
}
