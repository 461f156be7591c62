/**
 * The SQL connector `nats` (`'connector' = 'nats'`): a JetStream stream as a table. Options:
 * `servers` (required), `stream` (required), `subject` (source: optional filter, comma-separated
 * for one split each; sink: required target), `consumer.durable-name` (required to read),
 * `scan.startup.mode` (`resume` — default, the durable's ack floor —, `all`, `new`, `sequence`
 * with `scan.startup.sequence`, `timestamp` with `scan.startup.timestamp-millis`), `scan.bounded`
 * (stop at the stream's last sequence at start), `sink.message-id-prefix` (default the table
 * name), `format` (any record format: json, csv, raw, avro, debezium-json, canal-json) with the
 * format's options. A malformed message follows `bad-records.policy` (nats-bad-record-options.ts):
 * `fail` (default) fails the job naming stream, subject and sequence; `drop` (also chosen by
 * `<format>.ignore-parse-errors` = `true`) skips it, counted in `natsSourceMetrics().droppedRecords`;
 * `dead-letter` publishes it as JSON to `bad-records.dead-letter.subject`. Readable metadata:
 * `subject` STRING, `sequence` BIGINT, `timestamp` TIMESTAMP_LTZ(3).
 *
 * Example:
 * ```sql
 * CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), subj STRING METADATA FROM 'subject')
 * WITH ('connector' = 'nats', 'servers' = '127.0.0.1:4222', 'stream' = 'ORDERS',
 *       'consumer.durable-name' = 'orders-sql', 'format' = 'json');
 * ```
 * @module
 */

import type { BadRecordPolicy } from "@weir/api";
import type { RowData, TableConnectorFactory } from "@weir/sql";
import {
  ConnectorOptionError,
  checkTableOptions,
  createRecordDecoder,
  createRecordEncoder,
  OptionReader,
  recordFormatIdentifiers,
  recordFormatOptionKeys,
  sessionTimeZone,
  timestampValueFromMillis,
} from "@weir/sql";
import type { NatsDeadLetter, NatsDeserializer } from "../nats-message.ts";
import { NatsSink } from "../nats-sink.ts";
import { NatsSource, type NatsStartFrom } from "../nats-source.ts";
import {
  BAD_RECORD_OPTIONS,
  encodeDeadLetter,
  type NatsTableBadRecords,
  readBadRecordOptions,
} from "./nats-bad-record-options.ts";

const COMMON = ["servers", "stream", "subject", "format"];
const SOURCE_OPTIONS = [
  "consumer.durable-name",
  "scan.startup.mode",
  "scan.startup.sequence",
  "scan.startup.timestamp-millis",
  "scan.bounded",
  "scan.fetch-batch-size",
  "scan.ack-wait-ms",
  ...BAD_RECORD_OPTIONS,
];
const SINK_OPTIONS = ["sink.message-id-prefix", "sink.max-in-flight"];
const METADATA_TYPES: Readonly<Record<string, string>> = {
  subject: "CHAR/VARCHAR",
  sequence: "BIGINT",
  timestamp: "TIMESTAMP_LTZ",
};

function formatOf(table: { name: string; options: Readonly<Record<string, string>> }): string {
  const format = table.options.format;
  if (format === undefined)
    throw new ConnectorOptionError(
      `Table '${table.name}': option 'format' is required for 'nats' (one of ${recordFormatIdentifiers().join(", ")})`,
    );
  try {
    recordFormatOptionKeys(format);
  } catch (error) {
    throw new ConnectorOptionError(`Table '${table.name}': ${(error as Error).message}`);
  }
  return format;
}

function required(table: { name: string; options: Readonly<Record<string, string>> }, key: string): string {
  const value = table.options[key];
  if (value === undefined || value.trim() === "")
    throw new ConnectorOptionError(
      `One or more required options are missing for 'nats' in table '${table.name}': '${key}'`,
    );
  return value.trim();
}

function startFrom(reader: OptionReader): NatsStartFrom {
  const mode = reader.choice(
    "scan.startup.mode",
    ["resume", "all", "new", "sequence", "timestamp"],
    "resume",
  );
  if (mode === "sequence") {
    const sequence = reader.integer("scan.startup.sequence", undefined, 1);
    if (sequence === undefined)
      throw new ConnectorOptionError("'scan.startup.mode' = 'sequence' needs 'scan.startup.sequence'");
    return { kind: "sequence", sequence };
  }
  if (mode === "timestamp") {
    const timeMs = reader.integer("scan.startup.timestamp-millis", undefined, 0);
    if (timeMs === undefined)
      throw new ConnectorOptionError(
        "'scan.startup.mode' = 'timestamp' needs 'scan.startup.timestamp-millis'",
      );
    return { kind: "time", timeMs };
  }
  return { kind: mode };
}

/** The table's bad-record options as the source's policy; dead letters go through a NATS sink. */
function badRecordPolicy(
  options: NatsTableBadRecords,
  servers: string,
  table: string,
): BadRecordPolicy<NatsDeadLetter> {
  if (options.kind === "fail") return { kind: "fail" };
  if (options.kind === "drop") return { kind: "drop" };
  return {
    kind: "dead-letter",
    sink: new NatsSink<NatsDeadLetter>({
      servers,
      subject: options.subject,
      messageIdPrefix: `${table}-dead-letters`,
      serializer: encodeDeadLetter,
    }),
  };
}

function strictOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  const strict: Record<string, string> = { ...options };
  for (const key of Object.keys(strict)) if (key.endsWith(".ignore-parse-errors")) strict[key] = "false";
  return strict;
}

export const natsConnector: TableConnectorFactory = {
  identifier: "nats",
  requiredOptions: ["servers", "format"],
  optionalOptions: ["subject", ...SOURCE_OPTIONS, ...SINK_OPTIONS],

  createSource(context) {
    const { table } = context;
    const format = formatOf(table);
    checkTableOptions("nats", table, {
      required: ["servers", "stream", "format", "consumer.durable-name"],
      optional: [...COMMON, ...SOURCE_OPTIONS, ...recordFormatOptionKeys(format)],
    });
    const reader = new OptionReader(table);
    for (const m of context.metadata) {
      const expected = METADATA_TYPES[m.key];
      if (expected === undefined)
        throw new ConnectorOptionError(
          `Table '${table.name}': unknown metadata key '${m.key}' for 'nats' (available: ${Object.keys(METADATA_TYPES).join(", ")})`,
        );
      if (!expected.split("/").includes(m.type.kind))
        throw new ConnectorOptionError(
          `Table '${table.name}': metadata '${m.key}' must be declared as ${expected}, not ${m.type.kind}`,
        );
    }
    const subject = table.options.subject;
    const filters = subject === undefined ? [] : subject.split(",").map((s) => s.trim());
    const badRecords = readBadRecordOptions(table, format, filters);
    const formatContext = { tableName: table.name, timeZone: sessionTimeZone(context.config) };
    const decoder = createRecordDecoder(format, context.physicalType, table.options, formatContext);
    // A lenient format skips a malformed message silently; the strict twin then says why (and
    // throws), so the source counts and logs the drop as under `'bad-records.policy' = 'drop'`.
    const strict =
      badRecords.kind === "drop" && badRecords.lenient !== null
        ? createRecordDecoder(format, context.physicalType, strictOptions(table.options), formatContext)
        : undefined;
    const metadata = context.metadata.map((m) => m.key);
    const timestampType = context.metadata.find((m) => m.key === "timestamp")?.type;
    const decoded: RowData[] = [];
    const deserializer: NatsDeserializer<RowData> = {
      deserialize(message, collect) {
        decoded.length = 0;
        decoder.decode(message.data, decoded);
        if (decoded.length === 0) {
          strict?.decode(message.data, decoded);
          return;
        }
        for (const row of decoded) {
          if (metadata.length === 0) {
            collect(row);
            continue;
          }
          const fields = [...row.fields];
          for (const key of metadata)
            fields.push(
              key === "subject"
                ? message.subject
                : key === "sequence"
                  ? BigInt(message.sequence)
                  : timestampValueFromMillis(message.timestamp, timestampType!),
            );
          collect({ kind: row.kind, fields });
        }
      },
    };
    const bounded = reader.boolean("scan.bounded", false);
    const servers = required(table, "servers");
    const source = new NatsSource<RowData>({
      servers,
      stream: required(table, "stream"),
      durableName: required(table, "consumer.durable-name"),
      ...(filters.length === 0 ? {} : { subjects: filters }),
      badRecords: badRecordPolicy(badRecords, servers, table.name),
      startFrom: startFrom(reader),
      bounded,
      deserializer,
      fetchBatchSize: reader.integer("scan.fetch-batch-size", 1000, 1),
      ackWaitMs: reader.integer("scan.ack-wait-ms", 120_000, 1),
    });
    return {
      changelogMode: decoder.changelogMode,
      bounded,
      createStream() {
        return context.env.fromSource(source, `Source: nats ${table.name}`);
      },
    };
  },

  createSink(context) {
    const { table } = context;
    const format = formatOf(table);
    checkTableOptions("nats", table, {
      required: ["servers", "format", "subject"],
      optional: [...COMMON, ...SINK_OPTIONS, ...recordFormatOptionKeys(format), ...SOURCE_OPTIONS],
    });
    const reader = new OptionReader(table);
    // The same table may be read elsewhere in the script: its bad-record options must hold there too.
    readBadRecordOptions(table, format, [required(table, "subject")]);
    const encoder = createRecordEncoder(format, context.physicalType, table.options, {
      tableName: table.name,
      timeZone: sessionTimeZone(context.config),
    });
    const changelog = format === "debezium-json" || format === "canal-json";
    if (!changelog && context.inputMode.kind !== "insert-only")
      throw new ConnectorOptionError(
        `Table sink '${table.name}' (nats, format '${format}') only accepts inserts, but the query produces updates; use 'debezium-json' or 'canal-json'`,
      );
    const sink = new NatsSink<RowData>({
      servers: required(table, "servers"),
      subject: required(table, "subject"),
      messageIdPrefix: table.options["sink.message-id-prefix"] ?? table.name,
      maxInFlight: reader.integer("sink.max-in-flight", 4096, 1),
      serializer: (row) => encoder.encode(row),
    });
    return {
      acceptedModes: changelog ? ["insert-only", "retract", "upsert"] : ["insert-only"],
      consume(stream) {
        stream.toSink(sink).withName(`Sink: nats ${table.name}`);
      },
    };
  },
};
