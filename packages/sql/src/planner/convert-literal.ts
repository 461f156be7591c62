/**
 * Literals of the syntax tree → rex literals, with Flink's literal types: `'abc'` is CHAR(3) NOT
 * NULL, `42` INT NOT NULL (BIGINT or DECIMAL when it does not fit), `1.5` DECIMAL(2, 1) NOT NULL,
 * `1.5E0` DOUBLE NOT NULL, `NULL` the NULL type, `TIMESTAMP '2020-01-01 00:00:00.123'`
 * TIMESTAMP(3) NOT NULL.
 *
 * Invariant: the literal's value is already in the runtime representation of its type
 * (`../data/values.ts`), so nothing downstream parses literal text again.
 * @module
 */

import type { Literal } from "../ast/expressions.ts";
import {
  parseDateLiteral,
  parseIntervalLiteral,
  parseNumberLiteral,
  parseTimeLiteral,
  parseTimestampLiteral,
} from "../data/literal-values.ts";
import type { RexLiteral } from "../plan/rex.ts";
import { literal } from "../plan/rex-factory.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export function convertLiteral(node: Literal): RexLiteral {
  try {
    return convertUnchecked(node);
  } catch (error) {
    if (error instanceof LogicalTypeError) throw new SqlValidationError(node.span, error.message);
    throw error;
  }
}

function convertUnchecked(node: Literal): RexLiteral {
  switch (node.kind) {
    case "string-literal":
      return literal(node.value, { kind: "CHAR", length: Math.max(1, node.value.length), nullable: false });
    case "binary-literal": {
      if (node.hex.length % 2 !== 0) {
        throw new SqlValidationError(
          node.span,
          "Binary literal string must contain an even number of hexits",
        );
      }
      const bytes = Uint8Array.from(Buffer.from(node.hex, "hex"));
      return literal(bytes, { kind: "BINARY", length: Math.max(1, bytes.length), nullable: false });
    }
    case "number-literal": {
      const { value, type } = parseNumberLiteral(node.text, node.form);
      return literal(value, type);
    }
    case "boolean-literal":
      return literal(node.value, { kind: "BOOLEAN", nullable: false });
    case "null-literal":
      return literal(null, { kind: "NULL", nullable: true });
    case "datetime-literal":
      switch (node.type) {
        case "DATE":
          return literal(parseDateLiteral(node.value), { kind: "DATE", nullable: false });
        case "TIME":
          return literal(parseTimeLiteral(node.value), {
            kind: "TIME",
            precision: fractionDigits(node.value),
            nullable: false,
          });
        case "TIMESTAMP":
          return literal(parseTimestampLiteral(node.value), {
            kind: "TIMESTAMP",
            precision: fractionDigits(node.value),
            timeAttribute: null,
            nullable: false,
          });
      }
      break;
    case "interval-literal": {
      const { value, type } = parseIntervalLiteral(node.value, node.qualifier, node.negative);
      return literal(value, type);
    }
  }
  throw new SqlValidationError((node as Literal).span, "Unsupported literal");
}

/** Digits after the seconds' decimal point, which Flink uses as the literal's precision. */
function fractionDigits(text: string): number {
  const match = /\.(\d+)\s*$/.exec(text.trim());
  return match === null ? 0 : Math.min(9, match[1]!.length);
}
