/**
 * The SQL/JSON functions' own call syntax: JSON_VALUE / JSON_QUERY / JSON_EXISTS with their
 * RETURNING, wrapper and `… ON EMPTY` / `… ON ERROR` clauses; JSON_OBJECT / JSON_OBJECTAGG with
 * `[KEY] k VALUE v` entries; JSON_ARRAY / JSON_ARRAYAGG; all with `NULL | ABSENT ON NULL`.
 *
 * Invariant: each clause is accepted only by the functions whose grammar (Flink's, i.e.
 * Calcite's) has it, in the standard's order (RETURNING, wrapper, ON EMPTY, ON ERROR), and each
 * behavior only where it means something (DEFAULT for JSON_VALUE, EMPTY ARRAY / EMPTY OBJECT for
 * JSON_QUERY, TRUE / FALSE / UNKNOWN for JSON_EXISTS), so a misplaced word fails at its own token.
 * The result is an ordinary call whose arguments are what the function receives, plus the clauses.
 * @module
 */

import type { CallExpression, Expression, JsonBehavior, JsonCallClauses } from "../ast/expressions.ts";
import type { QualifiedName } from "../ast/names.ts";
import type { Position } from "../ast/span.ts";
import type { DataType } from "../ast/types.ts";
import type { OrderItem } from "../ast/windows.ts";
import { describeToken, type Token } from "../lexer/token.ts";
import { parseFilter, parseOver } from "./calls.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseExpression } from "./expressions.ts";
import { parseDataType } from "./types.ts";
import { parseOrderItems } from "./windows.ts";

/** The functions with their own syntax, upper-cased. */
export const JSON_SYNTAX_FUNCTIONS: ReadonlySet<string> = new Set([
  "JSON_VALUE",
  "JSON_QUERY",
  "JSON_EXISTS",
  "JSON_OBJECT",
  "JSON_ARRAY",
  "JSON_OBJECTAGG",
  "JSON_ARRAYAGG",
]);

type Behavior = JsonBehavior["behavior"];

/** Behaviors each path function allows before ON EMPTY / ON ERROR. */
const BEHAVIORS: Readonly<Record<string, readonly Behavior[]>> = {
  JSON_VALUE: ["NULL", "ERROR", "DEFAULT"],
  JSON_QUERY: ["NULL", "ERROR", "EMPTY ARRAY", "EMPTY OBJECT"],
  JSON_EXISTS: ["TRUE", "FALSE", "UNKNOWN", "ERROR"],
};

/** Parses `(…) [FILTER (WHERE p)] [OVER …]` after the name of a function in {@link JSON_SYNTAX_FUNCTIONS}. */
export function parseJsonCall(c: TokenCursor, name: QualifiedName, start: Position): CallExpression {
  const upper = name.parts[0]!.value.toUpperCase();
  c.expectSymbol("(");
  const clausesStart = c.start;
  const args: Expression[] = [];
  let returning: DataType | null = null;
  let wrapper: JsonCallClauses["wrapper"] = null;
  let onEmpty: JsonBehavior | null = null;
  let onError: JsonBehavior | null = null;
  let onNull: JsonCallClauses["onNull"] = null;
  let orderBy: OrderItem[] = [];
  switch (upper) {
    case "JSON_VALUE":
    case "JSON_QUERY":
    case "JSON_EXISTS": {
      args.push(parseExpression(c));
      c.expectSymbol(",");
      args.push(parseExpression(c));
      if (upper !== "JSON_EXISTS" && c.acceptKeyword("RETURNING")) returning = parseDataType(c);
      if (upper === "JSON_QUERY") wrapper = parseWrapper(c);
      const allowed = BEHAVIORS[upper]!;
      const first = parseBehavior(c, allowed);
      if (first !== null) {
        c.expectKeyword("ON");
        if (upper !== "JSON_EXISTS" && c.acceptKeyword("EMPTY")) {
          onEmpty = first;
          onError = parseBehavior(c, allowed);
          if (onError !== null) c.expectKeywords("ON", "ERROR");
        } else {
          c.expectKeyword("ERROR");
          onError = first;
        }
      }
      break;
    }
    case "JSON_OBJECT":
    case "JSON_OBJECTAGG":
      if (upper === "JSON_OBJECTAGG" || !atOnNull(c)) {
        do parseKeyValue(c, args);
        while (upper === "JSON_OBJECT" && c.acceptSymbol(","));
      }
      onNull = parseOnNull(c);
      break;
    default:
      // JSON_ARRAY and JSON_ARRAYAGG.
      if (upper === "JSON_ARRAYAGG" || !atOnNull(c)) {
        do args.push(parseExpression(c));
        while (upper === "JSON_ARRAY" && c.acceptSymbol(","));
      }
      if (upper === "JSON_ARRAYAGG" && c.acceptKeywords("ORDER", "BY")) orderBy = parseOrderItems(c);
      onNull = parseOnNull(c);
  }
  const json: JsonCallClauses = {
    kind: "json-clauses",
    returning,
    wrapper,
    onEmpty,
    onError,
    onNull,
    orderBy,
    span: c.spanFrom(clausesStart),
  };
  c.expectSymbol(")");
  const filter = parseFilter(c);
  const over = parseOver(c);
  return {
    kind: "call",
    name,
    quantifier: null,
    args,
    filter,
    over,
    parenthesized: true,
    json,
    span: c.spanFrom(start),
  };
}

/** `WITHOUT [ARRAY] WRAPPER` or `WITH [CONDITIONAL | UNCONDITIONAL] [ARRAY] WRAPPER`. */
function parseWrapper(c: TokenCursor): JsonCallClauses["wrapper"] {
  let wrapper: JsonCallClauses["wrapper"];
  if (c.acceptKeyword("WITHOUT")) {
    wrapper = "WITHOUT";
  } else if (c.acceptKeyword("WITH")) {
    wrapper = c.acceptKeyword("CONDITIONAL") ? "WITH CONDITIONAL" : "WITH UNCONDITIONAL";
    if (wrapper === "WITH UNCONDITIONAL") c.acceptKeyword("UNCONDITIONAL");
  } else {
    return null;
  }
  c.acceptKeyword("ARRAY");
  c.expectKeyword("WRAPPER");
  return wrapper;
}

/** One of `allowed` (the words before `ON EMPTY` / `ON ERROR`), or null when none is next. */
function parseBehavior(c: TokenCursor, allowed: readonly Behavior[]): JsonBehavior | null {
  const start = c.start;
  for (const behavior of allowed) {
    if (behavior === "EMPTY ARRAY" || behavior === "EMPTY OBJECT") continue;
    if (c.acceptKeyword(behavior)) {
      const value = behavior === "DEFAULT" ? parseExpression(c) : null;
      return { kind: "json-behavior", behavior, value, span: c.spanFrom(start) };
    }
  }
  if (allowed.includes("EMPTY ARRAY") && c.acceptKeyword("EMPTY")) {
    let behavior: Behavior = "EMPTY ARRAY";
    if (!c.acceptKeyword("ARRAY")) {
      c.expectKeyword("OBJECT");
      behavior = "EMPTY OBJECT";
    }
    return { kind: "json-behavior", behavior, value: null, span: c.spanFrom(start) };
  }
  return null;
}

/** True where no element comes: at `)` and at `NULL ON NULL` / `ABSENT ON NULL` (`JSON_ARRAY(NULL ON NULL)`). */
function atOnNull(c: TokenCursor): boolean {
  if (c.isSymbol(")")) return true;
  return (c.isKeyword("NULL") || c.isKeyword("ABSENT")) && c.isKeyword("ON", 1);
}

function parseOnNull(c: TokenCursor): JsonCallClauses["onNull"] {
  let onNull: JsonCallClauses["onNull"] = null;
  if (c.acceptKeyword("NULL")) onNull = "NULL";
  else if (c.acceptKeyword("ABSENT")) onNull = "ABSENT";
  else return null;
  c.expectKeywords("ON", "NULL");
  return onNull;
}

/**
 * `[KEY] k VALUE v`. KEY is not reserved, so, as in Calcite's two-token lookahead, it is the
 * optional keyword when the next token can start a key (`KEY 'a' VALUE 1`, `KEY -1 VALUE 2`), and a
 * column called key otherwise (`KEY VALUE 1`, `KEY || 'x' VALUE 1`).
 */
function parseKeyValue(c: TokenCursor, args: Expression[]): void {
  if (c.isKeyword("KEY") && startsKey(c.peek()) && !c.isKeyword("VALUE", 1)) c.advance();
  args.push(parseExpression(c));
  if (!c.acceptKeyword("VALUE")) {
    throw c.error({
      expected: ["'VALUE'"],
      detail: `expected 'VALUE' but found ${describeToken(c.token)} (entries are written [KEY] name VALUE value)`,
    });
  }
  args.push(parseExpression(c));
}

function startsKey(token: Token): boolean {
  if (token.kind === "symbol") return token.value === "(" || token.value === "-" || token.value === "+";
  return token.kind !== "end";
}
