/** The `kafka` / `upsert-kafka` table options: Flink's names, checked with errors naming the option. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResolvedTable } from "@weir/sql";
import { readKafkaTableOptions } from "./kafka-table-options.ts";

const STRING = { kind: "VARCHAR", nullable: true, length: 2147483647 } as const;
const INT = { kind: "INT", nullable: true } as const;

function table(options: Record<string, string>, primaryKey: string[] | null = null): ResolvedTable {
  return {
    kind: "table",
    name: "t",
    columns: [
      { kind: "physical", name: "k", type: STRING },
      { kind: "physical", name: "v", type: INT },
    ],
    watermark: null,
    primaryKey,
    partitionKeys: [],
    options,
    temporary: false,
  } as ResolvedTable;
}

const base = { connector: "kafka", topic: "a", "properties.bootstrap.servers": "h:1", format: "json" };

test("defaults and startup modes", () => {
  const config = readKafkaTableOptions(table(base), "kafka");
  assert.deepEqual(config.topics, ["a"]);
  assert.deepEqual(
    config.startingOffsets,
    { committed: "fail" },
    "group-offsets without a reset strategy, as Flink",
  );
  assert.equal(config.bounded, false);
  assert.equal(config.deliveryGuarantee, "at-least-once");
  const read = (extra: Record<string, string>) =>
    readKafkaTableOptions(table({ ...base, ...extra }), "kafka");
  assert.equal(read({ "scan.startup.mode": "earliest-offset" }).startingOffsets, "earliest");
  assert.deepEqual(
    read({ "scan.startup.mode": "timestamp", "scan.startup.timestamp-millis": "1000" }).startingOffsets,
    {
      timestamp: 1000,
    },
  );
  assert.deepEqual(
    read({
      "scan.startup.mode": "specific-offsets",
      "scan.startup.specific-offsets": "partition:0,offset:42;partition:1,offset:7",
    }).startingOffsets,
    { specific: { "a-0": 42, "a-1": 7 }, fallback: "earliest" },
  );
  assert.deepEqual(
    read({ "scan.startup.mode": "group-offsets", "properties.auto.offset.reset": "latest" }).startingOffsets,
    { committed: "latest" },
  );
  assert.equal(read({ "scan.bounded.mode": "latest-offset" }).bounded, true);
  assert.equal(read({ "properties.isolation.level": "read_committed" }).readCommitted, true);
  assert.deepEqual(read({ "json.ignore-parse-errors": "true" }).valueFormatOptions, {
    "json.ignore-parse-errors": "true",
  });
});

test("bad options name the option and the table", () => {
  const read =
    (options: Record<string, string>, id: "kafka" | "upsert-kafka" = "kafka", pk: string[] | null = null) =>
    () =>
      readKafkaTableOptions(table(options, pk), id);
  assert.throws(
    read({ ...base, "scan.startup.mod": "x" }),
    /Unsupported options found for 'kafka' in table 't': 'scan.startup.mod'/,
  );
  assert.throws(
    read({ ...base, "scan.startup.mode": "earliest" }),
    /'scan.startup.mode' of table 't': 'earliest'/,
  );
  assert.throws(read({ ...base, "scan.startup.mode": "timestamp" }), /needs 'scan.startup.timestamp-millis'/);
  assert.throws(
    read({ ...base, "sink.delivery-guarantee": "exactly-once" }),
    /needs 'sink.transactional-id-prefix'/,
  );
  assert.throws(read({ ...base, "key.fields": "k" }), /'key.fields' needs 'key.format'/);
  assert.throws(
    read({ ...base, "key.format": "raw", "key.fields": "nope" }),
    /key field 'nope' is not a physical column/,
  );
  const { topic: _t, ...noTopic } = base;
  assert.throws(read(noTopic), /required options are missing for 'kafka' in table 't': 'topic'/);
  const upsert = {
    connector: "upsert-kafka",
    topic: "a",
    "properties.bootstrap.servers": "h:1",
    "key.format": "json",
    "value.format": "json",
  };
  assert.throws(read(upsert, "upsert-kafka"), /'upsert-kafka' tables require a PRIMARY KEY/);
  assert.deepEqual(readKafkaTableOptions(table(upsert, ["k"]), "upsert-kafka").keyFields, ["k"]);
  assert.throws(
    read({ ...upsert, "scan.startup.mode": "earliest-offset" }, "upsert-kafka", ["k"]),
    /Unsupported options/,
  );
});

test("bad-records options: fail by default, ignore-parse-errors means drop, dead-letter needs a topic", () => {
  const read = (extra: Record<string, string>) =>
    readKafkaTableOptions(table({ ...base, ...extra }), "kafka");
  assert.deepEqual(read({}).badRecords, { kind: "fail" });
  assert.deepEqual(read({ "json.ignore-parse-errors": "true" }).badRecords, {
    kind: "drop",
    lenient: ["json.ignore-parse-errors"],
  });
  assert.deepEqual(read({ "value.json.ignore-parse-errors": "true" }).badRecords, {
    kind: "drop",
    lenient: ["value.json.ignore-parse-errors"],
  });
  assert.deepEqual(read({ "json.ignore-parse-errors": "false" }).badRecords, { kind: "fail" });
  assert.deepEqual(read({ "bad-records.policy": "drop" }).badRecords, { kind: "drop", lenient: [] });
  assert.deepEqual(
    read({ "bad-records.policy": "dead-letter", "bad-records.dead-letter.topic": "a-dlq" }).badRecords,
    { kind: "dead-letter", topic: "a-dlq" },
  );
  assert.deepEqual(
    readKafkaTableOptions(table({ ...base, format: "avro", "avro.ignore-parse-errors": "true" }), "kafka")
      .badRecords,
    { kind: "drop", lenient: ["avro.ignore-parse-errors"] },
  );
  assert.throws(
    () => read({ "json.ignore-parse-errors": "true", "bad-records.policy": "fail" }),
    /'json.ignore-parse-errors' = 'true' means the drop policy; it contradicts 'bad-records.policy' = 'fail'/,
  );
  assert.throws(
    () => read({ "bad-records.policy": "dead-letter" }),
    /'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.topic'/,
  );
  assert.throws(
    () => read({ "bad-records.dead-letter.topic": "x" }),
    /'bad-records.dead-letter.topic' needs 'bad-records.policy' = 'dead-letter'/,
  );
  assert.throws(
    () => read({ "bad-records.policy": "dead-letter", "bad-records.dead-letter.topic": "a" }),
    /must differ from the table's topic 'a'/,
  );
  assert.throws(() => read({ "bad-records.policy": "skip" }), /bad-records.policy/);
});

test("value formats include avro and debezium-json; key formats are the row formats", () => {
  assert.equal(
    readKafkaTableOptions(table({ ...base, format: "debezium-json" }), "kafka").valueFormat,
    "debezium-json",
  );
  assert.throws(
    () => readKafkaTableOptions(table({ ...base, format: "nope" }), "kafka"),
    /Could not find any format factory for identifier 'nope'. Available: .*avro.*debezium-json/,
  );
  assert.throws(
    () => readKafkaTableOptions(table({ ...base, "key.format": "avro", "key.fields": "k" }), "kafka"),
    /identifier 'avro' \(key formats\)/,
  );
});
