/**
 * Test job: the `postgres-cdc` and `jdbc` SQL connector factories wired by hand, as the planner
 * wires them (source table → sink table with the same columns), so the factories are tested
 * before the planner exists. `tables` holds the two resolved tables.
 */

import { defineJob } from "@weir/api";
import { jdbcConnector, postgresCdcConnector } from "@weir/connector-postgres/sql";
import type { LogicalRowType, ResolvedTable } from "@weir/sql";

export interface SqlConnectorsParams {
  readonly source: ResolvedTable;
  readonly sink: ResolvedTable;
}

export function physicalType(table: ResolvedTable): LogicalRowType {
  return {
    kind: "ROW",
    nullable: false,
    fields: table.columns.flatMap((c) => (c.kind === "physical" ? [{ name: c.name, type: c.type }] : [])),
  };
}

export default defineJob((env, params: SqlConnectorsParams) => {
  const sourceFactory = params.source.options.connector === "jdbc" ? jdbcConnector : postgresCdcConnector;
  const source = sourceFactory.createSource!({
    table: params.source,
    physicalType: physicalType(params.source),
    metadata: [],
    projectedFields: null,
    env,
    config: new Map(),
  });
  const sink = jdbcConnector.createSink!({
    table: params.sink,
    physicalType: physicalType(params.sink),
    inputMode: source.changelogMode,
    config: new Map(),
  });
  sink.consume(source.createStream());
});
