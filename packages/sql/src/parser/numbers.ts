/**
 * Small integers in the grammar: type lengths and precisions, interval precisions.
 *
 * Invariant: only an unsigned integer token that fits a safe JavaScript integer is accepted.
 * @module
 */

import type { TokenCursor } from "./cursor.ts";

export function expectInteger(c: TokenCursor): number {
  const token = c.token;
  if (token.kind === "number" && /^[0-9]+$/.test(token.text)) {
    const value = Number(token.text);
    if (!Number.isSafeInteger(value)) throw c.error({ detail: `the number ${token.text} is too large here` });
    c.advance();
    return value;
  }
  return c.fail("integer");
}
