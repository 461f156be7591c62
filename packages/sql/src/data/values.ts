/**
 * How SQL values are held in JavaScript. Every operator, compiled expression, function and
 * connector uses exactly this mapping, keyed by the value's static {@link LogicalType}; nothing
 * inspects a value to guess its type. All representations are plain data, so rows cross threads and
 * processes through the runtime's batch codec (msgpackr) unchanged, and can be keys.
 *
 * | Logical type                    | JavaScript value                                             |
 * |---------------------------------|--------------------------------------------------------------|
 * | any type, SQL NULL              | `null` (never `undefined`)                                   |
 * | BOOLEAN                         | `boolean`                                                    |
 * | TINYINT, SMALLINT, INT          | `number` (an integer in the type's range; overflow wraps)     |
 * | BIGINT                          | `bigint` (in the signed 64-bit range; overflow wraps)        |
 * | FLOAT, DOUBLE                   | `number` (FLOAT rounded with `Math.fround`)                  |
 * | DECIMAL(p, s)                   | `bigint`: the unscaled value, i.e. value × 10^s, exact       |
 * | CHAR, VARCHAR, STRING           | `string`                                                     |
 * | BINARY, VARBINARY, BYTES        | `Uint8Array`                                                 |
 * | DATE                            | `number`: days since 1970-01-01                              |
 * | TIME(p)                         | `number`: milliseconds of the day (sub-millis dropped)       |
 * | TIMESTAMP(p), p ≤ 3             | `number`: epoch milliseconds of the wall-clock read as UTC   |
 * | TIMESTAMP(p), p = 4..6          | `number` as above; microseconds as the fraction (see below)  |
 * | TIMESTAMP(p), p = 7..9          | `bigint`: epoch nanoseconds of the wall clock, exact          |
 * | TIMESTAMP_LTZ(p)                | as TIMESTAMP(p), of the instant (`bigint` nanos for p > 6)   |
 * | INTERVAL YEAR TO MONTH family   | `number`: months                                             |
 * | INTERVAL DAY TO SECOND family   | `number`: milliseconds                                       |
 * | ARRAY<T>                        | `SqlValue[]`                                                 |
 * | MULTISET<T>                     | `Map<SqlValue, number>` (element → count)                    |
 * | MAP<K, V>                       | `Map<SqlValue, SqlValue>`                                    |
 * | ROW<...>                        | `SqlValue[]`, positional                                     |
 *
 * Why bigint for BIGINT and DECIMAL: Flink's results are exact; a JavaScript number loses digits
 * past 2^53, which sums and ids reach. Why numbers for time: comparisons and window arithmetic on
 * the hot path stay on small integers.
 *
 * Sub-millisecond timestamps: a TIMESTAMP(p) / TIMESTAMP_LTZ(p) with p > 3 keeps its microseconds
 * as the fraction of the millisecond number (`2020-01-01 00:00:00.123456` is `1577836800123.456`).
 * For |ms| < 2^43 (the years 1692 to 2247) the double nearest to it is within 0.49 µs, so reading
 * the value as whole milliseconds plus the rounded fraction gives back exactly the microseconds written
 * (`timestampMicros` in temporal.ts, which every reader of the fraction uses); further out, the
 * spacing of doubles (about 2 µs before 1692) rounds the microseconds. A value of p ≤ 3 is always a whole number of milliseconds:
 * casts and functions truncate to their result's precision, so time attributes (TIMESTAMP(3))
 * and windows keep working on integers. TIME(p) keeps milliseconds only, as Flink's runtime does.
 *
 * Nanosecond timestamps: TIMESTAMP(p) / TIMESTAMP_LTZ(p) with p = 7..9 are a `bigint` count of
 * epoch nanoseconds (`2020-01-01 00:00:00.123456789` is `1577836800123456789n`), exact for every
 * year 0001–9999, truncated to p digits (`timestamp-nanos.ts`). Only the static precision picks the
 * form, so a TIMESTAMP(3) meeting a TIMESTAMP(9) (comparison, UNION, CASE, join key) is cast to the
 * common TIMESTAMP(9) first, and that cast converts number → bigint; casts from p > 6 to anything
 * but STRING and p > 6 go through whole milliseconds or TIMESTAMP(6). Time attributes are never
 * p > 6 (Flink allows 0..3), so watermarks and windows stay on numbers.
 * @module
 */

import type { LogicalType } from "../types/logical-type.ts";

/** One SQL value, as described in the table above. */
export type SqlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly SqlValue[]
  | ReadonlyMap<SqlValue, SqlValue>;

/** Re-exported for modules that document a value together with its type. */
export type { LogicalType };
