import assert from "node:assert/strict";
import { test } from "node:test";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { FormatError } from "./row-format.ts";
import { createRowDeserializer, createRowSerializer } from "./row-formats.ts";

const context = { tableName: "t", timeZone: "UTC" };
const rowType = T.row([
  { name: "id", type: T.bigint(false) },
  { name: "price", type: T.decimal(20, 2) },
  { name: "name", type: T.string() },
  { name: "ts", type: T.timestamp(3) },
  { name: "ok", type: T.boolean() },
]);

test("reads fields by name, missing fields as NULL, exact BIGINT and DECIMAL digits", () => {
  const reader = createRowDeserializer("json", rowType, {}, context);
  assert.deepEqual(
    reader.deserialize(
      '{"name":"a","id":9007199254740993,"price":123456789012345678.25,"ts":"2020-04-15 08:05:00.123","x":1}',
    ),
    [9007199254740993n, 12345678901234567825n, "a", Date.UTC(2020, 3, 15, 8, 5, 0, 123), null],
  );
  assert.deepEqual(reader.deserialize('{"id": 1, "ok": true, "price": "0.5"}'), [1n, 50n, null, null, true]);
});

test("bad records fail naming the field and the reason", () => {
  const reader = createRowDeserializer("json", rowType, {}, context);
  assert.throws(
    () => reader.deserialize('{"id": 1, "ok": "maybe"}'),
    (e: unknown) => e instanceof FormatError && /field 'ok'/.test(e.message),
  );
  assert.throws(() => reader.deserialize("{not json"), /invalid JSON/);
  assert.throws(() => reader.deserialize("[1]"), /expected a JSON object but found \[1\]/);
  assert.throws(
    () => reader.deserialize('{"name": "x"}'),
    /field 'id' is missing but the column is NOT NULL/,
  );
});

test("json.fail-on-missing-field and json.ignore-parse-errors", () => {
  const strict = createRowDeserializer("json", rowType, { "json.fail-on-missing-field": "true" }, context);
  assert.throws(() => strict.deserialize('{"id": 1}'), /field 'price' is missing/);
  const lenient = createRowDeserializer("json", rowType, { "json.ignore-parse-errors": "true" }, context);
  assert.equal(lenient.deserialize("{oops"), null);
  assert.deepEqual(lenient.deserialize('{"id": 2, "ok": "maybe"}'), [2n, null, null, null, null]);
  assert.throws(
    () =>
      createRowDeserializer(
        "json",
        rowType,
        { "json.fail-on-missing-field": "true", "json.ignore-parse-errors": "true" },
        context,
      ),
    /cannot both be true/,
  );
  assert.throws(
    () => createRowDeserializer("json", rowType, { "json.ignore-parse-errors": "yes" }, context),
    /Invalid value for option 'json.ignore-parse-errors' of table 't': 'yes' \(expected true or false\)/,
  );
});

test("writes exact numbers and Flink's timestamp text, in column order", () => {
  const writer = createRowSerializer("json", rowType, {}, context);
  const row = [12345678901234567890n, 1250n, 'say "hi"', Date.UTC(2020, 3, 15, 8, 5), false];
  assert.equal(
    writer.serialize(row),
    '{"id":12345678901234567890,"price":12.50,"name":"say \\"hi\\"","ts":"2020-04-15 08:05:00.000","ok":false}',
  );
  assert.equal(
    writer.serialize([1n, null, null, null, null]),
    '{"id":1,"price":null,"name":null,"ts":null,"ok":null}',
  );
  const iso = createRowSerializer(
    "json",
    rowType,
    { "json.timestamp-format.standard": "ISO-8601", "json.encode.ignore-null-fields": "true" },
    context,
  );
  assert.equal(
    iso.serialize([1n, null, null, Date.UTC(2020, 3, 15, 8, 5), null]),
    '{"id":1,"ts":"2020-04-15T08:05:00.000"}',
  );
});

test("a written row reads back to the same values", () => {
  const writer = createRowSerializer("json", rowType, {}, context);
  const reader = createRowDeserializer("json", rowType, {}, context);
  const row = [-9223372036854775808n, -1n, "é\n", Date.UTC(1969, 11, 31, 23, 59, 59, 999), true];
  assert.deepEqual(reader.deserialize(writer.serialize(row)), row);
});

test("unknown formats are listed", () => {
  assert.throws(
    () => createRowDeserializer("avro", rowType, {}, context),
    /identifier 'avro'. Available: csv, json, raw/,
  );
});

test("nested values: arrays, maps and rows, with exact numbers inside", () => {
  const nested = T.row([
    { name: "ids", type: T.array(T.bigint()) },
    { name: "m", type: T.map(T.string(), T.int()) },
    { name: "r", type: T.row([{ name: "x", type: T.decimal(20, 0) }]) },
  ]);
  const reader = createRowDeserializer("json", nested, {}, context);
  assert.deepEqual(
    reader.deserialize('{"ids": [1, 9007199254740993], "m": {"a": 1}, "r": {"x": 12345678901234567890}}'),
    [[1n, 9007199254740993n], new Map([["a", 1]]), [12345678901234567890n]],
  );
});

test("TIMESTAMP(6) keeps microseconds through JSON; a TIMESTAMP(3) column truncates them", () => {
  const type = T.row([
    { name: "t6", type: T.timestamp(6) },
    { name: "t3", type: T.timestamp(3) },
  ]);
  const base = Date.UTC(2020, 3, 15, 8, 5, 0, 123);
  const reader = createRowDeserializer("json", type, {}, context);
  const row = reader.deserialize('{"t6": "2020-04-15 08:05:00.123456", "t3": "2020-04-15T08:05:00.123999"}')!;
  assert.deepEqual(row, [(base * 1000 + 456) / 1000, base]);
  const writer = createRowSerializer("json", type, {}, context);
  assert.equal(writer.serialize(row), '{"t6":"2020-04-15 08:05:00.123456","t3":"2020-04-15 08:05:00.123"}');
});
