/**
 * Finds the SQL connector for a `'connector' = '…'` option. `datagen`, `print`, `blackhole` and
 * `values` are built in; every other connector lives in a connector package and is loaded from its
 * `./sql` subpath, which exports `tableConnectors: readonly TableConnectorFactory[]`:
 *
 * | identifier                           | package                       |
 * |--------------------------------------|-------------------------------|
 * | filesystem                           | `@weir/connector-files/sql`   |
 * | kafka, upsert-kafka                  | `@weir/connector-kafka/sql`   |
 * | postgres-cdc, mysql-cdc, jdbc        | `@weir/connector-postgres/sql`|
 * | anything else, e.g. `nexmark`        | `@weir/connector-<identifier>/sql` |
 *
 * Planning is synchronous, so packages are loaded ahead: the client and the SQL job module await
 * {@link loadTableConnectors} for the identifiers of the tables they create, and the planner calls
 * {@link getLoadedTableConnector}. As in Flink, a table with an unknown connector is an error only
 * when it is used: a failed load is remembered and reported by `getLoadedTableConnector`.
 * @module
 */

import { blackholeConnector } from "./blackhole-connector.ts";
import { datagenConnector } from "./datagen-connector.ts";
import { printConnector } from "./print-connector.ts";
import { ConnectorOptionError, type TableConnectorFactory } from "./table-connector.ts";
import { valuesConnector } from "./values-connector.ts";

const PACKAGE_OF: Readonly<Record<string, string>> = {
  filesystem: "files",
  kafka: "kafka",
  "upsert-kafka": "kafka",
  "postgres-cdc": "postgres",
  "mysql-cdc": "postgres",
  jdbc: "postgres",
};

const loaded = new Map<string, TableConnectorFactory>();
const failures = new Map<string, Error>();

for (const factory of [datagenConnector, printConnector, blackholeConnector, valuesConnector])
  loaded.set(factory.identifier, factory);

/** The module a non-built-in identifier is loaded from. */
export function connectorModuleOf(identifier: string): string {
  return `@weir/connector-${PACKAGE_OF[identifier] ?? identifier}/sql`;
}

/**
 * Makes `factory` available under its identifier in this thread (e.g. a connector written in a
 * job's own code, or a test double). Registering a built-in identifier replaces it.
 */
export function registerTableConnector(factory: TableConnectorFactory): void {
  loaded.set(factory.identifier, factory);
  failures.delete(factory.identifier);
}

function notFound(identifier: string, cause: string): ConnectorOptionError {
  const available = [...new Set([...loaded.keys(), ...Object.keys(PACKAGE_OF)])].sort();
  return new ConnectorOptionError(
    `Could not find any factory for identifier '${identifier}' (${cause}). ` +
      `Available factory identifiers are: ${available.join(", ")}`,
  );
}

async function load(identifier: string): Promise<void> {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(identifier)) {
    failures.set(identifier, notFound(identifier, "not a connector name"));
    return;
  }
  const specifier = connectorModuleOf(identifier);
  let module: { tableConnectors?: unknown };
  try {
    module = (await import(specifier)) as { tableConnectors?: unknown };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message ?? String(error);
    const packageName = specifier.slice(0, specifier.lastIndexOf("/"));
    // A module missing *inside* the package is a broken package, not a missing one.
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" && message.includes(`'${packageName}'`)) ||
      code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
    const cause = missing
      ? `package ${specifier} is not installed`
      : `loading ${specifier} failed: ${message}`;
    failures.set(identifier, notFound(identifier, cause));
    return;
  }
  const factories = module.tableConnectors;
  if (!Array.isArray(factories)) {
    failures.set(identifier, notFound(identifier, `${specifier} does not export 'tableConnectors'`));
    return;
  }
  for (const factory of factories as TableConnectorFactory[])
    if (!loaded.has(factory.identifier)) loaded.set(factory.identifier, factory);
  if (!loaded.has(identifier))
    failures.set(identifier, notFound(identifier, `${specifier} has no connector '${identifier}'`));
}

/** Loads the connectors of `identifiers` that are not loaded yet; never rejects (see module doc). */
export async function loadTableConnectors(identifiers: Iterable<string>): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const identifier of new Set(identifiers))
    if (!loaded.has(identifier) && !failures.has(identifier)) pending.push(load(identifier));
  await Promise.all(pending);
}

/** The connector for `identifier`; throws {@link ConnectorOptionError} when it is not loaded or failed to load. */
export function getLoadedTableConnector(identifier: string): TableConnectorFactory {
  const factory = loaded.get(identifier);
  if (factory !== undefined) return factory;
  throw (
    failures.get(identifier) ??
    notFound(identifier, "it was not loaded; call loadTableConnectors before planning")
  );
}

/** Loads (if needed) and returns the connector for `identifier`. */
export async function findTableConnector(identifier: string): Promise<TableConnectorFactory> {
  await loadTableConnectors([identifier]);
  return getLoadedTableConnector(identifier);
}
