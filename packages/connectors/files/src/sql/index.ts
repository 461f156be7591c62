/**
 * `@weir/connector-files/sql`: the SQL `filesystem` connector, loaded by `@weir/sql`'s connector
 * registry for `'connector' = 'filesystem'`.
 * @module
 */

import type { TableConnectorFactory } from "@weir/sql";
import { filesystemConnector } from "./filesystem-connector.ts";

export { filesystemConnector } from "./filesystem-connector.ts";

export const tableConnectors: readonly TableConnectorFactory[] = [filesystemConnector];
