/**
 * Kafka records ↔ SQL rows: value and key formats at their column positions, metadata appended,
 * tombstones as deletes for upsert-kafka, skipped records when a format ignores parse errors.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { type LogicalRowType, RowKind } from "@weir/sql";
import type { KafkaConsumerRecord } from "../kafka-consumer-record.ts";
import { metadataReaders, rowDeserializer, rowLayout, rowSerializer } from "./kafka-row-codec.ts";
import type { KafkaTableConfig } from "./kafka-table-options.ts";

const STRING = { kind: "VARCHAR", nullable: true, length: 2147483647 } as const;
const INT = { kind: "INT", nullable: true } as const;
const BIGINT = { kind: "BIGINT", nullable: true } as const;
const PHYSICAL = {
  kind: "ROW",
  nullable: false,
  fields: [
    { name: "k", type: STRING },
    { name: "v", type: INT },
  ],
} as unknown as LogicalRowType;

function config(extra: Partial<KafkaTableConfig>): KafkaTableConfig {
  return {
    topics: ["t"],
    bootstrapServers: "h:1",
    groupId: undefined,
    readCommitted: false,
    startingOffsets: "earliest",
    bounded: true,
    partitionDiscoveryIntervalMs: 0,
    deliveryGuarantee: "at-least-once",
    transactionalIdPrefix: undefined,
    transactionTimeoutMs: undefined,
    keyFormat: "raw",
    valueFormat: "json",
    keyFormatOptions: {},
    valueFormatOptions: {},
    keyFields: ["k"],
    keyFieldsPrefix: "",
    valueFieldsInclude: "EXCEPT_KEY",
    sinkParallelism: undefined,
    scanParallelism: undefined,
    badRecords: { kind: "fail" },
    ...extra,
  };
}

const record = (key: string | null, value: string | null): KafkaConsumerRecord => ({
  topic: "t",
  partition: 2,
  offset: 7,
  timestamp: 1_700_000_000_000,
  timestampType: "CreateTime",
  leaderEpoch: 0,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: [["h", Buffer.from([1])]],
});

test("key and value land at their columns; metadata follows the physical columns", () => {
  const cfg = config({});
  const deserializer = rowDeserializer({
    table: "t",
    timeZone: "UTC",
    layout: rowLayout(PHYSICAL, cfg),
    config: cfg,
    metadata: metadataReaders("t", [
      { key: "offset", type: BIGINT },
      { key: "partition", type: INT },
    ]),
    upsert: false,
  });
  assert.deepEqual(deserializer.deserialize(record("a", '{"v": 1}')), {
    kind: RowKind.INSERT,
    fields: ["a", 1, 7n, 2],
  });
  assert.equal(deserializer.deserialize(record("a", null)), undefined, "a kafka table skips tombstones");
  assert.throws(() => deserializer.deserialize(record("a", "{x")), /./, "a malformed value is an error");
  assert.throws(
    () => metadataReaders("t", [{ key: "offset", type: INT }]),
    /metadata 'offset' cannot be read as INT/,
  );
  assert.throws(() => metadataReaders("t", [{ key: "nope", type: INT }]), /unknown metadata key 'nope'/);
});

test("upsert-kafka: tombstones are deletes of their key, and deletes are written as tombstones", () => {
  const cfg = config({ keyFormat: "json", valueFieldsInclude: "ALL" });
  const layout = rowLayout(PHYSICAL, cfg);
  const deserializer = rowDeserializer({
    table: "t",
    timeZone: "UTC",
    layout,
    config: cfg,
    metadata: [],
    upsert: true,
  });
  assert.deepEqual(deserializer.deserialize(record('{"k":"a"}', null)), {
    kind: RowKind.DELETE,
    fields: ["a", null],
  });
  const serializer = rowSerializer({ table: "t", timeZone: "UTC", layout, config: cfg, upsert: true });
  assert.deepEqual(serializer.serialize({ kind: RowKind.UPDATE_AFTER, fields: ["a", 2] }), {
    key: '{"k":"a"}',
    value: Buffer.from('{"k":"a","v":2}'),
  });
  assert.deepEqual(serializer.serialize({ kind: RowKind.DELETE, fields: ["a", 2] }), {
    key: '{"k":"a"}',
    value: null,
  });
  assert.equal(serializer.serialize({ kind: RowKind.UPDATE_BEFORE, fields: ["a", 1] }), null);
});

test("with json.ignore-parse-errors (the drop policy) a malformed value throws the strict reason, for the drop count", () => {
  const cfg = config({
    valueFormatOptions: { "json.ignore-parse-errors": "true" },
    badRecords: { kind: "drop", lenient: ["json.ignore-parse-errors"] },
  });
  const deserializer = rowDeserializer({
    table: "t",
    timeZone: "UTC",
    layout: rowLayout(PHYSICAL, cfg),
    config: cfg,
    metadata: [],
    upsert: false,
  });
  assert.throws(() => deserializer.deserialize(record("a", "{x")), /JSON|json/);
  // Lenient as in Flink: a field of the wrong type becomes NULL, the record stays.
  assert.deepEqual(deserializer.deserialize(record("a", '{"v": "not a number"}')), {
    kind: RowKind.INSERT,
    fields: ["a", null],
  });
});

test("a debezium-json update is two rows (-U, +U); avro values decode and encode", () => {
  const cfg = config({
    keyFormat: undefined,
    keyFields: [],
    valueFieldsInclude: "ALL",
    valueFormat: "debezium-json",
  });
  const deserializer = rowDeserializer({
    table: "t",
    timeZone: "UTC",
    layout: rowLayout(PHYSICAL, cfg),
    config: cfg,
    metadata: [],
    upsert: false,
  });
  assert.deepEqual(
    deserializer.deserialize(record(null, '{"before":{"k":"a","v":1},"after":{"k":"a","v":2},"op":"u"}')),
    [
      { kind: RowKind.UPDATE_BEFORE, fields: ["a", 1] },
      { kind: RowKind.UPDATE_AFTER, fields: ["a", 2] },
    ],
  );
  assert.throws(() => deserializer.deserialize(record(null, '{"op":"u"')), /./);

  const avro = config({
    keyFormat: undefined,
    keyFields: [],
    valueFieldsInclude: "ALL",
    valueFormat: "avro",
  });
  const layout = rowLayout(PHYSICAL, avro);
  const encoded = rowSerializer({
    table: "t",
    timeZone: "UTC",
    layout,
    config: avro,
    upsert: false,
  }).serialize({
    kind: RowKind.INSERT,
    fields: ["a", 5],
  });
  const decoded = rowDeserializer({
    table: "t",
    timeZone: "UTC",
    layout,
    config: avro,
    metadata: [],
    upsert: false,
  });
  assert.deepEqual(decoded.deserialize({ ...record(null, null), value: encoded!.value as Buffer }), {
    kind: RowKind.INSERT,
    fields: ["a", 5],
  });
  assert.throws(() => decoded.deserialize({ ...record(null, null), value: Buffer.from([0x02]) }), /./);
});

test("kafka with debezium-json / canal-json writes every row kind as the format's envelope, keyed", () => {
  const debezium = config({ keyFormat: "json", valueFormat: "debezium-json" });
  const write = rowSerializer({
    table: "t",
    timeZone: "UTC",
    layout: rowLayout(PHYSICAL, debezium),
    config: debezium,
    upsert: false,
  });
  const written = [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE].map(
    (kind) => {
      const r = write.serialize({ kind, fields: ["a", kind] })!;
      return [r.key, (r.value as Buffer).toString()];
    },
  );
  assert.deepEqual(written, [
    ['{"k":"a"}', '{"before":null,"after":{"v":0},"op":"c"}'],
    ['{"k":"a"}', '{"before":{"v":1},"after":null,"op":"d"}'],
    ['{"k":"a"}', '{"before":null,"after":{"v":2},"op":"c"}'],
    ['{"k":"a"}', '{"before":{"v":3},"after":null,"op":"d"}'],
  ]);

  const canal = config({
    keyFormat: undefined,
    keyFields: [],
    valueFieldsInclude: "ALL",
    valueFormat: "canal-json",
  });
  const canalWrite = rowSerializer({
    table: "t",
    timeZone: "UTC",
    layout: rowLayout(PHYSICAL, canal),
    config: canal,
    upsert: false,
  });
  const retraction = canalWrite.serialize({ kind: RowKind.UPDATE_BEFORE, fields: ["b", 4] })!;
  assert.equal(retraction.key, null);
  assert.equal((retraction.value as Buffer).toString(), '{"data":[{"k":"b","v":4}],"type":"DELETE"}');
});

test("kafka with an insert-only value format refuses retractions, naming the table and format", () => {
  const cfg = config({});
  const write = rowSerializer({
    table: "t",
    timeZone: "UTC",
    layout: rowLayout(PHYSICAL, cfg),
    config: cfg,
    upsert: false,
  });
  assert.throws(
    () => write.serialize({ kind: RowKind.DELETE, fields: ["a", 1] }),
    /table 't' takes only inserts with value format 'json', got a DELETE/,
  );
});
