/**
 * Printing data types and interval qualifiers back to SQL.
 *
 * Invariant: the output parses back to an equal type; collection and row types always use the
 * angle-bracket forms (`ARRAY<T>`, `ROW<a INT>`), and nullability is printed right after the type
 * it belongs to.
 * @module
 */

import type { DataType, IntervalQualifier } from "../ast/types.ts";
import { isTypeKeyword } from "../parser/types.ts";
import { printIdentifier, printQualifiedName, quoteString } from "./names.ts";

export function printDataType(type: DataType): string {
  const nullability = type.notNull ? " NOT NULL" : "";
  switch (type.kind) {
    case "simple-type": {
      const params = type.params.length > 0 ? `(${type.params.join(", ")})` : "";
      return `${type.name}${params}${nullability}`;
    }
    case "interval-type":
      return `INTERVAL ${printIntervalQualifier(type.qualifier)}${nullability}`;
    case "array-type":
      return `ARRAY<${printDataType(type.element)}>${nullability}`;
    case "multiset-type":
      return `MULTISET<${printDataType(type.element)}>${nullability}`;
    case "map-type":
      return `MAP<${printDataType(type.key)}, ${printDataType(type.value)}>${nullability}`;
    case "row-type": {
      const fields = type.fields.map((field) => {
        const description = field.description === null ? "" : ` ${quoteString(field.description)}`;
        return `${printIdentifier(field.name)} ${printDataType(field.type)}${description}`;
      });
      return `ROW<${fields.join(", ")}>${nullability}`;
    }
    case "raw-type": {
      const snapshot = type.serializerSnapshot === null ? "" : `, ${quoteString(type.serializerSnapshot)}`;
      return `RAW(${quoteString(type.className)}${snapshot})${nullability}`;
    }
    case "user-defined-type":
      return `${printQualifiedName(type.name, isTypeKeyword)}${nullability}`;
  }
}

export function printIntervalQualifier(q: IntervalQualifier): string {
  if (q.end === null) {
    if (q.startPrecision === null) return q.start;
    const fractional = q.fractionalPrecision === null ? "" : `, ${q.fractionalPrecision}`;
    return `${q.start}(${q.startPrecision}${fractional})`;
  }
  const start = q.startPrecision === null ? q.start : `${q.start}(${q.startPrecision})`;
  const end = q.fractionalPrecision === null ? q.end : `${q.end}(${q.fractionalPrecision})`;
  return `${start} TO ${end}`;
}
