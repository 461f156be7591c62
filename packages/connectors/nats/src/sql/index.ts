/**
 * `@weir/connector-nats/sql`: the SQL `nats` connector, loaded by `@weir/sql`'s connector registry
 * for `'connector' = 'nats'`.
 * @module
 */

import type { TableConnectorFactory } from "@weir/sql";
import { natsConnector } from "./nats-table-connector.ts";

export { natsConnector } from "./nats-table-connector.ts";

export const tableConnectors: readonly TableConnectorFactory[] = [natsConnector];
