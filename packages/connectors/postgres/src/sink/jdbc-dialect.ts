/**
 * What the JDBC-style sink needs from one database family: apply a reduced batch of changes in a
 * single transaction, and, after a batch failed, find the first row the database refuses.
 *
 * Contract: `apply` is atomic (all of the batch or none of it) and idempotent for upserts and
 * deletes (applying the same batch twice leaves the same table), so a replay after a failure
 * converges; plain inserts are not idempotent (append mode is at-least-once). `findFailingRow`
 * never leaves changes behind (it rolls back). Example batch for a table keyed by `id`:
 * ```text
 * upserts: [[1, "a"], [2, "b"]]   → INSERT … ON CONFLICT (id) DO UPDATE / ON DUPLICATE KEY UPDATE
 * deletes: [[3, "c"]]             → DELETE … WHERE id IN (3)   (only key fields are read)
 * ```
 * @module
 */

import type { LogicalType, Row } from "@weir/sql";

export interface SinkColumn {
  readonly name: string;
  readonly type: LogicalType;
}

/** A batch after reduction: every key occurs at most once across `upserts` and `deletes`. */
export interface ReducedBatch {
  readonly inserts: readonly Row[];
  readonly upserts: readonly Row[];
  readonly deletes: readonly Row[];
}

export interface JdbcDialect {
  /** Connects (once) and checks the table and its columns exist. */
  open(): Promise<void>;
  apply(batch: ReducedBatch): Promise<void>;
  /** Applies the rows one by one inside a transaction that is rolled back; the first refused one. */
  findFailingRow(batch: ReducedBatch): Promise<{ row: Row; action: string; error: Error } | undefined>;
  close(): Promise<void>;
}

/** Everything a dialect is built from. */
export interface DialectTarget {
  /** Table name as given by the user (for messages). */
  readonly tableName: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly SinkColumn[];
  /** Indices into `columns` of the primary key; empty for append mode. */
  readonly keyIndices: readonly number[];
}
