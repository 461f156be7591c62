/**
 * The SQL benchmarks run end to end in their verifying variant on small inputs: every source row
 * is accounted for in the SELECT's final rows (the check each benchmark's `verify` makes).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runBenchmark } from "../benchmark.ts";
import { expectedFilteredRows, inputLine } from "./filter-projection.ts";
import { SQL_BENCHMARKS } from "./index.ts";

test("the filter keeps exactly the rows expectedFilteredRows counts", () => {
  for (const events of [0, 1, 4, 5, 6, 9, 10, 11, 123]) {
    let kept = 0;
    for (let i = 0; i < events; i++) {
      const row = JSON.parse(inputLine(i)) as { category: number; price: number };
      if (row.category < 5 && row.price >= 0) kept++;
    }
    assert.equal(expectedFilteredRows(events), kept, `events ${events}`);
  }
});

for (const benchmark of SQL_BENCHMARKS) {
  test(`${benchmark.name}: the verifying run accounts for every event`, async () => {
    const run = await runBenchmark(benchmark, { events: 2_000, verify: true });
    assert.equal(run.result.events, 2_000);
    assert.ok(run.sinkRecords !== undefined && run.sinkRecords > 0, "the verifying run counted records");
  });
}
