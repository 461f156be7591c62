/**
 * A job module for the filesystem connector's tests: reads a table into a collect sink named
 * `rows`, or writes given rows into it, on the real runtime. Builds the same graph from its params
 * in every worker.
 * @module
 */

import { defineJob, Sinks } from "@weir/api";
import type { LogicalType, ResolvedTable, RowData } from "@weir/sql";
import { filesystemConnector } from "./filesystem-connector.ts";

export interface FilesystemProbeParams {
  readonly table: ResolvedTable;
  readonly rows?: readonly RowData[];
  readonly metadata?: readonly { readonly key: string; readonly type: LogicalType }[];
}

export default defineJob((env, params: FilesystemProbeParams) => {
  const fields = params.table.columns.flatMap((c) =>
    c.kind === "physical" ? [{ name: c.name, type: c.type }] : [],
  );
  const physicalType = { kind: "ROW", nullable: false, fields } as const;
  const config = new Map([["table.local-time-zone", "UTC"]]);
  if (params.rows === undefined) {
    filesystemConnector.createSource!({
      table: params.table,
      physicalType,
      metadata: params.metadata ?? [],
      projectedFields: null,
      env,
      config,
    })
      .createStream()
      .toSink(Sinks.collect<RowData>("rows"));
  } else {
    filesystemConnector.createSink!({
      table: params.table,
      physicalType,
      inputMode: { kind: "insert-only" },
      config,
    }).consume(env.fromCollection(params.rows));
  }
});
