/**
 * A job module for connector tests (not part of the public API): runs one table's source into a
 * collect sink named `rows`, or writes given rows into one table's sink, on the real runtime.
 * Invariant: it builds the same graph in every worker, from its params only.
 * @module
 */

import { defineJob, Sinks } from "@weir/api";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import type { ChangelogMode, RowData } from "../data/row.ts";
import type { RowType } from "../types/logical-type.ts";
import { getLoadedTableConnector, loadTableConnectors } from "./connector-registry.ts";

export interface ConnectorProbeParams {
  readonly table: ResolvedTable;
  readonly config?: Readonly<Record<string, string>>;
  /** Rows to write to the table's sink; absent: read the table's source. */
  readonly write?: { readonly rows: readonly RowData[]; readonly mode: ChangelogMode };
  readonly metadata?: readonly { readonly key: string; readonly type: RowType["fields"][number]["type"] }[];
}

export function physicalTypeOf(table: ResolvedTable): RowType {
  const fields = [];
  for (const column of table.columns)
    if (column.kind === "physical") fields.push({ name: column.name, type: column.type });
  return { kind: "ROW", nullable: false, fields };
}

export default defineJob(async (env, params: ConnectorProbeParams) => {
  const identifier = params.table.options.connector ?? "";
  await loadTableConnectors([identifier]);
  const factory = getLoadedTableConnector(identifier);
  const config = new Map(Object.entries(params.config ?? {}));
  const physicalType = physicalTypeOf(params.table);
  if (params.write === undefined) {
    const source = factory.createSource!({
      table: params.table,
      physicalType,
      metadata: params.metadata ?? [],
      projectedFields: null,
      env,
      config,
    });
    source.createStream().toSink(Sinks.collect<RowData>("rows"));
  } else {
    const sink = factory.createSink!({
      table: params.table,
      physicalType,
      inputMode: params.write.mode,
      config,
    });
    sink.consume(env.fromCollection(params.write.rows));
  }
});
