/**
 * A job module for the filesystem connector's tests: reads a table into a collect sink named
 * `rows` (or into another filesystem table, `copyTo`), or writes given rows into it, on the real
 * runtime. Builds the same graph from its params
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
  /** Reads `table` into this table instead of the collect sink. */
  readonly copyTo?: ResolvedTable;
  /** The projection pushdown hint given to the source (default none). */
  readonly projectedFields?: readonly number[] | null;
}

export default defineJob((env, params: FilesystemProbeParams) => {
  const fields = params.table.columns.flatMap((c) =>
    c.kind === "physical" ? [{ name: c.name, type: c.type }] : [],
  );
  const physicalType = { kind: "ROW", nullable: false, fields } as const;
  const config = new Map([["table.local-time-zone", "UTC"]]);
  if (params.rows === undefined) {
    const stream = filesystemConnector.createSource!({
      table: params.table,
      physicalType,
      metadata: params.metadata ?? [],
      projectedFields: params.projectedFields ?? null,
      env,
      config,
    }).createStream();
    if (params.copyTo === undefined) stream.toSink(Sinks.collect<RowData>("rows"));
    else
      filesystemConnector.createSink!({
        table: params.copyTo,
        physicalType,
        inputMode: { kind: "insert-only" },
        config,
      }).consume(stream);
  } else {
    filesystemConnector.createSink!({
      table: params.table,
      physicalType,
      inputMode: { kind: "insert-only" },
      config,
    }).consume(env.fromCollection(params.rows));
  }
});
