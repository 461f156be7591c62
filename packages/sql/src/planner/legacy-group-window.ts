/**
 * Flink's legacy group-window syntax, rewritten into the window TVF form before validation:
 * `… FROM t GROUP BY k, TUMBLE(ts, size)` becomes `… FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts),
 * size)) GROUP BY k, window_start, window_end`, and `TUMBLE_START(ts, size)`, `TUMBLE_END`,
 * `TUMBLE_ROWTIME` / `TUMBLE_PROCTIME` become `window_start`, `window_end`, `window_time` (likewise
 * HOP_* and SESSION_*). For SESSION the other grouping columns become its `PARTITION BY`, so each
 * key has its own sessions, as in the legacy semantics.
 *
 * Invariant: a query without a group window function is returned unchanged (the same object).
 * The table function call a rewrite makes is remembered ({@link isLegacyGroupWindowCall}): only
 * legacy group windows honour the `table.exec.emit.*` early / late firing options, as in Flink.
 * @module
 */

import type { CallArgument, CallExpression, Expression, Reference } from "../ast/expressions.ts";
import type { Identifier } from "../ast/names.ts";
import type { Select, TableFunction } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

const GROUP_WINDOWS = ["TUMBLE", "HOP", "SESSION"];
const AUXILIARY: Readonly<Record<string, string>> = {
  START: "window_start",
  END: "window_end",
  ROWTIME: "window_time",
  PROCTIME: "window_time",
};

function callName(expr: unknown): string | null {
  const call = expr as CallExpression;
  if (call?.kind !== "call" || call.name.parts.length !== 1 || !call.parenthesized) return null;
  return call.name.parts[0]!.value.toUpperCase();
}

function identifier(value: string, span: Span): Identifier {
  return { kind: "identifier", value, span };
}

function reference(qualifier: string, column: string, span: Span): Reference {
  return { kind: "reference", parts: [identifier(qualifier, span), identifier(column, span)], span };
}

/** Copies `node` with every auxiliary call (`TUMBLE_START(…)` …) replaced by its window column. */
function replaceAuxiliary(node: unknown, window: string, qualifier: string): unknown {
  if (Array.isArray(node)) return node.map((n) => replaceAuxiliary(n, window, qualifier));
  if (node === null || typeof node !== "object") return node;
  const name = callName(node);
  if (name?.startsWith(`${window}_`)) {
    const column = AUXILIARY[name.slice(window.length + 1)];
    if (column !== undefined) return reference(qualifier, column, (node as CallExpression).span);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    copy[key] = key === "span" ? value : replaceAuxiliary(value, window, qualifier);
  return copy;
}

/** The TVF calls made from legacy group windows (AST nodes are never copied after the rewrite). */
const legacyCalls = new WeakSet<object>();

/** True when `call` is the window TVF call a legacy group window was rewritten into. */
export function isLegacyGroupWindowCall(call: object): boolean {
  return legacyCalls.has(call);
}

export function rewriteLegacyGroupWindow(select: Select): Select {
  const windows = select.groupBy.filter((g) => {
    const name = callName(g);
    return name !== null && GROUP_WINDOWS.includes(name);
  }) as CallExpression[];
  if (windows.length === 0) return select;
  const window = windows[0]!;
  if (windows.length > 1) {
    throw new SqlValidationError(windows[1]!.span, "A GROUP BY may contain only one group window function");
  }
  const fn = callName(window)!;
  const from = select.from;
  if (from?.kind !== "table-name" || from.systemTime !== null) {
    throw new SqlValidationError(
      window.span,
      `The group window ${fn}(…) needs a single table or view in FROM; write the query with the ${fn} window table function instead`,
    );
  }
  const [time, ...intervals] = window.args;
  if (time?.kind !== "reference") {
    throw new SqlValidationError(window.span, `The first argument of ${fn} must be a time attribute column`);
  }
  const expected = fn === "HOP" ? 2 : 1;
  if (intervals.length !== expected) {
    throw new SqlValidationError(
      window.span,
      `${fn} as a group window takes a time attribute and ${expected === 2 ? "a slide and a size" : fn === "SESSION" ? "a gap" : "a size"}`,
    );
  }
  const qualifier = from.alias?.name.value ?? from.name.parts.at(-1)!.value;
  const others = select.groupBy.filter((g) => g !== window);
  const partitionBy =
    fn === "SESSION"
      ? others.map((g) => {
          if (g.kind !== "reference") {
            throw new SqlValidationError(
              g.span,
              "With a SESSION group window, the other GROUP BY items must be columns",
            );
          }
          return g.parts.at(-1)!;
        })
      : [];
  const tableFunction: TableFunction = {
    kind: "table-function",
    lateral: false,
    call: {
      kind: "call",
      name: { kind: "qualified-name", parts: [identifier(fn, window.span)], span: window.span },
      quantifier: null,
      args: [
        {
          kind: "table-argument",
          name: from.name,
          partitionBy,
          orderBy: [],
          hints: from.hints,
          span: from.span,
        },
        { kind: "descriptor-argument", columns: [time.parts.at(-1)!], span: time.span },
        ...(intervals as CallArgument[]),
      ],
      filter: null,
      over: null,
      parenthesized: true,
      span: window.span,
    },
    alias: { kind: "table-alias", name: identifier(qualifier, from.span), columns: [], span: from.span },
    span: from.span,
  };
  legacyCalls.add(tableFunction.call);
  const windowColumns: Expression[] = [
    reference(qualifier, "window_start", window.span),
    reference(qualifier, "window_end", window.span),
  ];
  return {
    ...select,
    items: replaceAuxiliary(select.items, fn, qualifier) as Select["items"],
    having: replaceAuxiliary(select.having, fn, qualifier) as Select["having"],
    from: tableFunction,
    groupBy: [...others, ...windowColumns],
  };
}
