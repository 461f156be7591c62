/**
 * Function calls: arguments (including `*`, named `name => value`, `TABLE t`, `DESCRIPTOR(c)` and
 * time units), `DISTINCT`, `FILTER (WHERE ...)` and `OVER (...)` / `OVER w`.
 *
 * Invariant: a bare time unit is an argument only where Flink's grammar puts one: the first
 * argument of TIMESTAMPADD/TIMESTAMPDIFF, and after `TO` in FLOOR/CEIL; elsewhere a word is a
 * column name, so a column called `week` is never misread as a unit.
 * @module
 */

import type {
  CallArgument,
  CallExpression,
  DescriptorArgument,
  Expression,
  TableArgument,
} from "../ast/expressions.ts";
import type { Identifier, QualifiedName } from "../ast/names.ts";
import type { Position } from "../ast/span.ts";
import type { WindowSpec } from "../ast/windows.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseExpression } from "./expressions.ts";
import { expectTimeUnit, timeUnitAt } from "./time-units.ts";
import { parseWindowSpec } from "./windows.ts";

const UNIT_FIRST: ReadonlySet<string> = new Set(["TIMESTAMPADD", "TIMESTAMPDIFF"]);
const UNIT_AFTER_TO: ReadonlySet<string> = new Set(["FLOOR", "CEIL", "CEILING"]);

/** Parses `(args) [FILTER (WHERE p)] [OVER ...]` after the function name. */
export function parseCall(c: TokenCursor, name: QualifiedName, start: Position): CallExpression {
  const upperName = name.parts.length === 1 ? name.parts[0]!.value.toUpperCase() : "";
  c.expectSymbol("(");
  let quantifier: "DISTINCT" | "ALL" | null = null;
  if (c.acceptKeyword("DISTINCT")) quantifier = "DISTINCT";
  else if (c.acceptKeyword("ALL")) quantifier = "ALL";
  const args: CallArgument[] = [];
  if (quantifier === null && c.isSymbol("*") && c.isSymbol(")", 1)) {
    const star = c.advance();
    args.push({ kind: "star-argument", span: star.span });
  } else if (quantifier !== null || !c.atSymbol(")")) {
    do {
      args.push(parseArgument(c, upperName, args.length));
      if (args.length === 1 && UNIT_AFTER_TO.has(upperName) && c.acceptKeyword("TO")) {
        // FLOOR(ts TO HOUR): the unit becomes the second argument, and only `)` may follow.
        const unitStart = c.start;
        const unit = expectTimeUnit(c);
        args.push({ kind: "time-unit-argument", unit, span: c.spanFrom(unitStart) });
        break;
      }
    } while (c.acceptSymbol(","));
  }
  c.expectSymbol(")");
  const filter = parseFilter(c);
  const over = parseOver(c);
  return { kind: "call", name, quantifier, args, filter, over, parenthesized: true, span: c.spanFrom(start) };
}

function parseArgument(c: TokenCursor, upperName: string, index: number): CallArgument {
  const token = c.token;
  if ((token.kind === "word" || token.kind === "quoted-identifier") && c.isSymbol("=>", 1)) {
    c.advance();
    c.advance();
    const name: Identifier = { kind: "identifier", value: token.value, span: token.span };
    const value = parseArgumentValue(c);
    return { kind: "named-argument", name, value, span: c.spanFrom(token.span.start) };
  }
  if (index === 0 && UNIT_FIRST.has(upperName) && timeUnitAt(c) !== null && c.isSymbol(",", 1)) {
    const unit = expectTimeUnit(c);
    return { kind: "time-unit-argument", unit, span: token.span };
  }
  return parseArgumentValue(c);
}

function parseArgumentValue(c: TokenCursor): Expression | TableArgument | DescriptorArgument {
  if (c.isKeyword("TABLE") && c.isIdentifier(1)) return parseTableArgument(c);
  if (c.isKeyword("DESCRIPTOR") && c.isSymbol("(", 1)) {
    const start = c.start;
    c.advance();
    const columns = c.parenthesizedList(() => c.expectIdentifier("column name"));
    return { kind: "descriptor-argument", columns, span: c.spanFrom(start) };
  }
  return parseExpression(c);
}

/** `TABLE name [PARTITION BY col | (cols)] [ORDER BY col | (cols)]`. */
function parseTableArgument(c: TokenCursor): TableArgument {
  const start = c.start;
  c.advance();
  const name = c.expectQualifiedName("table name");
  const partitionBy = c.acceptKeywords("PARTITION", "BY") ? parseColumnOrList(c) : [];
  const orderBy = c.acceptKeywords("ORDER", "BY") ? parseColumnOrList(c) : [];
  return { kind: "table-argument", name, partitionBy, orderBy, span: c.spanFrom(start) };
}

function parseColumnOrList(c: TokenCursor): Identifier[] {
  if (c.isSymbol("(")) return c.parenthesizedList(() => c.expectIdentifier("column name"));
  return [c.expectIdentifier("column name")];
}

export function parseFilter(c: TokenCursor): Expression | null {
  if (!c.acceptKeyword("FILTER")) return null;
  c.expectSymbol("(");
  c.expectKeyword("WHERE");
  const condition = parseExpression(c);
  c.expectSymbol(")");
  return condition;
}

export function parseOver(c: TokenCursor): WindowSpec | Identifier | null {
  if (!c.acceptKeyword("OVER")) return null;
  if (c.isSymbol("(")) return parseWindowSpec(c);
  c.expecting("'('");
  return c.expectIdentifier("window name");
}
