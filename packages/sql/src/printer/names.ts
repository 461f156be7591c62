/**
 * Printing names and string literals back to SQL.
 *
 * Invariant: a printed identifier lexes back to the same identifier value: it is left bare only
 * when it is a plain ASCII word that is neither reserved nor in `alsoQuote`; otherwise it is
 * backquoted with inner backquotes doubled.
 * @module
 */

import type { Identifier, QualifiedName } from "../ast/names.ts";
import { isReserved } from "../lexer/reserved-words.ts";

const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function quoteName(value: string, alsoQuote?: (upper: string) => boolean): string {
  const upper = value.toUpperCase();
  if (PLAIN.test(value) && !isReserved(upper) && !(alsoQuote?.(upper) ?? false)) return value;
  return `\`${value.replaceAll("`", "``")}\``;
}

export function printIdentifier(identifier: Identifier, alsoQuote?: (upper: string) => boolean): string {
  return quoteName(identifier.value, alsoQuote);
}

export function printQualifiedName(name: QualifiedName, alsoQuote?: (upper: string) => boolean): string {
  return name.parts.map((part) => printIdentifier(part, alsoQuote)).join(".");
}

export function printIdentifierList(identifiers: readonly Identifier[]): string {
  return identifiers.map((identifier) => printIdentifier(identifier)).join(", ");
}

export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
