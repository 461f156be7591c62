/**
 * Ordering and window specifications, shared by queries (ORDER BY, WINDOW clause) and expressions
 * (`OVER (...)`).
 *
 * Invariant: a frame's `end` is null exactly when the text gave a single bound (`ROWS 10
 * PRECEDING`), which SQL reads as `BETWEEN <bound> AND CURRENT ROW`; the tree keeps that shorthand.
 * @module
 */

import type { Expression } from "./expressions.ts";
import type { Identifier } from "./names.ts";
import type { Span } from "./span.ts";

/** `expr [ASC | DESC] [NULLS FIRST | NULLS LAST]`; null where nothing was written. */
export interface OrderItem {
  readonly kind: "order-item";
  readonly expression: Expression;
  readonly direction: "ASC" | "DESC" | null;
  readonly nulls: "FIRST" | "LAST" | null;
  readonly span: Span;
}

export type FrameBound =
  | { readonly kind: "unbounded-preceding"; readonly span: Span }
  | { readonly kind: "preceding"; readonly offset: Expression; readonly span: Span }
  | { readonly kind: "current-row"; readonly span: Span }
  | { readonly kind: "following"; readonly offset: Expression; readonly span: Span }
  | { readonly kind: "unbounded-following"; readonly span: Span };

/** `ROWS BETWEEN 10 PRECEDING AND CURRENT ROW`, `RANGE INTERVAL '1' HOUR PRECEDING`. */
export interface WindowFrame {
  readonly kind: "window-frame";
  readonly unit: "ROWS" | "RANGE";
  readonly start: FrameBound;
  readonly end: FrameBound | null;
  readonly span: Span;
}

/** The parenthesized part of `OVER (...)` and of `WINDOW w AS (...)`. */
export interface WindowSpec {
  readonly kind: "window-spec";
  /** A window named first inside the parentheses, which this one refines: `OVER (w ROWS ...)`. */
  readonly base: Identifier | null;
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly OrderItem[];
  readonly frame: WindowFrame | null;
  readonly span: Span;
}
