/**
 * `@weir/connector-nexmark`: the Nexmark benchmark's event generator, deterministic per event id,
 * as a DataStream source ({@link nexmarkSource}) and as the SQL connector `'connector' = 'nexmark'`
 * ({@link nexmarkTableConnector}), with the reference DDL, views and queries.
 * @module
 */

export type { Auction, Bid, NexmarkEvent, Person } from "./generator/events.ts";
export { EventType } from "./generator/events.ts";
export {
  DEFAULT_BASE_TIME,
  DEFAULT_NEXMARK_CONFIG,
  type GeneratorSplitRange,
  type NexmarkConfig,
  splitGenerators,
} from "./generator/generator-config.ts";
export { NexmarkGenerator } from "./generator/nexmark-generator.ts";
export {
  type NexmarkEnumeratorState,
  NexmarkSource,
  type NexmarkSourceOptions,
  type NexmarkSplit,
  nexmarkSource,
} from "./nexmark-source.ts";
export { NEXMARK_QUERIES, NEXMARK_VIEWS, nexmarkTableDdl } from "./sql/nexmark-queries.ts";
export { eventToRow, nexmarkTableConnector } from "./sql/nexmark-table-connector.ts";
