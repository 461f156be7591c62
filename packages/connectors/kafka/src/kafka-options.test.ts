/** Source and sink options are checked where they are built, with errors naming the option. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { KafkaDeserializers } from "./kafka-record-deserializer.ts";
import { KafkaSerializers } from "./kafka-record-serializer.ts";
import { KafkaSink } from "./kafka-sink.ts";
import { KafkaSource } from "./kafka-source.ts";

const deserializer = KafkaDeserializers.string();
const serializer = KafkaSerializers.string();

test("source options", () => {
  const base = { bootstrapServers: "127.0.0.1:9092", topics: "a", deserializer };
  assert.equal(KafkaSource.create(base).boundedness, "CONTINUOUS_UNBOUNDED");
  assert.equal(KafkaSource.create({ ...base, stoppingOffsets: "latest" }).boundedness, "BOUNDED");
  assert.throws(
    () => KafkaSource.create({ ...base, bootstrapServers: "nohost" }),
    /bootstrap server "nohost" is not host:port/,
  );
  assert.throws(() => KafkaSource.create({ ...base, topics: [] }), /KafkaSource: topics is empty/);
  assert.throws(() => KafkaSource.create({ ...base, topics: "bad topic" }), /invalid topic name "bad topic"/);
  assert.throws(
    () => KafkaSource.create({ ...base, startingOffsets: { timestamp: -5 } }),
    /startingOffsets.timestamp must be milliseconds/,
  );
  assert.throws(
    () => KafkaSource.create({ ...base, isolationLevel: "serializable" as never }),
    /isolationLevel must be "read_committed" or "read_uncommitted"/,
  );
  assert.throws(
    () => KafkaSource.create({ ...base, name: "Orders", deserializer: {} as never }),
    /Orders: deserializer/,
  );
});

test("sink options", () => {
  const base = { bootstrapServers: ["127.0.0.1:9092"], topic: "out", serializer };
  assert.equal(KafkaSink.create(base).createCommitter, undefined, "at-least-once needs no committer");
  assert.throws(
    () => KafkaSink.create({ ...base, deliveryGuarantee: "exactly-once" }),
    /KafkaSink: exactly-once needs a transactionalIdPrefix/,
  );
  assert.equal(
    typeof KafkaSink.create({ ...base, deliveryGuarantee: "exactly-once", transactionalIdPrefix: "p" })
      .createCommitter,
    "function",
  );
  assert.throws(
    () => KafkaSink.create({ ...base, deliveryGuarantee: "twice" as never }),
    /deliveryGuarantee must be "none", "at-least-once" or "exactly-once", got "twice"/,
  );
  assert.throws(() => KafkaSink.create({ ...base, transactionTimeoutMs: 0 }), /transactionTimeoutMs/);
});

test("built-in deserializers and serializers", () => {
  const record = {
    topic: "t",
    partition: 0,
    offset: 5,
    timestamp: 1,
    timestampType: "CreateTime" as const,
    leaderEpoch: 0,
    key: Buffer.from("k"),
    value: Buffer.from('{"a":1}'),
    headers: [],
  };
  assert.deepEqual(KafkaDeserializers.json().deserialize(record), { a: 1 });
  assert.equal(KafkaDeserializers.string().deserialize(record), '{"a":1}');
  assert.throws(() => KafkaDeserializers.json().deserialize({ ...record, value: Buffer.from("{") }), /JSON/);
  assert.throws(() => KafkaDeserializers.string().deserialize({ ...record, value: null }), /tombstone/);
  assert.throws(
    () => KafkaDeserializers.string().deserialize({ ...record, value: Buffer.from([0xff, 0xfe]) }),
    /encoded data was not valid/,
  );
  assert.deepEqual(KafkaSerializers.json<{ id: number }>({ key: (e) => String(e.id) }).serialize({ id: 3 }), {
    value: '{"id":3}',
    key: "3",
  });
});
