import assert from "node:assert/strict";
import { test } from "node:test";
import { displayWidth, receivedSummary, renderTableau, rowsInSetSummary } from "./tableau.ts";

test("renders Flink's boxed table with right-aligned cells", () => {
  assert.deepEqual(
    renderTableau(
      ["op", "name", "cnt"],
      [
        ["+I", "Alice", "1"],
        ["-U", "Bob", "<NULL>"],
      ],
    ),
    [
      "+----+-------+--------+",
      "| op |  name |    cnt |",
      "+----+-------+--------+",
      "| +I | Alice |      1 |",
      "| -U |   Bob | <NULL> |",
      "+----+-------+--------+",
    ],
  );
});

test("wide characters take two columns", () => {
  assert.equal(displayWidth("名字"), 4);
  assert.deepEqual(renderTableau(["n"], [["名字"]]), [
    "+------+",
    "|    n |",
    "+------+",
    "| 名字 |",
    "+------+",
  ]);
});

test("summaries follow Flink's wording", () => {
  assert.equal(rowsInSetSummary(0), "Empty set");
  assert.equal(rowsInSetSummary(1), "1 row in set");
  assert.equal(rowsInSetSummary(3), "3 rows in set");
  assert.equal(receivedSummary(1), "Received a total of 1 row");
  assert.equal(receivedSummary(2), "Received a total of 2 rows");
});
