/**
 * Miscellaneous scalar functions: TYPEOF and HASH_CODE.
 *
 * Invariants: TYPEOF returns the operand's static type as Flink prints it (`INT NOT NULL`), so it
 * never looks at the value; HASH_CODE is a stable 32-bit hash of the value's text (not Java's
 * `hashCode`, which Weir cannot reproduce for every type).
 * @module
 */

import { formatValue } from "../data/format-value.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import type { ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { customScalar } from "./signature.ts";

function stringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

export const MISC_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  customScalar(
    "TYPEOF",
    (operands) => {
      if (operands.length !== 1) throw new FunctionTypeError("TYPEOF expects one operand");
      return { result: LogicalTypes.string(false) };
    },
    () => null,
    {
      strict: false,
      specialize: (operands) => {
        const text = formatLogicalType(operands[0]!);
        return () => text;
      },
    },
  ),
  customScalar(
    "HASH_CODE",
    (operands) => {
      if (operands.length !== 1) throw new FunctionTypeError("HASH_CODE expects one operand");
      return { result: LogicalTypes.int(operands[0]!.nullable) };
    },
    (_c, value) => stringHash(String(value)),
    { specialize: (operands) => (c, value) => stringHash(formatValue(value!, operands[0]!, c.timeZone)) },
  ),
];
