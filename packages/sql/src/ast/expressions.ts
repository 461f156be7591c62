/**
 * Scalar expressions of the SQL syntax tree.
 *
 * Invariants: parentheses leave no node of their own (precedence is the tree's shape); literals keep
 * their exact text where a number could lose digits (`number-literal.text`), so DECIMAL arithmetic
 * stays exact; words that only make sense as function arguments (`*`, `name => value`,
 * `TABLE t`, `DESCRIPTOR(c)`, a bare time unit) are {@link CallArgument}s, never expressions.
 * @module
 */

import type { Identifier, QualifiedName } from "./names.ts";
import type { Hint, Query } from "./queries.ts";
import type { Span } from "./span.ts";
import type { DataType, IntervalQualifier, TimeUnit } from "./types.ts";
import type { OrderItem, WindowSpec } from "./windows.ts";

/** `'text'`; `value` has the quotes removed and each `''` turned into `'`. */
export interface StringLiteral {
  readonly kind: "string-literal";
  readonly value: string;
  readonly span: Span;
}

/** `X'0AFF'`: `hex` holds the digits as written. */
export interface BinaryLiteral {
  readonly kind: "binary-literal";
  readonly hex: string;
  readonly span: Span;
}

/**
 * An unsigned number. `integer`: digits only (`42`); `decimal`: with a point (`0.908`, `.5`), an
 * exact DECIMAL in Flink; `approximate`: with an exponent (`1.5E3`), a DOUBLE in Flink.
 */
export interface NumberLiteral {
  readonly kind: "number-literal";
  readonly text: string;
  readonly form: "integer" | "decimal" | "approximate";
  readonly span: Span;
}

export interface BooleanLiteral {
  readonly kind: "boolean-literal";
  readonly value: boolean;
  readonly span: Span;
}

export interface NullLiteral {
  readonly kind: "null-literal";
  readonly span: Span;
}

/** `DATE '2020-01-01'`, `TIME '12:00:00'`, `TIMESTAMP '2020-01-01 12:00:00.000'`. */
export interface DateTimeLiteral {
  readonly kind: "datetime-literal";
  readonly type: "DATE" | "TIME" | "TIMESTAMP";
  readonly value: string;
  readonly span: Span;
}

/** `INTERVAL '5' SECOND`, `INTERVAL -'1:30' HOUR TO MINUTE`. */
export interface IntervalLiteral {
  readonly kind: "interval-literal";
  /** True for a minus sign written before the string (`INTERVAL -'1' DAY`). */
  readonly negative: boolean;
  readonly value: string;
  readonly qualifier: IntervalQualifier;
  readonly span: Span;
}

/** A column or field reference: `price`, `B.price`, `person.dateTime`, `t.row_col.field`. */
export interface Reference {
  readonly kind: "reference";
  readonly parts: readonly Identifier[];
  readonly span: Span;
}

/** `*` as the only argument: `COUNT(*)`. */
export interface StarArgument {
  readonly kind: "star-argument";
  readonly span: Span;
}

/** `name => value`, as in `HOP(DATA => TABLE bid, ...)`. */
export interface NamedArgument {
  readonly kind: "named-argument";
  readonly name: Identifier;
  readonly value: Expression | TableArgument | DescriptorArgument;
  readonly span: Span;
}

/** `TABLE t [PARTITION BY cols] [ORDER BY cols]`: a table passed to a table-valued function. */
export interface TableArgument {
  readonly kind: "table-argument";
  readonly name: QualifiedName;
  readonly partitionBy: readonly Identifier[];
  readonly orderBy: readonly Identifier[];
  /** Table hints carried over when a legacy group window `FROM t /*+ OPTIONS(…) *\/` is rewritten. */
  readonly hints?: readonly Hint[];
  readonly span: Span;
}

/** `DESCRIPTOR(ts)`: column names passed to a table-valued function. */
export interface DescriptorArgument {
  readonly kind: "descriptor-argument";
  readonly columns: readonly Identifier[];
  readonly span: Span;
}

/** A bare unit: `FLOOR(ts TO HOUR)`, `TIMESTAMPADD(SECOND, 1, ts)`. */
export interface TimeUnitArgument {
  readonly kind: "time-unit-argument";
  readonly unit: TimeUnit;
  readonly span: Span;
}

export type CallArgument =
  | Expression
  | StarArgument
  | NamedArgument
  | TableArgument
  | DescriptorArgument
  | TimeUnitArgument;

/**
 * A function call: `f(a, b)`, `COUNT(DISTINCT x) FILTER (WHERE p)`, `ROW_NUMBER() OVER (...)`,
 * `SUM(x) OVER w`, or a niladic `CURRENT_TIMESTAMP` (`parenthesized: false`). Special syntaxes
 * that mean an ordinary call are folded into one: `SUBSTRING(s FROM i FOR n)` is
 * `SUBSTRING(s, i, n)`, `POSITION(a IN b)` is `POSITION(a, b)`, `OVERLAY(s PLACING r FROM i FOR n)`
 * is `OVERLAY(s, r, i, n)` and `FLOOR(ts TO HOUR)` is `FLOOR(ts, HOUR)` with a time-unit argument.
 */
export interface CallExpression {
  readonly kind: "call";
  readonly name: QualifiedName;
  /** `DISTINCT` or `ALL` before the arguments. */
  readonly quantifier: "DISTINCT" | "ALL" | null;
  readonly args: readonly CallArgument[];
  readonly filter: Expression | null;
  /** `OVER (spec)` or `OVER name`. */
  readonly over: WindowSpec | Identifier | null;
  readonly parenthesized: boolean;
  /**
   * Present exactly on calls written with a SQL/JSON function's own syntax (an unquoted
   * JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_OBJECT, JSON_ARRAY, JSON_OBJECTAGG or JSON_ARRAYAGG);
   * absent on every other call, including a backquoted `JSON_VALUE`(a, b).
   */
  readonly json?: JsonCallClauses;
  readonly span: Span;
}

/**
 * What a JSON function does in a situation (`… ON EMPTY`, `… ON ERROR`): return NULL, raise an
 * error, return a default value (`DEFAULT expr`, JSON_VALUE only), return an empty array or object
 * (JSON_QUERY only), or return a truth value (JSON_EXISTS only).
 */
export interface JsonBehavior {
  readonly kind: "json-behavior";
  readonly behavior:
    | "NULL"
    | "ERROR"
    | "DEFAULT"
    | "EMPTY ARRAY"
    | "EMPTY OBJECT"
    | "TRUE"
    | "FALSE"
    | "UNKNOWN";
  /** The value of `DEFAULT value`; null for every other behavior. */
  readonly value: Expression | null;
  readonly span: Span;
}

/**
 * The clauses that follow the arguments of the SQL/JSON functions; each is null (or empty) when
 * not written, which means the function's documented default.
 *
 * - JSON_VALUE(j, path [RETURNING type] [behavior ON EMPTY] [behavior ON ERROR])
 * - JSON_QUERY(j, path [RETURNING type] [wrapper] [behavior ON EMPTY] [behavior ON ERROR])
 * - JSON_EXISTS(j, path [behavior ON ERROR])
 * - JSON_OBJECT([KEY] k VALUE v, … [NULL | ABSENT ON NULL]) and JSON_OBJECTAGG([KEY] k VALUE v …):
 *   the call's arguments are k1, v1, k2, v2, …
 * - JSON_ARRAY(v, … [NULL | ABSENT ON NULL]), JSON_ARRAYAGG(v [ORDER BY …] [… ON NULL]).
 *
 * Example: `JSON_QUERY(j, '$' WITH ARRAY WRAPPER EMPTY ARRAY ON EMPTY)` is the call
 * JSON_QUERY(j, '$') with `wrapper: "WITH UNCONDITIONAL"` and `onEmpty` EMPTY ARRAY; the optional
 * words (`ARRAY` in a wrapper, `KEY`) leave no trace, and `WITH WRAPPER` is the standard's
 * unconditional wrapper.
 */
export interface JsonCallClauses {
  readonly kind: "json-clauses";
  readonly returning: DataType | null;
  readonly wrapper: "WITHOUT" | "WITH CONDITIONAL" | "WITH UNCONDITIONAL" | null;
  readonly onEmpty: JsonBehavior | null;
  readonly onError: JsonBehavior | null;
  readonly onNull: "NULL" | "ABSENT" | null;
  readonly orderBy: readonly OrderItem[];
  readonly span: Span;
}

export type UnaryOperator = "-" | "+" | "NOT";

export interface UnaryExpression {
  readonly kind: "unary";
  readonly operator: UnaryOperator;
  readonly operand: Expression;
  readonly span: Span;
}

/** `!=` is read as `<>`. */
export type BinaryOperator =
  | "OR"
  | "AND"
  | "="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">="
  | "||"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export interface BinaryExpression {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
export interface IsExpression {
  readonly kind: "is";
  readonly operand: Expression;
  readonly test: "NULL" | "TRUE" | "FALSE" | "UNKNOWN";
  readonly negated: boolean;
  readonly span: Span;
}

/**
 * `x IS [NOT] JSON [VALUE | SCALAR | ARRAY | OBJECT]`; a bare `IS JSON` means `IS JSON VALUE`, so
 * `jsonType` is always set.
 */
export interface IsJsonExpression {
  readonly kind: "is-json";
  readonly operand: Expression;
  readonly jsonType: "VALUE" | "SCALAR" | "ARRAY" | "OBJECT";
  readonly negated: boolean;
  readonly span: Span;
}

/** `a IS [NOT] DISTINCT FROM b`. */
export interface IsDistinctFromExpression {
  readonly kind: "is-distinct-from";
  readonly left: Expression;
  readonly right: Expression;
  readonly negated: boolean;
  readonly span: Span;
}

/** `x [NOT] BETWEEN [ASYMMETRIC | SYMMETRIC] low AND high`. */
export interface BetweenExpression {
  readonly kind: "between";
  readonly operand: Expression;
  readonly low: Expression;
  readonly high: Expression;
  readonly negated: boolean;
  readonly symmetric: boolean;
  readonly span: Span;
}

/** `x [NOT] LIKE pattern [ESCAPE e]` and `x [NOT] SIMILAR TO pattern [ESCAPE e]`. */
export interface LikeExpression {
  readonly kind: "like";
  readonly operator: "LIKE" | "SIMILAR TO";
  readonly operand: Expression;
  readonly pattern: Expression;
  readonly escape: Expression | null;
  readonly negated: boolean;
  readonly span: Span;
}

/** `x [NOT] IN (a, b, c)`. */
export interface InListExpression {
  readonly kind: "in-list";
  readonly operand: Expression;
  readonly values: readonly Expression[];
  readonly negated: boolean;
  readonly span: Span;
}

/** `x [NOT] IN (SELECT ...)`. */
export interface InQueryExpression {
  readonly kind: "in-query";
  readonly operand: Expression;
  readonly query: Query;
  readonly negated: boolean;
  readonly span: Span;
}

/** `EXISTS (SELECT ...)`. */
export interface ExistsExpression {
  readonly kind: "exists";
  readonly query: Query;
  readonly span: Span;
}

/** `(SELECT ...)` used as a value. */
export interface ScalarSubquery {
  readonly kind: "scalar-subquery";
  readonly query: Query;
  readonly span: Span;
}

/**
 * `WHEN condition THEN result`; in a simple CASE one WHEN may list several values
 * (`CASE k WHEN 1, 3 THEN 'odd' END`), which match when any equals the operand, so `conditions`
 * holds at least one expression and more only in a simple CASE.
 */
export interface WhenClause {
  readonly kind: "when-clause";
  readonly conditions: readonly Expression[];
  readonly result: Expression;
  readonly span: Span;
}

/** Simple (`CASE x WHEN 1 THEN ...`, `operand` set) or searched (`CASE WHEN p THEN ...`). */
export interface CaseExpression {
  readonly kind: "case";
  readonly operand: Expression | null;
  readonly whens: readonly WhenClause[];
  readonly elseResult: Expression | null;
  readonly span: Span;
}

/** `CAST(x AS type)` or `TRY_CAST(x AS type)` (`safe: true`). */
export interface CastExpression {
  readonly kind: "cast";
  readonly operand: Expression;
  readonly type: DataType;
  readonly safe: boolean;
  readonly span: Span;
}

/** `EXTRACT(unit FROM x)`. */
export interface ExtractExpression {
  readonly kind: "extract";
  readonly unit: TimeUnit;
  readonly operand: Expression;
  readonly span: Span;
}

/** `TRIM([BOTH | LEADING | TRAILING] [chars] FROM s)` or `TRIM(s)`. */
export interface TrimExpression {
  readonly kind: "trim";
  /** The side written, null when none was (Flink trims both sides then). */
  readonly side: "BOTH" | "LEADING" | "TRAILING" | null;
  readonly characters: Expression | null;
  readonly operand: Expression;
  readonly span: Span;
}

/** `ROW(a, b)` (`keyword: true`) or `(a, b)` with at least two values. */
export interface RowConstructor {
  readonly kind: "row";
  readonly values: readonly Expression[];
  readonly keyword: boolean;
  readonly span: Span;
}

/** `ARRAY[a, b]`. */
export interface ArrayConstructor {
  readonly kind: "array";
  readonly elements: readonly Expression[];
  readonly span: Span;
}

export interface MapEntry {
  readonly kind: "map-entry";
  readonly key: Expression;
  readonly value: Expression;
  readonly span: Span;
}

/** `MAP[k1, v1, k2, v2]`. */
export interface MapConstructor {
  readonly kind: "map";
  readonly entries: readonly MapEntry[];
  readonly span: Span;
}

/** `arr[1]`, `m['key']`. */
export interface IndexExpression {
  readonly kind: "index";
  readonly target: Expression;
  readonly index: Expression;
  readonly span: Span;
}

/** `.field` after something that is not a plain name: `f(x).a`, `arr[1].b`, `(r).c`. */
export interface FieldAccess {
  readonly kind: "field-access";
  readonly target: Expression;
  readonly field: Identifier;
  readonly span: Span;
}

/** `RUNNING expr` or `FINAL expr` in a MATCH_RECOGNIZE measure: `FINAL LAST(A.price)`. */
export interface MatchSemantics {
  readonly kind: "match-semantics";
  readonly semantics: "RUNNING" | "FINAL";
  readonly operand: Expression;
  readonly span: Span;
}

export type Literal =
  | StringLiteral
  | BinaryLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | DateTimeLiteral
  | IntervalLiteral;

export type Expression =
  | Literal
  | Reference
  | CallExpression
  | UnaryExpression
  | BinaryExpression
  | IsExpression
  | IsJsonExpression
  | IsDistinctFromExpression
  | BetweenExpression
  | LikeExpression
  | InListExpression
  | InQueryExpression
  | ExistsExpression
  | ScalarSubquery
  | CaseExpression
  | CastExpression
  | ExtractExpression
  | TrimExpression
  | RowConstructor
  | ArrayConstructor
  | MapConstructor
  | IndexExpression
  | FieldAccess
  | MatchSemantics;
