/**
 * Resolved catalog objects: what `CREATE TABLE` / `CREATE VIEW` leave in the catalog after
 * validation, and what connectors and the planner read. Names are case-sensitive, as in Flink.
 *
 * Invariant: `columns` are in declaration order; the *physical* row a source produces and a sink
 * consumes holds only the physical columns, in that order; metadata columns are appended by the
 * source after the physical ones (in declaration order of the metadata columns); computed columns
 * and the watermark are evaluated by the planner on top of that row.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { Query } from "../ast/queries.ts";
import type { LogicalType } from "../types/logical-type.ts";

export type ResolvedColumn =
  | { readonly kind: "physical"; readonly name: string; readonly type: LogicalType }
  | {
      readonly kind: "computed";
      readonly name: string;
      readonly type: LogicalType;
      readonly expression: Expression;
    }
  | {
      readonly kind: "metadata";
      readonly name: string;
      readonly type: LogicalType;
      /** The connector's metadata key (`METADATA FROM 'key'`, else the column name). */
      readonly key: string;
      /** `VIRTUAL`: read-only, not written by a sink. */
      readonly virtual: boolean;
    };

export interface ResolvedWatermark {
  /** The rowtime column. */
  readonly column: string;
  readonly expression: Expression;
}

export interface ResolvedTable {
  readonly kind: "table";
  readonly name: string;
  readonly columns: readonly ResolvedColumn[];
  readonly watermark: ResolvedWatermark | null;
  readonly primaryKey: readonly string[] | null;
  readonly partitionKeys: readonly string[];
  /** `WITH (...)` options, keys as written. */
  readonly options: Readonly<Record<string, string>>;
  readonly temporary: boolean;
}

export interface ResolvedView {
  readonly kind: "view";
  readonly name: string;
  readonly query: Query;
  /** The view's SQL text, for SHOW CREATE VIEW and error messages. */
  readonly text: string;
  /** Column names of `CREATE VIEW v (a, b) AS …`, renaming the query's columns. */
  readonly columns?: readonly string[];
  readonly temporary: boolean;
}
