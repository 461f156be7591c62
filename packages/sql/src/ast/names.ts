/**
 * Names in the SQL syntax tree: identifiers and dotted (qualified) names.
 *
 * Invariant: an identifier's `value` is the name exactly as it is matched against the catalog.
 * Flink SQL is case-sensitive, so an unquoted identifier keeps its spelling; a backquoted one has
 * its quotes removed and each doubled backquote turned into one.
 * @module
 */

import type { Span } from "./span.ts";

/** One name: a column, table, alias, function, window, option or field name. */
export interface Identifier {
  readonly kind: "identifier";
  readonly value: string;
  readonly span: Span;
}

/** A dotted name such as `catalog.db.table` or `db.my_function`; at least one part. */
export interface QualifiedName {
  readonly kind: "qualified-name";
  readonly parts: readonly Identifier[];
  readonly span: Span;
}
