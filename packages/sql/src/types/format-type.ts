/**
 * Prints a {@link LogicalType} exactly as Flink's `LogicalType#asSummaryString` does, which is what
 * `DESCRIBE`, `EXPLAIN` and error messages show.
 *
 * Invariant: the output is stable and parseable back by the SQL parser (except the `*ROWTIME*` /
 * `*PROCTIME*` markers): `INT NOT NULL`, `STRING`, `BYTES`, `DECIMAL(10, 2)`, `TIMESTAMP(3) *ROWTIME*`,
 * `TIMESTAMP_LTZ(3)`, `ARRAY<INT>`, `MAP<STRING, BIGINT>`, ``ROW<`a` INT, `b` STRING>``,
 * `INTERVAL SECOND(3)` (every day-time interval, as Flink's planner types them), `INTERVAL MONTH`.
 * @module
 */

import type { LogicalType } from "./logical-type.ts";
import { MAX_LENGTH } from "./logical-type.ts";

export function formatLogicalType(type: LogicalType): string {
  const base = formatWithoutNullability(type);
  const withNull = type.nullable || type.kind === "NULL" ? base : `${base} NOT NULL`;
  if ((type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ") && type.timeAttribute !== null) {
    return `${withNull} *${type.timeAttribute.toUpperCase()}*`;
  }
  return withNull;
}

function formatWithoutNullability(type: LogicalType): string {
  switch (type.kind) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DATE":
    case "NULL":
      return type.kind;
    case "DECIMAL":
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case "CHAR":
    case "BINARY":
      return `${type.kind}(${type.length})`;
    case "VARCHAR":
      return type.length === MAX_LENGTH ? "STRING" : `VARCHAR(${type.length})`;
    case "VARBINARY":
      return type.length === MAX_LENGTH ? "BYTES" : `VARBINARY(${type.length})`;
    case "TIME":
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return `${type.kind}(${type.precision})`;
    case "INTERVAL_YEAR_MONTH":
      return "INTERVAL MONTH";
    case "INTERVAL_DAY_TIME":
      return "INTERVAL SECOND(3)";
    case "ARRAY":
    case "MULTISET":
      return `${type.kind}<${formatLogicalType(type.element)}>`;
    case "MAP":
      return `MAP<${formatLogicalType(type.key)}, ${formatLogicalType(type.value)}>`;
    case "ROW": {
      const fields = type.fields.map((field) => {
        const name = `\`${field.name.replaceAll("`", "``")}\``;
        const description =
          field.description === undefined ? "" : ` '${field.description.replaceAll("'", "''")}'`;
        return `${name} ${formatLogicalType(field.type)}${description}`;
      });
      return `ROW<${fields.join(", ")}>`;
    }
  }
}
