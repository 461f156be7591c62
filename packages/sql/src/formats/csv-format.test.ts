import assert from "node:assert/strict";
import { test } from "node:test";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { FormatError } from "./row-format.ts";
import { createRowDeserializer, createRowSerializer } from "./row-formats.ts";

const context = { tableName: "t", timeZone: "UTC" };
const rowType = T.row([
  { name: "id", type: T.int(false) },
  { name: "name", type: T.string() },
  { name: "price", type: T.decimal(10, 2) },
  { name: "day", type: T.date() },
  { name: "tags", type: T.array(T.string()) },
]);

test("reads RFC 4180 records, with quoted delimiters, quotes and empty fields", () => {
  const reader = createRowDeserializer("csv", rowType, {}, context);
  assert.deepEqual(reader.deserialize('1,"a, ""b""",12.5,2020-04-15,x;y'), [
    1,
    'a, "b"',
    1250n,
    18367,
    ["x", "y"],
  ]);
  // An unquoted empty field is NULL for every non-string column, the ARRAY included.
  assert.deepEqual(reader.deserialize("2,,,,"), [2, "", null, null, null]);
});

test("a record with a quoted line break continues on the next line", () => {
  const reader = createRowDeserializer("csv", rowType, {}, context);
  assert.equal(reader.continuesOnNextLine?.('3,"first'), true);
  assert.equal(reader.continuesOnNextLine?.('3,"first\nsecond",1,2020-01-01,'), false);
  assert.deepEqual(reader.deserialize('3,"first\nsecond",1,2020-01-01,'), [
    3,
    "first\nsecond",
    100n,
    18262,
    null,
  ]);
});

test("bad records fail naming the field; csv.ignore-parse-errors skips or nulls them", () => {
  const reader = createRowDeserializer("csv", rowType, {}, context);
  assert.throws(
    () => reader.deserialize("x,a,1,2020-01-01,"),
    (e: unknown) => e instanceof FormatError && /field 'id': cannot read 'x' as INT/.test(e.message),
  );
  assert.throws(() => reader.deserialize("1,a"), /expected 5 fields but found 2/);
  assert.throws(
    () => reader.deserialize(",a,1,2020-01-01,"),
    /field 'id' is empty but the column is NOT NULL/,
  );
  const lenient = createRowDeserializer("csv", rowType, { "csv.ignore-parse-errors": "true" }, context);
  assert.equal(lenient.deserialize("1,a"), null);
  assert.deepEqual(lenient.deserialize("1,a,zz,2020-01-01,"), [1, "a", null, 18262, null]);
});

test("delimiter, null literal and comments options", () => {
  const options = { "csv.field-delimiter": "|", "csv.null-literal": "N/A", "csv.allow-comments": "true" };
  const reader = createRowDeserializer("csv", rowType, options, context);
  assert.equal(reader.deserialize("# a comment"), null);
  assert.deepEqual(reader.deserialize("7|N/A|1.00|N/A|a"), [7, null, 100n, null, ["a"]]);
  const writer = createRowSerializer("csv", rowType, options, context);
  assert.equal(writer.serialize([7, null, 100n, 18262, ["a", "b"]]), "7|N/A|1.00|2020-01-01|a;b");
  assert.throws(
    () => createRowDeserializer("csv", rowType, { "csv.field-delimiter": "||" }, context),
    /'\|\|' \(expected a single character\)/,
  );
});

test("writes quotes only where needed and reads its own output back", () => {
  const writer = createRowSerializer("csv", rowType, {}, context);
  const reader = createRowDeserializer("csv", rowType, {}, context);
  const row = [1, 'He said "hi", then\nleft', -5n, -1, ["p", "q"]];
  const text = writer.serialize(row);
  assert.equal(text, '1,"He said ""hi"", then\nleft",-0.05,1969-12-31,p;q');
  assert.deepEqual(reader.deserialize(text), row);
});

test("nested ROW and MAP columns are refused", () => {
  const nested = T.row([{ name: "m", type: T.map(T.string(), T.int()) }]);
  assert.throws(
    () => createRowDeserializer("csv", nested, {}, context),
    /does not support column 'm' of type MAP/,
  );
  assert.throws(
    () => createRowSerializer("csv", nested, {}, context),
    /does not support column 'm' of type MAP/,
  );
});

test("raw format: one STRING column", () => {
  const raw = T.row([{ name: "line", type: T.string() }]);
  assert.deepEqual(createRowDeserializer("raw", raw, {}, context).deserialize("a,b"), ["a,b"]);
  assert.equal(createRowSerializer("raw", raw, {}, context).serialize(["x"]), "x");
  assert.throws(
    () => createRowDeserializer("raw", rowType, {}, context),
    /exactly one physical column, but table 't' has 5/,
  );
});
