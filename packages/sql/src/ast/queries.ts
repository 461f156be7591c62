/**
 * Queries of the SQL syntax tree: SELECT blocks, set operations, VALUES, WITH, and the FROM clause.
 *
 * Invariants: a {@link Query} owns the clauses that apply to a whole query expression (WITH,
 * ORDER BY, OFFSET, LIMIT/FETCH); a parenthesized query inside a set operation stays a nested
 * {@link Query} so its own ORDER BY/LIMIT keep their scope. Set operations nest by precedence
 * (INTERSECT binds tighter than UNION and EXCEPT, all left-associative). Joins and comma joins nest
 * left-associatively in the order written, as in Flink's (Calcite's) grammar.
 * @module
 */

import type { CallExpression, Expression, NumberLiteral, StringLiteral } from "./expressions.ts";
import type { MatchRecognize } from "./match-recognize.ts";
import type { Identifier, QualifiedName } from "./names.ts";
import type { Span } from "./span.ts";
import type { OrderItem, WindowSpec } from "./windows.ts";

/** `name [(col, ...)] AS (query)` in a WITH clause. */
export interface CommonTableExpression {
  readonly kind: "cte";
  readonly name: Identifier;
  readonly columns: readonly Identifier[];
  readonly query: Query;
  readonly span: Span;
}

/** A full query expression. */
export interface Query {
  readonly kind: "query";
  readonly with: readonly CommonTableExpression[];
  readonly body: QueryBody;
  readonly orderBy: readonly OrderItem[];
  readonly offset: Expression | null;
  /** From `LIMIT n` or `FETCH FIRST|NEXT n ROW|ROWS ONLY`. */
  readonly limit: Expression | null;
  readonly span: Span;
}

export type QueryBody = Select | SetOperation | Values | Query;

/** `left UNION [ALL | DISTINCT] right`, likewise INTERSECT and EXCEPT. */
export interface SetOperation {
  readonly kind: "set-operation";
  readonly operator: "UNION" | "INTERSECT" | "EXCEPT";
  /** True for `ALL`; `DISTINCT` and nothing both mean set semantics. */
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
  readonly span: Span;
}

/** `VALUES (1, 'a'), (2, 'b')`: one list of values per row. */
export interface Values {
  readonly kind: "values";
  readonly rows: readonly (readonly Expression[])[];
  readonly span: Span;
}

/** `'key' = 'value'` in a hint or WITH clause. */
export interface KeyValueOption {
  readonly kind: "key-value";
  readonly key: StringLiteral;
  readonly value: StringLiteral;
  readonly span: Span;
}

/**
 * One hint from `/*+ NAME(args), ... *\/`: `OPTIONS('k' = 'v')`, `BROADCAST(t)`,
 * `STATE_TTL('t' = '1d')`.
 */
export interface Hint {
  readonly kind: "hint";
  readonly name: Identifier;
  /** Either all key-value options, or identifiers and literals; empty for `NAME` alone. */
  readonly args: readonly (KeyValueOption | Identifier | StringLiteral | NumberLiteral)[];
  readonly span: Span;
}

/** `expr [AS] alias`. */
export interface SelectExpression {
  readonly kind: "select-expression";
  readonly expression: Expression;
  readonly alias: Identifier | null;
  readonly span: Span;
}

/** `*` (empty qualifier) or `t.*`. */
export interface SelectStar {
  readonly kind: "select-star";
  readonly qualifier: readonly Identifier[];
  readonly span: Span;
}

export type SelectItem = SelectExpression | SelectStar;

/** `GROUPING SETS (...)`; each set is an element (a parenthesized list is a row). */
export interface GroupingSets {
  readonly kind: "grouping-sets";
  readonly sets: readonly GroupingElement[];
  readonly span: Span;
}

/** `ROLLUP (a, b)` or `CUBE (a, b)`; a parenthesized list inside is a row. */
export interface RollupOrCube {
  readonly kind: "rollup" | "cube";
  readonly items: readonly Expression[];
  readonly span: Span;
}

/** `()` inside GROUP BY or GROUPING SETS. */
export interface EmptyGroupingSet {
  readonly kind: "empty-grouping-set";
  readonly span: Span;
}

export type GroupingElement = Expression | GroupingSets | RollupOrCube | EmptyGroupingSet;

/** `WINDOW w AS (spec)`. */
export interface NamedWindow {
  readonly kind: "named-window";
  readonly name: Identifier;
  readonly spec: WindowSpec;
  readonly span: Span;
}

/** One SELECT block. An empty `groupBy` means no GROUP BY clause. */
export interface Select {
  readonly kind: "select";
  readonly hints: readonly Hint[];
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: TableReference | null;
  readonly where: Expression | null;
  readonly groupBy: readonly GroupingElement[];
  readonly having: Expression | null;
  readonly windows: readonly NamedWindow[];
  readonly qualify: Expression | null;
  readonly span: Span;
}

/** `[AS] name [(col, ...)]` after a table reference. */
export interface TableAlias {
  readonly kind: "table-alias";
  readonly name: Identifier;
  readonly columns: readonly Identifier[];
  readonly span: Span;
}

/** A catalog table or view, optionally versioned: `rates FOR SYSTEM_TIME AS OF o.ts AS r`. */
export interface TableName {
  readonly kind: "table-name";
  readonly name: QualifiedName;
  readonly hints: readonly Hint[];
  /** The expression of `FOR SYSTEM_TIME AS OF`. */
  readonly systemTime: Expression | null;
  readonly alias: TableAlias | null;
  readonly span: Span;
}

/** `(query) [AS] alias` or `LATERAL (query) alias`. */
export interface DerivedTable {
  readonly kind: "derived-table";
  readonly lateral: boolean;
  readonly query: Query;
  readonly alias: TableAlias | null;
  readonly span: Span;
}

/** `TABLE(TUMBLE(...))` or `LATERAL TABLE(split(s)) AS t(word)`. */
export interface TableFunction {
  readonly kind: "table-function";
  readonly lateral: boolean;
  readonly call: CallExpression;
  readonly alias: TableAlias | null;
  readonly span: Span;
}

/** `UNNEST(arr) [WITH ORDINALITY] [AS] t(x)`. */
export interface Unnest {
  readonly kind: "unnest";
  readonly args: readonly Expression[];
  readonly withOrdinality: boolean;
  readonly alias: TableAlias | null;
  readonly span: Span;
}

/** `ON condition` or `USING (cols)`. */
export type JoinCondition =
  | { readonly kind: "on"; readonly condition: Expression; readonly span: Span }
  | { readonly kind: "using"; readonly columns: readonly Identifier[]; readonly span: Span };

/** INNER (also plain `JOIN`), LEFT/RIGHT/FULL [OUTER], CROSS, or a comma between tables. */
export type JoinType = "INNER" | "LEFT" | "RIGHT" | "FULL" | "CROSS" | "COMMA";

export interface Join {
  readonly kind: "join";
  readonly type: JoinType;
  readonly natural: boolean;
  readonly left: TableReference;
  readonly right: TableReference;
  /** Null for CROSS, COMMA and NATURAL joins. */
  readonly condition: JoinCondition | null;
  readonly span: Span;
}

export type TableReference = TableName | DerivedTable | TableFunction | Unnest | Join | MatchRecognize;
