/**
 * What the planner must know about a table's source or sink before it builds operators: the
 * changelog mode and boundedness of a source, the accepted modes of a sink. Both come from the
 * connector factory, which validates the table's options at this point (a table with bad options
 * is an error when it is used, as in Flink).
 *
 * Invariant: no stream is built here: sources are created with an environment that refuses every
 * call (connectors touch the environment only in `createStream`).
 * @module
 */

import type { ExecutionEnvironment } from "@weir/api";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { getLoadedTableConnector } from "../connectors/connector-registry.ts";
import type { TableConnectorFactory, TableSource } from "../connectors/table-connector.ts";
import type { LogicalType, RowType } from "../types/logical-type.ts";

/** Flink's message when a table has no `connector` option. */
export function connectorOf(table: ResolvedTable): TableConnectorFactory {
  const identifier = table.options.connector;
  if (identifier === undefined) {
    throw new Error(
      `Table options do not contain an option key 'connector' for discovering a connector. Table: '${table.name}'`,
    );
  }
  return getLoadedTableConnector(identifier);
}

export function physicalRowType(table: ResolvedTable): RowType {
  return {
    kind: "ROW",
    nullable: false,
    fields: table.columns.filter((c) => c.kind === "physical").map((c) => ({ name: c.name, type: c.type })),
  };
}

const PLANNING_ENVIRONMENT = new Proxy({} as ExecutionEnvironment, {
  get(_target, property) {
    throw new Error(
      `The execution environment is not available while planning (accessed '${String(property)}')`,
    );
  },
});

export function metadataOf(table: ResolvedTable): { key: string; type: LogicalType }[] {
  return table.columns.flatMap((c) => (c.kind === "metadata" ? [{ key: c.key, type: c.type }] : []));
}

/** Creates the table's source description (mode, boundedness) without building a stream. */
export function describeSource(
  table: ResolvedTable,
  config: ReadonlyMap<string, string>,
  env: ExecutionEnvironment = PLANNING_ENVIRONMENT,
  projectedFields: readonly number[] | null = null,
): TableSource {
  const factory = connectorOf(table);
  if (factory.createSource === undefined) {
    throw new Error(
      `Connector '${factory.identifier}' can only be used as a sink, not as a source (table '${table.name}')`,
    );
  }
  return factory.createSource({
    table,
    physicalType: physicalRowType(table),
    metadata: metadataOf(table),
    projectedFields,
    env,
    config,
  });
}
