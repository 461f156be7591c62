/**
 * `@weir/connector-postgres/sql`: the SQL connectors of this package, found by `@weir/sql`'s
 * connector registry: `postgres-cdc` and `mysql-cdc` (sources) and `jdbc` (sink, and a bounded
 * source for Postgres tables).
 * @module
 */

import type { TableConnectorFactory } from "@weir/sql";
import { jdbcConnector } from "./jdbc-connector.ts";
import { mysqlCdcConnector } from "./mysql-cdc-connector.ts";
import { postgresCdcConnector } from "./postgres-cdc-connector.ts";

export { jdbcConnector } from "./jdbc-connector.ts";
export { createJdbcLookup, JDBC_LOOKUP_OPTIONS } from "./jdbc-lookup.ts";
export { mysqlCdcConnector } from "./mysql-cdc-connector.ts";
export { postgresCdcConnector } from "./postgres-cdc-connector.ts";

export const tableConnectors: readonly TableConnectorFactory[] = [
  postgresCdcConnector,
  mysqlCdcConnector,
  jdbcConnector,
];
