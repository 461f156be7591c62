/**
 * ORDER BY items and window specifications: `OVER (PARTITION BY a ORDER BY ts ROWS BETWEEN 10
 * PRECEDING AND CURRENT ROW)`, `RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW`, and the
 * bodies of `WINDOW w AS (...)`.
 *
 * Invariant: the parts of a window specification are accepted only in SQL's order (base window,
 * PARTITION BY, ORDER BY, frame), and a frame bound's offset is any expression that ends before
 * PRECEDING/FOLLOWING.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { Identifier } from "../ast/names.ts";
import type { FrameBound, OrderItem, WindowFrame, WindowSpec } from "../ast/windows.ts";
import type { TokenCursor } from "./cursor.ts";
import { Power, parseExpression, parseExpressionList } from "./expressions.ts";

/** `( [base] [PARTITION BY ...] [ORDER BY ...] [frame] )`. */
export function parseWindowSpec(c: TokenCursor): WindowSpec {
  const start = c.start;
  c.expectSymbol("(");
  let base: Identifier | null = null;
  if (c.isIdentifier()) base = c.expectIdentifier("window name");
  const partitionBy: Expression[] = c.acceptKeywords("PARTITION", "BY") ? parseExpressionList(c) : [];
  const orderBy = c.acceptKeywords("ORDER", "BY") ? parseOrderItems(c) : [];
  const frame = c.isKeyword("ROWS") || c.isKeyword("RANGE") ? parseFrame(c) : null;
  if (frame === null) {
    c.expecting("'ROWS'");
    c.expecting("'RANGE'");
  }
  c.expectSymbol(")");
  return { kind: "window-spec", base, partitionBy, orderBy, frame, span: c.spanFrom(start) };
}

/** The items after ORDER BY. */
export function parseOrderItems(c: TokenCursor): OrderItem[] {
  return c.commaList(() => parseOrderItem(c));
}

function parseOrderItem(c: TokenCursor): OrderItem {
  const start = c.start;
  const expression = parseExpression(c);
  let direction: "ASC" | "DESC" | null = null;
  if (c.acceptKeyword("ASC")) direction = "ASC";
  else if (c.acceptKeyword("DESC")) direction = "DESC";
  let nulls: "FIRST" | "LAST" | null = null;
  if (c.acceptKeyword("NULLS")) {
    if (c.acceptKeyword("FIRST")) nulls = "FIRST";
    else if (c.acceptKeyword("LAST")) nulls = "LAST";
    else c.fail();
  }
  return { kind: "order-item", expression, direction, nulls, span: c.spanFrom(start) };
}

function parseFrame(c: TokenCursor): WindowFrame {
  const start = c.start;
  const unit = c.advance().upper === "ROWS" ? "ROWS" : "RANGE";
  if (c.acceptKeyword("BETWEEN")) {
    const low = parseBound(c);
    c.expectKeyword("AND");
    const high = parseBound(c);
    return { kind: "window-frame", unit, start: low, end: high, span: c.spanFrom(start) };
  }
  const bound = parseBound(c);
  return { kind: "window-frame", unit, start: bound, end: null, span: c.spanFrom(start) };
}

function parseBound(c: TokenCursor): FrameBound {
  const start = c.start;
  // UNBOUNDED is not reserved: `unbounded.x PRECEDING` is an offset expression.
  if (c.isKeyword("UNBOUNDED") && (c.isKeyword("PRECEDING", 1) || c.isKeyword("FOLLOWING", 1))) {
    c.advance();
    if (c.acceptKeyword("PRECEDING")) return { kind: "unbounded-preceding", span: c.spanFrom(start) };
    c.expectKeyword("FOLLOWING");
    return { kind: "unbounded-following", span: c.spanFrom(start) };
  }
  c.expecting("'UNBOUNDED'");
  if (c.acceptKeyword("CURRENT")) {
    c.expectKeyword("ROW");
    return { kind: "current-row", span: c.spanFrom(start) };
  }
  // The offset ends before AND, which belongs to BETWEEN ... AND ...
  const offset = parseExpression(c, Power.RANGE);
  if (c.acceptKeyword("PRECEDING")) return { kind: "preceding", offset, span: c.spanFrom(start) };
  c.expectKeyword("FOLLOWING");
  return { kind: "following", offset, span: c.spanFrom(start) };
}
