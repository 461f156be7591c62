/**
 * `@weir/connector-nexmark/sql`: the SQL connectors of this package, found by `@weir/sql`'s
 * connector registry for `'connector' = 'nexmark'`.
 * @module
 */

import type { TableConnectorFactory } from "@weir/sql";
import { nexmarkTableConnector } from "./nexmark-table-connector.ts";

export const tableConnectors: readonly TableConnectorFactory[] = [nexmarkTableConnector];
