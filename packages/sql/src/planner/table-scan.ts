/**
 * How a catalog table enters a query: the source scan (physical then metadata columns), a
 * projection that restores declaration order and evaluates computed columns, and the watermark
 * assigner when the table declares `WATERMARK FOR`.
 *
 * Invariant: the node returned has exactly the table's columns, in declaration order, with the
 * declared types (the rowtime column marked `*ROWTIME*`), whatever the source produces underneath.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { DEFAULT_CATALOG, DEFAULT_DATABASE } from "../catalog/session-catalog.ts";
import type { TableSource } from "../connectors/table-connector.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { ScanMetadata } from "../plan/logical-source-nodes.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef } from "../plan/rex-factory.ts";
import type { RowField } from "../types/logical-type.ts";
import { convertExpression } from "./convert-expression.ts";
import type { PlannerContext } from "./planner-context.ts";
import { Scope } from "./scope.ts";
import { describeSource } from "./source-description.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { isDefaultEmission, readWatermarkEmitOptions } from "./watermark-emit-options.ts";

export function scanTable(table: ResolvedTable, ctx: PlannerContext, span: Span): LogicalNode {
  let source: TableSource;
  try {
    source = describeSource(table, ctx.config);
  } catch (error) {
    if (error instanceof SqlValidationError) throw error;
    throw new SqlValidationError(span, (error as Error).message);
  }
  const physical = table.columns.filter((c) => c.kind === "physical");
  const metadataColumns = table.columns.filter((c) => c.kind === "metadata");
  const scanFields: RowField[] = [
    ...physical.map((c) => ({ name: c.name, type: c.type })),
    ...metadataColumns.map((c) => ({ name: c.name, type: c.type })),
  ];
  const metadata: ScanMetadata[] = metadataColumns.map((c) => ({ key: c.key, column: c.name }));
  let node: LogicalNode = {
    kind: "scan",
    table,
    path: [DEFAULT_CATALOG, DEFAULT_DATABASE, table.name],
    metadata,
    projectedFields: null,
    source: { mode: source.changelogMode, bounded: source.bounded },
    fields: scanFields,
  };
  const inScanOrder = table.columns.every((c, i) => c.kind !== "computed" && scanFields[i]?.name === c.name);
  if (!inScanOrder) {
    const scope = Scope.of(scanFields, table.name);
    const exprs: RexNode[] = table.columns.map((c) => {
      if (c.kind === "computed") {
        return convertExpression(c.expression, {
          scope,
          functions: ctx.functions,
          functionContext: ctx.functionContext,
          clause: "computed column",
        });
      }
      const index = scanFields.findIndex((f) => f.name === c.name);
      return inputRef(index, scanFields[index]!.type);
    });
    node = {
      kind: "project",
      input: node,
      exprs,
      fields: table.columns.map((c, i) => ({
        name: c.name,
        type: c.kind === "computed" ? c.type : exprs[i]!.type,
      })),
    };
  }
  if (table.watermark !== null) {
    const fields = node.fields;
    const rowtimeIndex = fields.findIndex((f) => f.name === table.watermark!.column);
    const watermark = convertExpression(table.watermark.expression, {
      scope: Scope.of(fields, table.name),
      functions: ctx.functions,
      functionContext: ctx.functionContext,
      clause: "WATERMARK",
    });
    const emission = readWatermarkEmitOptions(table, ctx.config, span);
    node = {
      kind: "watermark-assigner",
      input: node,
      rowtimeIndex,
      watermark,
      ...(isDefaultEmission(emission) ? {} : { emission }),
      fields: fields.map((f, i) =>
        i === rowtimeIndex && (f.type.kind === "TIMESTAMP" || f.type.kind === "TIMESTAMP_LTZ")
          ? { name: f.name, type: { ...f.type, timeAttribute: "rowtime" } }
          : f,
      ),
    };
  }
  return node;
}
