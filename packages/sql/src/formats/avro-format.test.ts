import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { RowData } from "../data/row.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { avroSchemaFor } from "./avro-format.ts";
import { createRecordDecoder, createRecordEncoder } from "./record-formats.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("avro writes Avro's binary encoding (expected bytes from the Avro specification's rules)", () => {
  const type = T.row([
    { name: "id", type: T.int(false) },
    { name: "name", type: T.string() },
  ]);
  const encoder = createRecordEncoder("avro", type, {});
  // zig-zag 1 = 02; union branch 1 = 02; length 1 = 02; "a" = 61.
  assert.equal(hex(encoder.encode({ kind: 0, fields: [1, "a"] })), "02020261");
  // zig-zag -1 = 01; null branch = 00.
  assert.equal(hex(encoder.encode({ kind: 0, fields: [-1, null] })), "0100");
  // zig-zag 64 = 80 01; "foo" = 06 66 6f 6f (the specification's example).
  assert.equal(hex(encoder.encode({ kind: 0, fields: [64, "foo"] })), "80010206666f6f");
});

test("avro encodes longs, booleans, doubles, decimals, arrays and maps byte for byte", () => {
  const type = T.row([
    { name: "b", type: T.boolean(false) },
    { name: "l", type: T.bigint(false) },
    { name: "d", type: T.double(false) },
    { name: "m", type: T.decimal(4, 2, false) },
    { name: "a", type: T.array(T.bigint(false), false) },
    { name: "k", type: T.map(T.string(false), T.int(false), false) },
  ]);
  const bytes = createRecordEncoder("avro", type, {}).encode({
    kind: 0,
    fields: [true, -3n, 1.5, 1250n, [3n, 27n], new Map([["x", 1]])],
  });
  // true=01 | -3=05 | 1.5 LE=000000000000f83f | 12.50: len 2, 04e2 | array: count 2, 06 36, end 00
  // (the specification's example) | map: count 1=02, "x"=02 78, 1=02, end 00.
  assert.equal(hex(bytes), "0105000000000000f83f0404e2040636000202780200");
  const out: RowData[] = [];
  createRecordDecoder("avro", type, {}).decode(bytes, out);
  assert.deepEqual(out, [{ kind: 0, fields: [true, -3n, 1.5, 1250n, [3n, 27n], new Map([["x", 1]])] }]);
});

test("avro derives Flink's schema: nullable unions with null first, named records", () => {
  const type = T.row([
    { name: "id", type: T.bigint(false) },
    { name: "ts", type: T.timestamp(3) },
    { name: "nested", type: T.row([{ name: "x", type: T.decimal(10, 2) }]) },
  ]);
  assert.deepEqual(avroSchemaFor(type), {
    type: "record",
    name: "record",
    namespace: "org.apache.flink.avro.generated",
    fields: [
      { name: "id", type: "long" },
      { name: "ts", type: ["null", { type: "long", logicalType: "timestamp-millis" }], default: null },
      {
        name: "nested",
        type: [
          "null",
          {
            type: "record",
            name: "record_nested",
            fields: [
              {
                name: "x",
                type: ["null", { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 }],
                default: null,
              },
            ],
          },
        ],
        default: null,
      },
    ],
  });
});

test("avro reports truncated or trailing data; ignore-parse-errors skips it", () => {
  const type = T.row([{ name: "s", type: T.string(false) }]);
  const decoder = createRecordDecoder("avro", type, {});
  assert.throws(() => decoder.decode(new Uint8Array([0x06, 0x66]), []), /truncated Avro data/);
  assert.throws(() => decoder.decode(new Uint8Array([0x00, 0x01]), []), /1 trailing byte/);
  const out: RowData[] = [];
  createRecordDecoder("avro", type, { "avro.ignore-parse-errors": "true" }).decode(
    new Uint8Array([0x06]),
    out,
  );
  assert.deepEqual(out, []);
  assert.throws(
    () => createRecordEncoder("avro", type, {}).encode({ kind: 0, fields: [null] }),
    /field 's' is null/,
  );
});

test("avro round-trips arbitrary rows (property)", () => {
  const type = T.row([
    { name: "i", type: T.int() },
    { name: "l", type: T.bigint() },
    { name: "s", type: T.string() },
    { name: "d", type: T.decimal(20, 3) },
    { name: "ts", type: T.timestamp(3) },
    { name: "bytes", type: T.bytes() },
  ]);
  const encoder = createRecordEncoder("avro", type, {});
  const decoder = createRecordDecoder("avro", type, {});
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      fc.option(fc.string()),
      fc.option(fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n })),
      fc.option(fc.integer({ min: -(2 ** 40), max: 2 ** 42 })),
      fc.option(fc.uint8Array()),
      (...fields) => {
        const out: RowData[] = [];
        decoder.decode(encoder.encode({ kind: 0, fields }), out);
        assert.deepEqual(out, [{ kind: 0, fields }]);
      },
    ),
  );
});

test("avro writes TIMESTAMP(6) as timestamp-micros, every microsecond kept both ways", () => {
  const type = T.row([{ name: "ts", type: T.timestamp(6, false) }]);
  const encoder = createRecordEncoder("avro", type, {});
  // 1970-01-01 00:00:00.000001 is 1 µs: zig-zag 1 = 02. One before the epoch, -1 µs: zig-zag 01.
  assert.equal(hex(encoder.encode({ kind: 0, fields: [0.001] })), "02");
  assert.equal(hex(encoder.encode({ kind: 0, fields: [-0.001] })), "01");
  const micros = Date.UTC(2020, 3, 15, 8, 5, 0) * 1000 + 123_456;
  const millis = (Date.UTC(2020, 3, 15, 8, 5, 0) * 1000 + 123_456) / 1000;
  const bytes = encoder.encode({ kind: 0, fields: [millis] });
  // The long written is the microseconds, decoded independently of the format's reader.
  let value = 0n;
  let shift = 0n;
  for (const byte of bytes) {
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  }
  assert.equal((value >> 1n) ^ -(value & 1n), BigInt(micros));
  const out: RowData[] = [];
  createRecordDecoder("avro", type, {}).decode(bytes, out);
  assert.deepEqual(out, [{ kind: 0, fields: [millis] }]);
});

test("avro writes TIMESTAMP(9) as timestamp-micros, the nanoseconds cut toward negative infinity", () => {
  const type = T.row([{ name: "ts", type: T.timestamp(9, false) }]);
  assert.deepEqual(avroSchemaFor(type), {
    type: "record",
    name: "record",
    namespace: "org.apache.flink.avro.generated",
    fields: [{ name: "ts", type: { type: "long", logicalType: "timestamp-micros" } }],
  });
  const encoder = createRecordEncoder("avro", type, {});
  // 1 ns after the epoch is 0 µs (zig-zag 00); 1 ns before is -1 µs (zig-zag 01); 1001 ns is 1 µs.
  assert.equal(hex(encoder.encode({ kind: 0, fields: [1n] })), "00");
  assert.equal(hex(encoder.encode({ kind: 0, fields: [-1n] })), "01");
  assert.equal(hex(encoder.encode({ kind: 0, fields: [1001n] })), "02");
  const nanos = BigInt(Date.UTC(2020, 3, 15, 8, 5, 0)) * 1_000_000n + 123_456_789n;
  const out: RowData[] = [];
  createRecordDecoder("avro", type, {}).decode(encoder.encode({ kind: 0, fields: [nanos] }), out);
  assert.deepEqual(out, [{ kind: 0, fields: [nanos - 789n] }]);
});
