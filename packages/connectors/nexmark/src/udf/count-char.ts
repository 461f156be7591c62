/**
 * Nexmark q14's user-defined function `count_char(s, c)`, as the reference's CountChar: the number
 * of UTF-8 bytes of `s` equal to the first UTF-8 byte of `c`; 0 when either is NULL or `c` is empty.
 *
 * Register it in SQL:
 * ```sql
 * CREATE TEMPORARY FUNCTION count_char AS '@weir/connector-nexmark/udf#countChar' LANGUAGE TYPESCRIPT;
 * ```
 * @module
 */

import { LogicalTypes, scalarFunction } from "@weir/sql";

/** The statement that registers {@link countChar} under the name the reference's q14 calls. */
export const COUNT_CHAR_DDL =
  "CREATE TEMPORARY FUNCTION count_char AS '@weir/connector-nexmark/udf#countChar' LANGUAGE TYPESCRIPT;";

const encoder = new TextEncoder();

function countByte(text: string, byte: number): number {
  let count = 0;
  if (byte < 0x80) {
    // An ASCII byte only ever encodes its own character: every byte of a multi-byte UTF-8
    // sequence is 0x80 or above, so counting UTF-16 code units is exact and allocates nothing.
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === byte) count++;
    return count;
  }
  for (const b of encoder.encode(text)) if (b === byte) count++;
  return count;
}

export const countChar = scalarFunction({
  name: "count_char",
  parameters: [LogicalTypes.string(), LogicalTypes.string()],
  returns: LogicalTypes.bigint(false),
  strict: false,
  eval: (text, character) => {
    if (typeof text !== "string" || typeof character !== "string" || character.length === 0) return 0n;
    return BigInt(countByte(text, encoder.encode(character)[0]!));
  },
});
