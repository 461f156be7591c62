import assert from "node:assert/strict";
import { test } from "node:test";
import { RowKind } from "../data/row.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { printRowText } from "./print-row-text.ts";

test("rows print as Flink's Row of Java values: kind, fields in brackets, NULL as null", () => {
  const type = T.row([
    { name: "id", type: T.bigint() },
    { name: "name", type: T.string() },
    { name: "price", type: T.decimal(10, 2) },
    { name: "ts", type: T.timestamp(3) },
    { name: "ok", type: T.boolean() },
  ]);
  assert.equal(
    printRowText(
      { kind: RowKind.INSERT, fields: [1n, "Alice", 1250n, Date.UTC(2020, 3, 15, 8, 5), true] },
      type,
      "UTC",
    ),
    "+I[1, Alice, 12.50, 2020-04-15T08:05, true]",
  );
  assert.equal(
    printRowText({ kind: RowKind.UPDATE_BEFORE, fields: [2n, null, null, null, null] }, type, "UTC"),
    "-U[2, null, null, null, null]",
  );
  assert.equal(
    printRowText(
      { kind: RowKind.DELETE, fields: [3n, "x", 0n, Date.UTC(1969, 11, 31, 23, 59, 58, 120), false] },
      type,
      "UTC",
    ),
    "-D[3, x, 0.00, 1969-12-31T23:59:58.120, false]",
  );
});

test("instants, times, bytes and nested values print as their Java types do", () => {
  const type = T.row([
    { name: "at", type: T.timestampLtz(3) },
    { name: "t", type: T.time(0) },
    { name: "b", type: T.bytes() },
    { name: "a", type: T.array(T.int()) },
    { name: "r", type: T.row([{ name: "x", type: T.int() }]) },
  ]);
  assert.equal(
    printRowText(
      {
        kind: RowKind.UPDATE_AFTER,
        fields: [
          Date.UTC(2020, 0, 1),
          8 * 3_600_000 + 5 * 60_000 + 9_000,
          new Uint8Array([1, 255]),
          [1, null],
          [7],
        ],
      },
      type,
      "Asia/Tokyo",
    ),
    "+U[2020-01-01T00:00:00Z, 08:05:09, [1, -1], [1, null], +I[7]]",
  );
});

test("TIMESTAMP(9) prints as LocalDateTime does: the fraction in groups of three digits", () => {
  const type = T.row([
    { name: "a", type: T.timestamp(9) },
    { name: "b", type: T.timestamp(9) },
    { name: "c", type: T.timestamp(9) },
    { name: "d", type: T.timestampLtz(9) },
  ]);
  const base = BigInt(Date.UTC(2020, 3, 15, 8, 5)) * 1_000_000n;
  assert.equal(
    printRowText(
      { kind: RowKind.INSERT, fields: [base + 1n, base + 120_456_000n, base, base - 1n] },
      type,
      "UTC",
    ),
    "+I[2020-04-15T08:05:00.000000001, 2020-04-15T08:05:00.120456, 2020-04-15T08:05, 2020-04-15T08:04:59.999999999Z]",
  );
});
