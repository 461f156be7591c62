import assert from "node:assert/strict";
import { test } from "node:test";
import { ROW_KIND_SHORT, type RowData, RowKind } from "../data/row.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { createRecordDecoder, createRecordEncoder } from "./record-formats.ts";

// The products table of Flink's maxwell-json documentation.
const PRODUCTS = T.row([
  { name: "id", type: T.bigint() },
  { name: "name", type: T.string() },
  { name: "description", type: T.string() },
  { name: "weight", type: T.decimal(10, 2) },
]);

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function decode(message: string, options: Record<string, string> = {}): string[] {
  const out: RowData[] = [];
  createRecordDecoder("maxwell-json", PRODUCTS, options).decode(bytes(message), out);
  return out.map(
    (r) =>
      `${ROW_KIND_SHORT[r.kind]}${JSON.stringify(r.fields, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`,
  );
}

// Flink docs, "Maxwell Format": an update event of the products table.
const MAXWELL_UPDATE = `{
  "database": "test",
  "table": "product",
  "type": "update",
  "ts": 1596684883,
  "xid": 7125,
  "xoffset": 0,
  "data": {"id": 111, "name": "scooter", "description": "Big 2-wheel scooter", "weight": 5.15},
  "old": {"weight": 5.18}
}`;

test("maxwell-json reads an update: before = data overridden by old (Flink's documented event)", () => {
  assert.deepEqual(decode(MAXWELL_UPDATE), [
    '-U["111n","scooter","Big 2-wheel scooter","518n"]',
    '+U["111n","scooter","Big 2-wheel scooter","515n"]',
  ]);
  // A field set to NULL by the update is in `old` with its old value; one changed from NULL is
  // in `old` as null: key presence, not the value, says what changed.
  assert.deepEqual(
    decode('{"type":"update","data":{"id":1,"name":null},"old":{"name":"a","description":null}}'),
    ['-U["1n","a",null,null]', '+U["1n",null,null,null]'],
  );
});

test("maxwell-json reads insert and delete; other types and bad images are errors, or skipped", () => {
  assert.deepEqual(decode('{"type":"insert","data":{"id":1,"name":"a"}}'), ['+I["1n","a",null,null]']);
  assert.deepEqual(decode('{"type":"delete","data":{"id":1,"name":"a"}}'), ['-D["1n","a",null,null]']);
  assert.deepEqual(decode("null"), []);
  assert.throws(
    () => decode('{"type":"table-create","def":{}}'),
    /unknown Maxwell event 'type' = "table-create" \(expected insert, update or delete\)/,
  );
  assert.throws(() => decode('{"type":"insert","data":[{"id":1}]}'), /'data' must be a JSON object/);
  assert.throws(() => decode('{"type":"insert","data":{"id":"x"}}'), /field 'data.id'/);
  assert.throws(() => decode('{"type":"update","data":{"id":1},"old":[1]}'), /'old' must be a JSON object/);
  const lenient = { "maxwell-json.ignore-parse-errors": "true" };
  assert.deepEqual(decode('{"type":"table-create"}', lenient), []);
  assert.deepEqual(decode("{oops", lenient), []);
  assert.throws(() => decode("{}", { "maxwell-json.ignore-parse-errors": "yes" }), /must be true or false/);
});

test("maxwell-json writes insert for +I/+U and delete for -U/-D, as Flink's serializer", () => {
  const encoder = createRecordEncoder("maxwell-json", PRODUCTS, {});
  const row = [111n, "scooter", null, 518n];
  const written = [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE].map((kind) =>
    text(encoder.encode({ kind, fields: row })),
  );
  const image = '{"id":111,"name":"scooter","description":null,"weight":5.18}';
  assert.deepEqual(written, [
    `{"data":${image},"type":"insert"}`,
    `{"data":${image},"type":"delete"}`,
    `{"data":${image},"type":"insert"}`,
    `{"data":${image},"type":"delete"}`,
  ]);
  // What it writes, it reads back as the same kinds (update pairs become delete + insert).
  const out: RowData[] = [];
  const decoder = createRecordDecoder("maxwell-json", PRODUCTS, {});
  for (const message of written) decoder.decode(bytes(message), out);
  assert.deepEqual(
    out.map((r) => r.kind),
    [RowKind.INSERT, RowKind.DELETE, RowKind.INSERT, RowKind.DELETE],
  );
});
