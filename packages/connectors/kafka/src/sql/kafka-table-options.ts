/**
 * The `WITH (...)` options of the `kafka` and `upsert-kafka` SQL tables, with Flink's names, read
 * into one checked configuration. Unknown options are reported as Flink does (listing the
 * supported ones); `properties.*` passes Kafka client settings through (`properties.group.id`,
 * `properties.isolation.level`, `properties.transaction.timeout.ms`, `properties.auto.offset.reset`).
 *
 * Example:
 * ```sql
 * CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp')
 * WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = 'localhost:9092',
 *       'properties.group.id' = 'g1', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json');
 * ```
 * @module
 */

import {
  ConnectorOptionError,
  checkTableOptions,
  formatOptionKeys,
  OptionReader,
  type ResolvedTable,
  recordFormatIdentifiers,
  recordFormatOptionKeys,
  rowFormatIdentifiers,
} from "@weir/sql";
import type { DeliveryGuarantee } from "../kafka-sink-options.ts";
import type { StartingOffsets } from "../starting-offsets.ts";
import {
  BAD_RECORD_OPTIONS,
  type KafkaTableBadRecords,
  readBadRecordOptions,
} from "./kafka-bad-record-options.ts";

export interface KafkaTableConfig {
  readonly topics: readonly string[];
  readonly bootstrapServers: string;
  readonly groupId: string | undefined;
  readonly readCommitted: boolean;
  readonly startingOffsets: StartingOffsets;
  readonly bounded: boolean;
  readonly partitionDiscoveryIntervalMs: number;
  readonly deliveryGuarantee: DeliveryGuarantee;
  readonly transactionalIdPrefix: string | undefined;
  readonly transactionTimeoutMs: number | undefined;
  readonly keyFormat: string | undefined;
  readonly valueFormat: string;
  /** The key format's own options, with the `key.` prefix removed (`json.ignore-parse-errors`). */
  readonly keyFormatOptions: Readonly<Record<string, string>>;
  readonly valueFormatOptions: Readonly<Record<string, string>>;
  /** Physical column names in the key (without `key.fields-prefix` applied to the key format). */
  readonly keyFields: readonly string[];
  readonly keyFieldsPrefix: string;
  readonly valueFieldsInclude: "ALL" | "EXCEPT_KEY";
  readonly sinkParallelism: number | undefined;
  readonly scanParallelism: number | undefined;
  /** What the source does with records its formats reject (`bad-records.*`, `*.ignore-parse-errors`). */
  readonly badRecords: KafkaTableBadRecords;
}

const COMMON = [
  "topic",
  "properties.bootstrap.servers",
  "properties.group.id",
  "key.format",
  "key.fields",
  "key.fields-prefix",
  "value.format",
  "value.fields-include",
  "sink.parallelism",
  "sink.delivery-guarantee",
  "sink.transactional-id-prefix",
  "scan.parallelism",
  "scan.topic-partition-discovery.interval",
  "scan.bounded.mode",
  ...BAD_RECORD_OPTIONS,
];
const KAFKA_ONLY = [
  "format",
  "scan.startup.mode",
  "scan.startup.timestamp-millis",
  "scan.startup.specific-offsets",
];

/**
 * The option keys of `format` under each prefix. Values take every record format (`avro`,
 * `debezium-json`, … and the row formats); keys take the row formats (`json`, `csv`, `raw`).
 */
function formatKeys(
  format: string | undefined,
  prefixes: readonly string[],
  part: "key" | "value",
): string[] {
  if (format === undefined) return [];
  let keys: readonly string[];
  try {
    keys = part === "value" ? recordFormatOptionKeys(format) : formatOptionKeys(format);
  } catch {
    const available = part === "value" ? recordFormatIdentifiers() : rowFormatIdentifiers();
    throw new ConnectorOptionError(
      `Could not find any format factory for identifier '${format}'${part === "key" ? " (key formats)" : ""}. Available: ${available.join(", ")}`,
    );
  }
  return prefixes.flatMap((p) => keys.map((k) => `${p}${k}`));
}

/** The format options that start with `prefix`, returned without it. */
function stripped(
  options: Readonly<Record<string, string>>,
  prefix: string,
  format: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key.startsWith(`${prefix}${format}.`)) result[key.slice(prefix.length)] = value;
  }
  return result;
}

/** `partition:0,offset:42;partition:1,offset:300` → per-partition offsets of `topic`. */
function specificOffsets(table: string, text: string, topic: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const part of text
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const match = /^partition:(\d+),offset:(\d+)$/.exec(part.replace(/\s+/g, ""));
    if (match === null)
      throw new ConnectorOptionError(
        `Invalid value for option 'scan.startup.specific-offsets' of table '${table}': '${text}' ` +
          "(expected 'partition:0,offset:42;partition:1,offset:300')",
      );
    result[`${topic}-${match[1]}`] = Number(match[2]);
  }
  return result;
}

export function readKafkaTableOptions(
  table: ResolvedTable,
  identifier: "kafka" | "upsert-kafka",
): KafkaTableConfig {
  const options = table.options;
  const reader = new OptionReader(table);
  const upsert = identifier === "upsert-kafka";
  const valueFormat = upsert ? options["value.format"] : (options["value.format"] ?? options.format);
  const keyFormat = options["key.format"];
  // properties.* are Kafka client settings: any key is accepted there.
  const checked: ResolvedTable = {
    ...table,
    options: Object.fromEntries(
      Object.entries(options).filter(
        ([k]) => !k.startsWith("properties.") || k === "properties.bootstrap.servers",
      ),
    ),
  };
  const valueKeys = formatKeys(valueFormat, upsert ? ["value."] : ["", "value."], "value");
  const keyKeys = formatKeys(keyFormat, ["key."], "key");
  checkTableOptions(identifier, checked, {
    required: upsert
      ? ["topic", "properties.bootstrap.servers", "key.format", "value.format"]
      : ["topic", "properties.bootstrap.servers"],
    optional: [...COMMON, ...(upsert ? [] : KAFKA_ONLY), ...valueKeys, ...keyKeys],
  });
  if (valueFormat === undefined)
    throw new ConnectorOptionError(
      `One or more required options are missing for '${identifier}' in table '${table.name}': 'format' or 'value.format'`,
    );
  if (!upsert && options.format !== undefined && options["value.format"] !== undefined)
    throw new ConnectorOptionError(`Table '${table.name}': set either 'format' or 'value.format', not both`);

  const topics = (options.topic ?? "")
    .split(";")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (topics.length === 0)
    throw new ConnectorOptionError(`Invalid value for option 'topic' of table '${table.name}': it is empty`);

  const physical = table.columns.filter((c) => c.kind === "physical").map((c) => c.name);
  let keyFields: string[];
  if (upsert) {
    if (table.primaryKey === null || table.primaryKey.length === 0)
      throw new ConnectorOptionError(
        `Table '${table.name}': 'upsert-kafka' tables require a PRIMARY KEY (… NOT ENFORCED), which is the Kafka record key`,
      );
    if (options["key.fields"] !== undefined)
      throw new ConnectorOptionError(
        `Table '${table.name}': 'upsert-kafka' takes its key from the PRIMARY KEY; remove 'key.fields'`,
      );
    keyFields = [...table.primaryKey];
  } else {
    keyFields = (options["key.fields"] ?? "")
      .split(";")
      .map((f) => f.trim())
      .filter((f) => f !== "");
    if (keyFields.length > 0 && keyFormat === undefined)
      throw new ConnectorOptionError(`Table '${table.name}': 'key.fields' needs 'key.format'`);
    if (keyFormat !== undefined && keyFields.length === 0)
      throw new ConnectorOptionError(`Table '${table.name}': 'key.format' needs 'key.fields'`);
  }
  for (const field of keyFields)
    if (!physical.includes(field))
      throw new ConnectorOptionError(
        `Table '${table.name}': key field '${field}' is not a physical column (columns: ${physical.join(", ")})`,
      );
  const keyFieldsPrefix = options["key.fields-prefix"] ?? "";
  for (const field of keyFields)
    if (!field.startsWith(keyFieldsPrefix))
      throw new ConnectorOptionError(
        `Table '${table.name}': key field '${field}' does not start with 'key.fields-prefix' '${keyFieldsPrefix}'`,
      );
  const valueFieldsInclude = reader.choice("value.fields-include", ["ALL", "EXCEPT_KEY"], "ALL");
  if (keyFieldsPrefix !== "" && valueFieldsInclude === "ALL")
    throw new ConnectorOptionError(
      `Table '${table.name}': 'key.fields-prefix' requires 'value.fields-include' = 'EXCEPT_KEY'`,
    );

  let startingOffsets: StartingOffsets = "earliest";
  let bounded = false;
  if (!upsert) {
    const mode = reader.choice(
      "scan.startup.mode",
      ["earliest-offset", "latest-offset", "group-offsets", "timestamp", "specific-offsets"],
      "group-offsets",
    );
    const reset = (options["properties.auto.offset.reset"] ?? "none").trim().toLowerCase();
    if (mode === "earliest-offset") startingOffsets = "earliest";
    else if (mode === "latest-offset") startingOffsets = "latest";
    else if (mode === "group-offsets")
      startingOffsets = {
        committed: reset === "earliest" ? "earliest" : reset === "latest" ? "latest" : "fail",
      };
    else if (mode === "timestamp") {
      const millis = reader.integer("scan.startup.timestamp-millis", undefined, 0);
      if (millis === undefined)
        throw new ConnectorOptionError(
          `Table '${table.name}': 'scan.startup.mode' = 'timestamp' needs 'scan.startup.timestamp-millis'`,
        );
      startingOffsets = { timestamp: millis };
    } else {
      const text = options["scan.startup.specific-offsets"];
      if (text === undefined || topics.length !== 1)
        throw new ConnectorOptionError(
          `Table '${table.name}': 'scan.startup.mode' = 'specific-offsets' needs 'scan.startup.specific-offsets' and a single topic`,
        );
      startingOffsets = { specific: specificOffsets(table.name, text, topics[0]!), fallback: "earliest" };
    }
  } else {
    // upsert-kafka always reads the whole topic: the table is the latest value per key.
    startingOffsets = "earliest";
  }
  bounded =
    reader.choice("scan.bounded.mode", ["unbounded", "latest-offset"], "unbounded") === "latest-offset";

  const isolation = (options["properties.isolation.level"] ?? "read_uncommitted").trim().toLowerCase();
  if (isolation !== "read_committed" && isolation !== "read_uncommitted")
    throw new ConnectorOptionError(
      `Invalid value for option 'properties.isolation.level' of table '${table.name}': '${options["properties.isolation.level"]}' (expected read_committed or read_uncommitted)`,
    );
  const deliveryGuarantee = reader.choice(
    "sink.delivery-guarantee",
    ["none", "at-least-once", "exactly-once"],
    "at-least-once",
  );
  const transactionalIdPrefix = options["sink.transactional-id-prefix"];
  if (deliveryGuarantee === "exactly-once" && (transactionalIdPrefix ?? "") === "")
    throw new ConnectorOptionError(
      `Table '${table.name}': 'sink.delivery-guarantee' = 'exactly-once' needs 'sink.transactional-id-prefix'`,
    );
  const timeout = new OptionReader({ name: table.name, options }).integer(
    "properties.transaction.timeout.ms",
    undefined,
    1,
  );
  return {
    topics,
    bootstrapServers: options["properties.bootstrap.servers"]!,
    groupId: options["properties.group.id"],
    readCommitted: isolation === "read_committed",
    startingOffsets,
    bounded,
    partitionDiscoveryIntervalMs: reader.durationMs("scan.topic-partition-discovery.interval", 30_000),
    deliveryGuarantee,
    transactionalIdPrefix,
    transactionTimeoutMs: timeout,
    keyFormat,
    valueFormat,
    keyFormatOptions: keyFormat === undefined ? {} : stripped(options, "key.", keyFormat),
    valueFormatOptions: {
      ...(upsert ? {} : stripped(options, "", valueFormat)),
      ...stripped(options, "value.", valueFormat),
    },
    keyFields,
    keyFieldsPrefix,
    valueFieldsInclude,
    sinkParallelism: reader.integer("sink.parallelism", undefined, 1),
    scanParallelism: reader.integer("scan.parallelism", undefined, 1),
    badRecords: readBadRecordOptions(
      table,
      [...valueKeys, ...keyKeys].filter((k) => k.endsWith(".ignore-parse-errors")),
      topics,
    ),
  };
}
