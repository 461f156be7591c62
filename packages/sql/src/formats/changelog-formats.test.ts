import assert from "node:assert/strict";
import { test } from "node:test";
import { ROW_KIND_SHORT, type RowData } from "../data/row.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { createRecordDecoder, createRecordEncoder } from "./record-formats.ts";
import { FormatError } from "./row-format.ts";

// The products table of Flink's debezium-json / canal-json documentation.
const PRODUCTS = T.row([
  { name: "id", type: T.bigint() },
  { name: "name", type: T.string() },
  { name: "description", type: T.string() },
  { name: "weight", type: T.decimal(10, 2) },
]);

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function decode(format: string, message: string, options: Record<string, string> = {}): string[] {
  const out: RowData[] = [];
  createRecordDecoder(format, PRODUCTS, options).decode(bytes(message), out);
  return out.map(
    (r) =>
      `${ROW_KIND_SHORT[r.kind]}${JSON.stringify(r.fields, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`,
  );
}

// Flink docs, "Debezium Format": an update event of the products table.
const DEBEZIUM_UPDATE = `{
  "before": {"id": 111, "name": "scooter", "description": "Big 2-wheel scooter", "weight": 5.18},
  "after": {"id": 111, "name": "scooter", "description": "Big 2-wheel scooter", "weight": 5.15},
  "source": {"version": "1.1.1.Final", "connector": "mysql", "name": "dbserver1", "ts_ms": 1589362330000,
    "snapshot": "false", "db": "inventory", "table": "products", "server_id": 223344, "gtid": null,
    "file": "mysql-bin.000003", "pos": 2090, "row": 0, "thread": 2, "query": null},
  "op": "u",
  "ts_ms": 1589362330904,
  "transaction": null
}`;

test("debezium-json reads an update as -U before, +U after (Flink's documented event)", () => {
  assert.deepEqual(decode("debezium-json", DEBEZIUM_UPDATE), [
    '-U["111n","scooter","Big 2-wheel scooter","518n"]',
    '+U["111n","scooter","Big 2-wheel scooter","515n"]',
  ]);
});

test("debezium-json reads c, r and d events and skips tombstones", () => {
  const after = '{"id":1,"name":"a","description":null,"weight":"1.5"}';
  assert.deepEqual(decode("debezium-json", `{"before":null,"after":${after},"op":"c"}`), [
    '+I["1n","a",null,"150n"]',
  ]);
  assert.deepEqual(decode("debezium-json", `{"before":null,"after":${after},"op":"r"}`), [
    '+I["1n","a",null,"150n"]',
  ]);
  assert.deepEqual(decode("debezium-json", `{"before":${after},"after":null,"op":"d"}`), [
    '-D["1n","a",null,"150n"]',
  ]);
  assert.deepEqual(decode("debezium-json", "null"), []);
});

test("debezium-json.schema-include reads the payload of a schema envelope and says when it is needed", () => {
  const event = `{"schema":{"type":"struct","fields":[]},"payload":${DEBEZIUM_UPDATE}}`;
  assert.equal(decode("debezium-json", event, { "debezium-json.schema-include": "true" }).length, 2);
  assert.throws(() => decode("debezium-json", event), /set 'debezium-json.schema-include' = 'true'/);
});

test("debezium-json errors name the problem; ignore-parse-errors skips the message", () => {
  assert.throws(
    () => decode("debezium-json", '{"op":"x","after":{}}'),
    /unknown Debezium operation 'op' = "x"/,
  );
  assert.throws(
    () => decode("debezium-json", '{"before":null,"after":{"id":1},"op":"u"}'),
    /REPLICA IDENTITY to FULL/,
  );
  assert.throws(
    () => decode("debezium-json", '{"op":"c","after":{"id":"zz"}}'),
    (e: unknown) => {
      assert.ok(e instanceof FormatError);
      assert.match(e.message, /field 'after.id'/);
      return true;
    },
  );
  assert.throws(() => decode("debezium-json", "{oops"), /invalid JSON/);
  assert.deepEqual(decode("debezium-json", "{oops", { "debezium-json.ignore-parse-errors": "true" }), []);
  assert.deepEqual(
    decode("debezium-json", '{"op":"u","after":{"id":1}}', { "debezium-json.ignore-parse-errors": "true" }),
    [],
  );
});

test("debezium-json writes inserts as op c and retractions as op d, as Flink", () => {
  const encoder = createRecordEncoder("debezium-json", PRODUCTS, {});
  const row = [111n, "scooter", "Big 2-wheel scooter", 515n];
  assert.equal(
    text(encoder.encode({ kind: 0, fields: row })),
    '{"before":null,"after":{"id":111,"name":"scooter","description":"Big 2-wheel scooter","weight":5.15},"op":"c"}',
  );
  assert.equal(
    text(encoder.encode({ kind: 1, fields: row })),
    '{"before":{"id":111,"name":"scooter","description":"Big 2-wheel scooter","weight":5.15},"after":null,"op":"d"}',
  );
  assert.equal(text(encoder.encode({ kind: 2, fields: row })).endsWith('"op":"c"}'), true);
  assert.equal(text(encoder.encode({ kind: 3, fields: row })).endsWith('"op":"d"}'), true);
});

// Flink docs, "Canal Format": an update event of the products table (values as strings).
const CANAL_UPDATE = `{
  "data": [{"id": "111", "name": "scooter", "description": "Big 2-wheel scooter", "weight": "5.18"}],
  "database": "inventory",
  "es": 1589373560000,
  "id": 9,
  "isDdl": false,
  "mysqlType": {"id": "INTEGER", "name": "VARCHAR(255)", "description": "VARCHAR(512)", "weight": "FLOAT"},
  "old": [{"weight": "5.15"}],
  "pkNames": ["id"],
  "sql": "",
  "sqlType": {"id": 4, "name": 12, "description": 12, "weight": 7},
  "table": "products",
  "ts": 1589373560798,
  "type": "UPDATE"
}`;

test("canal-json reads an update: before = data overridden by old (Flink's documented event)", () => {
  assert.deepEqual(decode("canal-json", CANAL_UPDATE), [
    '-U["111n","scooter","Big 2-wheel scooter","515n"]',
    '+U["111n","scooter","Big 2-wheel scooter","518n"]',
  ]);
});

test("canal-json reads INSERT and DELETE per element, skips CREATE, filters by database/table", () => {
  const insert =
    '{"data":[{"id":"1","name":"a"},{"id":"2","name":"b"}],"database":"inventory","table":"products","type":"INSERT"}';
  assert.deepEqual(decode("canal-json", insert), ['+I["1n","a",null,null]', '+I["2n","b",null,null]']);
  assert.deepEqual(decode("canal-json", insert.replace("INSERT", "DELETE")), [
    '-D["1n","a",null,null]',
    '-D["2n","b",null,null]',
  ]);
  assert.deepEqual(
    decode("canal-json", '{"data":null,"type":"CREATE","isDdl":true,"sql":"CREATE TABLE x"}'),
    [],
  );
  assert.deepEqual(decode("canal-json", insert, { "canal-json.table.include": "orders" }), []);
  assert.equal(decode("canal-json", insert, { "canal-json.database.include": "inv.*" }).length, 2);
  assert.throws(
    () => decode("canal-json", '{"data":[],"type":"ALTER"}'),
    /unknown Canal event 'type' = "ALTER"/,
  );
  assert.deepEqual(
    decode("canal-json", '{"type":"ALTER"}', { "canal-json.ignore-parse-errors": "true" }),
    [],
  );
});

test("canal-json writes INSERT for +I/+U and DELETE for -U/-D, as Flink", () => {
  const encoder = createRecordEncoder("canal-json", PRODUCTS, {});
  const row = [111n, "scooter", null, 518n];
  assert.equal(
    text(encoder.encode({ kind: 2, fields: row })),
    '{"data":[{"id":111,"name":"scooter","description":null,"weight":5.18}],"type":"INSERT"}',
  );
  assert.equal(
    text(encoder.encode({ kind: 3, fields: row })),
    '{"data":[{"id":111,"name":"scooter","description":null,"weight":5.18}],"type":"DELETE"}',
  );
});

test("row formats are record formats of UTF-8 inserts that refuse retractions", () => {
  const type = T.row([{ name: "a", type: T.int() }]);
  const out: RowData[] = [];
  createRecordDecoder("json", type, {}).decode(bytes('{"a":7}'), out);
  assert.deepEqual(out, [{ kind: 0, fields: [7] }]);
  const encoder = createRecordEncoder("csv", type, {});
  assert.equal(text(encoder.encode({ kind: 0, fields: [7] })), "7");
  assert.throws(() => encoder.encode({ kind: 3, fields: [7] }), /use a changelog format/);
  assert.throws(
    () => createRecordDecoder("protobuf", type, {}),
    /Available: avro, canal-json, csv, debezium-json, json, maxwell-json, raw/,
  );
});
