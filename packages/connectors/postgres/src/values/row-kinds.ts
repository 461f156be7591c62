/**
 * The changelog row kinds of `@weir/sql` (`RowKind`: +I 0, -U 1, +U 2, -D 3) as local constants,
 * checked against the SQL contract's type, so that DataStream jobs using this connector load
 * only type information from `@weir/sql`, never the SQL engine itself.
 * @module
 */

import type { RowKind } from "@weir/sql";

export const Kind = {
  INSERT: 0,
  UPDATE_BEFORE: 1,
  UPDATE_AFTER: 2,
  DELETE: 3,
} as const satisfies Record<string, RowKind>;

/** Flink's short names, indexed by kind. */
export const KIND_NAMES: readonly string[] = ["+I", "-U", "+U", "-D"];

/** VARCHAR(MAX_LENGTH) is STRING, VARBINARY(MAX_LENGTH) is BYTES (`@weir/sql`'s MAX_LENGTH). */
export const MAX_LENGTH = 2_147_483_647;
