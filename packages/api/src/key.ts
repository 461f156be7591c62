/**
 * Keys. A key decides which partition a record belongs to, so it must hash the same way on every
 * thread, process and Weir version: only plain data can be a key.
 * @module
 */

/**
 * A value that can be a key: strings, finite or non-finite numbers, bigints, booleans, `null`,
 * and arrays (tuples) or plain objects built from them.
 *
 * Contract: two keys are the same key when their canonical encodings are equal. Numbers and bigints
 * are different keys (`1` is not `1n`); `-0` and `0` are the same key; object keys are compared
 * independent of property order. Dates, Maps, class instances and functions are not keys (a compile
 * error), because their identity is not plain data.
 * @public
 */
export type KeyValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly KeyValue[]
  | { readonly [field: string]: KeyValue };

/**
 * Extracts the key of a record. Must be deterministic and side-effect free: the runtime may call it
 * more than once per record (on both sides of an exchange).
 * @public
 */
export type KeySelector<T, K extends KeyValue> = (record: T) => K;
