import assert from "node:assert/strict";
import { test } from "node:test";
import { type LogicalRowType, RowKind } from "@weir/sql";
import { renderResult } from "./result-printer.ts";
import type { DetailedStatementResult } from "./run-sql-script.ts";

const schema: LogicalRowType = {
  kind: "ROW",
  nullable: false,
  fields: [
    { name: "k", type: { kind: "VARCHAR", length: 2147483647, nullable: true } },
    { name: "total", type: { kind: "DECIMAL", precision: 10, scale: 2, nullable: true } },
  ],
};

const select: DetailedStatementResult = {
  kind: "select",
  line: 1,
  schema,
  changelog: [
    { kind: RowKind.INSERT, fields: ["a", 100n] },
    { kind: RowKind.UPDATE_BEFORE, fields: ["a", 100n] },
    { kind: RowKind.UPDATE_AFTER, fields: ["a", 250n] },
    { kind: RowKind.INSERT, fields: [null, null] },
  ],
  rows: [
    ["a", 250n],
    [null, null],
  ],
  timeZone: "UTC",
};

test("jsonl prints only data: final rows and SHOW rows as JSON objects", () => {
  assert.equal(renderResult(select, "jsonl"), '{"k":"a","total":"2.50"}\n{"k":null,"total":null}\n');
  assert.equal(renderResult({ kind: "ok", line: 1, message: "Execute statement succeeded." }, "jsonl"), "");
  assert.equal(
    renderResult({ kind: "insert", line: 1, jobName: "j", completedCheckpoints: 0, restarts: 0 }, "jsonl"),
    "",
  );
  assert.equal(
    renderResult({ kind: "table", line: 1, columns: ["table name"], rows: [["t"], ["u"]] }, "jsonl"),
    '{"table name":"t"}\n{"table name":"u"}\n',
  );
});

test("tableau shows the final rows; changelog every change with its op", () => {
  assert.equal(
    renderResult(select, "tableau"),
    [
      "+--------+--------+",
      "|      k |  total |",
      "+--------+--------+",
      "|      a |   2.50 |",
      "| <NULL> | <NULL> |",
      "+--------+--------+",
      "2 rows in set",
      "",
    ].join("\n"),
  );
  assert.equal(
    renderResult(select, "changelog"),
    [
      "+----+--------+--------+",
      "| op |      k |  total |",
      "+----+--------+--------+",
      "| +I |      a |   1.00 |",
      "| -U |      a |   1.00 |",
      "| +U |      a |   2.50 |",
      "| +I | <NULL> | <NULL> |",
      "+----+--------+--------+",
      "Received a total of 4 rows",
      "",
    ].join("\n"),
  );
  assert.equal(renderResult({ ...select, rows: [], changelog: [] }, "tableau"), "Empty set\n");
});

test("messages print as [INFO], a one-cell multi-line table (EXPLAIN) as plain text", () => {
  assert.equal(
    renderResult({ kind: "ok", line: 1, message: "Execute statement succeeded." }, "tableau"),
    "[INFO] Execute statement succeeded.\n",
  );
  assert.equal(
    renderResult({ kind: "table", line: 1, columns: ["result"], rows: [["== Plan ==\nCalc"]] }, "tableau"),
    "== Plan ==\nCalc\n",
  );
});
