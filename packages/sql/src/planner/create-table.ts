/**
 * `CREATE TABLE` → a {@link ResolvedTable}: column types resolved, computed columns typed,
 * watermark and primary key checked, with Flink's messages for what it refuses.
 *
 * Invariant: a resolved table is valid by construction: unique column names, primary key columns
 * that exist (and are NOT NULL, as Flink makes them), a watermark on an existing TIMESTAMP(p) or
 * TIMESTAMP_LTZ(p) column with p ≤ 3, computed columns that type-check against the physical and
 * metadata columns.
 * @module
 */

import type { CreateTable } from "../ast/statements.ts";
import type { DataType } from "../ast/types.ts";
import type { ResolvedColumn, ResolvedTable } from "../catalog/catalog-table.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { logicalTypeFromAst } from "../types/from-ast.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import { convertExpression } from "./convert-expression.ts";
import type { PlannerContext } from "./planner-context.ts";
import { Scope } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export function resolveDataType(type: DataType): LogicalType {
  try {
    return logicalTypeFromAst(type);
  } catch (error) {
    if (error instanceof LogicalTypeError) throw new SqlValidationError(type.span, error.message);
    throw error;
  }
}

export function resolveCreateTable(statement: CreateTable, name: string, ctx: PlannerContext): ResolvedTable {
  if (statement.asQuery !== null) {
    throw new SqlValidationError(statement.asQuery.span, "CREATE TABLE ... AS SELECT is not supported yet");
  }
  const primaryKey = statement.primaryKey;
  const keyNames = new Set(primaryKey?.columns.map((c) => c.value) ?? []);
  if (primaryKey !== null) {
    if (primaryKey.enforcement !== "NOT ENFORCED") {
      throw new SqlValidationError(
        primaryKey.span,
        "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls if the constraint checks are performed on the incoming/outgoing data. Flink does not own the data therefore the only supported mode is the NOT ENFORCED mode",
      );
    }
  }
  const seen = new Set<string>();
  for (const column of statement.columns) {
    if (seen.has(column.name.value)) {
      throw new SqlValidationError(
        column.name.span,
        `A column named '${column.name.value}' already exists in the table.`,
      );
    }
    seen.add(column.name.value);
  }
  // Physical and metadata columns first: computed columns may only refer to those.
  const base: RowField[] = [];
  const typed = new Map<string, LogicalType>();
  for (const column of statement.columns) {
    if (column.kind === "computed-column") continue;
    let type = resolveDataType(column.type);
    if (keyNames.has(column.name.value)) type = { ...type, nullable: false } as LogicalType;
    typed.set(column.name.value, type);
    base.push({ name: column.name.value, type });
  }
  const scope = Scope.of(base, name);
  const columns: ResolvedColumn[] = statement.columns.map((column): ResolvedColumn => {
    if (column.kind === "physical-column") {
      return { kind: "physical", name: column.name.value, type: typed.get(column.name.value)! };
    }
    if (column.kind === "metadata-column") {
      return {
        kind: "metadata",
        name: column.name.value,
        type: typed.get(column.name.value)!,
        key: column.key?.value ?? column.name.value,
        virtual: column.virtual,
      };
    }
    const rex = convertExpression(column.expression, {
      scope,
      functions: ctx.functions,
      functionContext: ctx.functionContext,
      clause: "computed column",
    });
    return { kind: "computed", name: column.name.value, type: rex.type, expression: column.expression };
  });
  for (const key of primaryKey?.columns ?? []) {
    const column = columns.find((c) => c.name === key.value);
    if (column === undefined) {
      throw new SqlValidationError(
        key.span,
        `Could not create a PRIMARY KEY with column '${key.value}'. Column '${key.value}' does not exist.`,
      );
    }
    if (column.kind !== "physical") {
      throw new SqlValidationError(
        key.span,
        `Could not create a PRIMARY KEY with column '${key.value}'. A PRIMARY KEY constraint must be declared on physical columns.`,
      );
    }
  }
  if (statement.watermarks.length > 1) {
    throw new SqlValidationError(
      statement.watermarks[1]!.span,
      "Multiple WATERMARK statements is not supported yet.",
    );
  }
  const watermarkAst = statement.watermarks[0];
  let watermark: ResolvedTable["watermark"] = null;
  if (watermarkAst !== undefined) {
    if (watermarkAst.column.length !== 1) {
      throw new SqlValidationError(watermarkAst.span, "Watermarks on nested fields are not supported yet");
    }
    const rowtime = watermarkAst.column[0]!;
    const column = columns.find((c) => c.name === rowtime.value);
    if (column === undefined) {
      throw new SqlValidationError(
        rowtime.span,
        `The rowtime attribute field '${rowtime.value}' is not defined in the table schema, at line ${rowtime.span.start.line}, column ${rowtime.span.start.column}\nAvailable fields: [${columns.map((c) => `'${c.name}'`).join(", ")}]`,
      );
    }
    const t = column.type;
    if ((t.kind !== "TIMESTAMP" && t.kind !== "TIMESTAMP_LTZ") || t.precision > 3) {
      throw new SqlValidationError(
        rowtime.span,
        `Invalid data type of time field for watermark definition. The field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is ${formatLogicalType(t)}`,
      );
    }
    const all: RowField[] = columns.map((c) => ({ name: c.name, type: c.type }));
    const rex = convertExpression(watermarkAst.strategy, {
      scope: Scope.of(all, name),
      functions: ctx.functions,
      functionContext: ctx.functionContext,
      clause: "WATERMARK",
    });
    if (rex.type.kind !== "TIMESTAMP" && rex.type.kind !== "TIMESTAMP_LTZ") {
      throw new SqlValidationError(
        watermarkAst.strategy.span,
        `Invalid data type of expression for watermark definition. The field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the watermark expression type is ${formatLogicalType(rex.type)}`,
      );
    }
    watermark = { column: rowtime.value, expression: watermarkAst.strategy };
  }
  const options: Record<string, string> = {};
  for (const option of statement.options) options[option.key.value] = option.value.value;
  return {
    kind: "table",
    name,
    columns,
    watermark,
    primaryKey: primaryKey === null ? null : primaryKey.columns.map((c) => c.value),
    partitionKeys: statement.partitionedBy.map((p) => p.value),
    options,
    temporary: statement.temporary,
  };
}
