/**
 * Postgres column types → SQL logical types, as Flink CDC's Postgres connector maps them:
 * int2/int4/int8 → SMALLINT/INT/BIGINT, numeric(p, s) → DECIMAL(p, s) (exact; unconstrained
 * numeric → DECIMAL(38, 18)), float4/float8 → FLOAT/DOUBLE, bool → BOOLEAN, text/varchar/bpchar →
 * STRING/VARCHAR(n)/CHAR(n), bytea → BYTES, date → DATE, time(p) → TIME(p), timestamp(p) →
 * TIMESTAMP(p), timestamptz(p) → TIMESTAMP_LTZ(p), json/jsonb/uuid/enums and other scalar types →
 * STRING (their text form).
 *
 * Invariant: the mapping depends only on the type's oid and modifier (`atttypmod`), so the snapshot
 * (catalog query) and the stream (pgoutput Relation message) agree. Arrays, ranges and composite
 * types are refused with an error naming the column, rather than flattened to text silently.
 * @module
 */

import type { LogicalType } from "@weir/sql";
import { MAX_LENGTH } from "./row-kinds.ts";

/** Oids of the built-in types the mapping knows (pg_type.oid, stable across versions). */
export const PgOid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** A column as the catalog (or a Relation message) describes it. */
export interface PgColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
  /** `pg_type.typcategory` when known: `A` array, `C` composite, `R` range, `E` enum, … */
  readonly category?: string;
  readonly notNull?: boolean;
}

function timePrecision(typmod: number): number {
  return typmod < 0 ? 6 : Math.min(typmod, 9);
}

/** The logical type of `column`; throws naming `where` and the column for types with no mapping. */
export function logicalTypeOfPgColumn(column: PgColumn, where: string): LogicalType {
  const nullable = column.notNull !== true;
  const typmod = column.typeModifier;
  switch (column.typeOid) {
    case PgOid.bool:
      return { kind: "BOOLEAN", nullable };
    case PgOid.int2:
      return { kind: "SMALLINT", nullable };
    case PgOid.int4:
      return { kind: "INT", nullable };
    case PgOid.int8:
    case PgOid.oid:
      return { kind: "BIGINT", nullable };
    case PgOid.float4:
      return { kind: "FLOAT", nullable };
    case PgOid.float8:
      return { kind: "DOUBLE", nullable };
    case PgOid.numeric: {
      if (typmod < 4) return { kind: "DECIMAL", precision: 38, scale: 18, nullable };
      const precision = ((typmod - 4) >> 16) & 0xffff;
      const scale = (typmod - 4) & 0xffff;
      if (precision > 38 || scale > precision)
        throw new Error(
          `${where}: column "${column.name}" is numeric(${precision}, ${scale}), beyond DECIMAL(38, s)`,
        );
      return { kind: "DECIMAL", precision, scale, nullable };
    }
    case PgOid.varchar:
      return { kind: "VARCHAR", length: typmod < 4 ? MAX_LENGTH : typmod - 4, nullable };
    case PgOid.bpchar:
      return { kind: "CHAR", length: typmod < 4 ? 1 : typmod - 4, nullable };
    case PgOid.bytea:
      return { kind: "VARBINARY", length: MAX_LENGTH, nullable };
    case PgOid.date:
      return { kind: "DATE", nullable };
    case PgOid.time:
      return { kind: "TIME", precision: timePrecision(typmod), nullable };
    case PgOid.timestamp:
      return { kind: "TIMESTAMP", precision: timePrecision(typmod), nullable, timeAttribute: null };
    case PgOid.timestamptz:
      return { kind: "TIMESTAMP_LTZ", precision: timePrecision(typmod), nullable, timeAttribute: null };
    default:
      if (column.category === "A" || column.category === "C" || column.category === "R")
        throw new Error(
          `${where}: column "${column.name}" has a ${column.category === "A" ? "array" : column.category === "C" ? "composite" : "range"} type (oid ${column.typeOid}), which the connector does not map`,
        );
      return { kind: "VARCHAR", length: MAX_LENGTH, nullable };
  }
}
