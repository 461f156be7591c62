/**
 * Statements of the SQL syntax tree: DDL, INSERT and statement sets, EXPLAIN, and the client
 * statements (SET, RESET, SHOW, DESCRIBE, USE).
 *
 * Invariant: every statement is a discriminated union member on `kind`; a query used as a statement
 * is the {@link Query} node itself. A column-level `PRIMARY KEY` is recorded on the table exactly
 * like a table-level one (with the one column), so consumers read a single `primaryKey`.
 * @module
 */

import type { Expression, StringLiteral } from "./expressions.ts";
import type { Identifier, QualifiedName } from "./names.ts";
import type { Hint, KeyValueOption, Query } from "./queries.ts";
import type { Span } from "./span.ts";
import type { DataType } from "./types.ts";

/** `name TYPE [PRIMARY KEY NOT ENFORCED] [COMMENT '...']`. */
export interface PhysicalColumn {
  readonly kind: "physical-column";
  readonly name: Identifier;
  readonly type: DataType;
  readonly comment: StringLiteral | null;
  readonly span: Span;
}

/** `name AS expression [COMMENT '...']`. */
export interface ComputedColumn {
  readonly kind: "computed-column";
  readonly name: Identifier;
  readonly expression: Expression;
  readonly comment: StringLiteral | null;
  readonly span: Span;
}

/** `name TYPE METADATA [FROM 'key'] [VIRTUAL] [COMMENT '...']`. */
export interface MetadataColumn {
  readonly kind: "metadata-column";
  readonly name: Identifier;
  readonly type: DataType;
  /** The metadata key of `FROM 'key'`; null means the column name is the key. */
  readonly key: StringLiteral | null;
  readonly virtual: boolean;
  readonly comment: StringLiteral | null;
  readonly span: Span;
}

export type ColumnDefinition = PhysicalColumn | ComputedColumn | MetadataColumn;

/** `WATERMARK FOR rowtime_column AS strategy_expression`. */
export interface WatermarkDefinition {
  readonly kind: "watermark";
  /** The rowtime column; more than one part for a nested field. */
  readonly column: readonly Identifier[];
  readonly strategy: Expression;
  readonly span: Span;
}

/**
 * `[CONSTRAINT name] PRIMARY KEY (cols) [NOT] ENFORCED`, at table or column level. A column-level
 * constraint's span runs from the column's name to the end of the constraint.
 */
export interface PrimaryKeyConstraint {
  readonly kind: "primary-key";
  readonly name: Identifier | null;
  readonly columns: readonly Identifier[];
  /** What was written; Flink accepts only `NOT ENFORCED`, which the validator checks. */
  readonly enforcement: "ENFORCED" | "NOT ENFORCED" | null;
  readonly span: Span;
}

export interface CreateTable {
  readonly kind: "create-table";
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly name: QualifiedName;
  readonly columns: readonly ColumnDefinition[];
  /** Flink allows one; more are kept so the validator can say so. */
  readonly watermarks: readonly WatermarkDefinition[];
  readonly primaryKey: PrimaryKeyConstraint | null;
  readonly comment: StringLiteral | null;
  readonly partitionedBy: readonly Identifier[];
  readonly options: readonly KeyValueOption[];
  /** `CREATE TABLE t WITH (...) AS SELECT ...`. */
  readonly asQuery: Query | null;
  readonly span: Span;
}

export interface CreateView {
  readonly kind: "create-view";
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly name: QualifiedName;
  readonly columns: readonly Identifier[];
  readonly comment: StringLiteral | null;
  readonly query: Query;
  readonly span: Span;
}

export interface CreateFunction {
  readonly kind: "create-function";
  readonly temporary: boolean;
  /** `TEMPORARY SYSTEM FUNCTION`: no catalog or database namespace. */
  readonly system: boolean;
  readonly ifNotExists: boolean;
  readonly name: QualifiedName;
  /** The implementation identifier of `AS 'identifier'`. */
  readonly identifier: StringLiteral;
  /** The word after LANGUAGE, upper-cased (`JAVA`, `SCALA`, `PYTHON`, ...); null when absent. */
  readonly language: string | null;
  /** `USING JAR 'path', JAR 'path'`. */
  readonly jars: readonly StringLiteral[];
  readonly span: Span;
}

export interface Drop {
  readonly kind: "drop";
  readonly object: "TABLE" | "VIEW" | "FUNCTION";
  readonly temporary: boolean;
  readonly system: boolean;
  readonly ifExists: boolean;
  readonly name: QualifiedName;
  readonly span: Span;
}

/** `col = literal` in `INSERT INTO t PARTITION (...)`. */
export interface StaticPartition {
  readonly kind: "static-partition";
  readonly column: Identifier;
  readonly value: Expression;
  readonly span: Span;
}

/** `INSERT INTO|OVERWRITE t [PARTITION (...)] [(cols)] query`. */
export interface Insert {
  readonly kind: "insert";
  readonly overwrite: boolean;
  readonly target: QualifiedName;
  readonly hints: readonly Hint[];
  readonly partition: readonly StaticPartition[];
  readonly columns: readonly Identifier[];
  readonly query: Query;
  readonly span: Span;
}

/**
 * Inserts submitted as one job: `EXECUTE STATEMENT SET BEGIN ...; END` (`form: "execute"`), the
 * SQL client's `BEGIN STATEMENT SET; ...; END;` (`form: "client"`), or the `STATEMENT SET BEGIN ...
 * END` operand of EXPLAIN (`form: "explain"`).
 */
export interface StatementSet {
  readonly kind: "statement-set";
  readonly form: "execute" | "client" | "explain";
  readonly inserts: readonly Insert[];
  readonly span: Span;
}

export type ExplainDetail = "ESTIMATED_COST" | "CHANGELOG_MODE" | "JSON_EXECUTION_PLAN" | "PLAN_ADVICE";

/** `EXPLAIN [PLAN FOR | detail, ...] statement`. */
export interface Explain {
  readonly kind: "explain";
  readonly planFor: boolean;
  readonly details: readonly ExplainDetail[];
  readonly statement: Query | Insert | StatementSet;
  readonly span: Span;
}

/** `SET` (list all), or `SET 'key' = 'value'`. */
export interface SetStatement {
  readonly kind: "set";
  readonly option: KeyValueOption | null;
  readonly span: Span;
}

/** `RESET` (all) or `RESET 'key'`. */
export interface ResetStatement {
  readonly kind: "reset";
  readonly key: StringLiteral | null;
  readonly span: Span;
}

export type ShowObject =
  | "TABLES"
  | "VIEWS"
  | "FUNCTIONS"
  | "USER FUNCTIONS"
  | "CATALOGS"
  | "DATABASES"
  | "CURRENT CATALOG"
  | "CURRENT DATABASE"
  | "MODULES"
  | "FULL MODULES"
  | "JARS"
  | "COLUMNS";

/** `SHOW TABLES [FROM db] [[NOT] LIKE 'p']`, `SHOW COLUMNS FROM t`, `SHOW CATALOGS`, ... */
export interface Show {
  readonly kind: "show";
  readonly object: ShowObject;
  /** The `FROM|IN name` part; required for COLUMNS. */
  readonly from: QualifiedName | null;
  readonly like: { readonly negated: boolean; readonly pattern: StringLiteral } | null;
  readonly span: Span;
}

/** `SHOW CREATE TABLE|VIEW name`. */
export interface ShowCreate {
  readonly kind: "show-create";
  readonly object: "TABLE" | "VIEW";
  readonly name: QualifiedName;
  readonly span: Span;
}

/** `DESCRIBE [EXTENDED] name` or `DESC name`. */
export interface Describe {
  readonly kind: "describe";
  readonly extended: boolean;
  readonly name: QualifiedName;
  readonly span: Span;
}

/** `USE db`, `USE CATALOG c`, `USE MODULES a, b`. */
export interface Use {
  readonly kind: "use";
  readonly object: "DATABASE" | "CATALOG" | "MODULES";
  readonly names: readonly QualifiedName[];
  readonly span: Span;
}

export type Statement =
  | Query
  | Insert
  | StatementSet
  | CreateTable
  | CreateView
  | CreateFunction
  | Drop
  | Explain
  | SetStatement
  | ResetStatement
  | Show
  | ShowCreate
  | Describe
  | Use;
