/**
 * `@weir/connector-kafka/sql`: the `kafka` and `upsert-kafka` SQL connectors, loaded by
 * @weir/sql's connector registry for `WITH ('connector' = 'kafka' | 'upsert-kafka')`.
 * @module
 */

import type { TableConnectorFactory } from "@weir/sql";
import { kafkaTableConnector, upsertKafkaTableConnector } from "./kafka-table-connectors.ts";

export { type KafkaTableConfig, readKafkaTableOptions } from "./kafka-table-options.ts";

export const tableConnectors: readonly TableConnectorFactory[] = [
  kafkaTableConnector,
  upsertKafkaTableConnector,
];
