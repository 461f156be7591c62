/**
 * When the planner splits a window aggregation in two phases (Flink's
 * TwoStageOptimizedWindowAggregateRule): AUTO and TWO_PHASE on event-time TUMBLE / HOP / CUMULATE;
 * DISTINCT included; ONE_PHASE, processing time, SESSION and early / late firing stay one phase. Plans are
 * handwritten from Flink's EXPLAIN output.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { explain, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE plain (auction BIGINT, price BIGINT) WITH ('connector' = 'datagen');
CREATE VIEW clicks AS SELECT auction, price, PROCTIME() AS pt FROM plain;
`;

function plan(config: Record<string, string>, sql: string): string[] {
  const text = explain(sessionOf(DDL, config), `EXPLAIN ${sql}`);
  return text.split("== Optimized Physical Plan ==\n")[1]!.trim().split("\n");
}

const HOP = `SELECT auction, window_start, window_end, COUNT(*) AS n, SUM(price) AS total
  FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end`;

describe("two-phase window aggregation planning", () => {
  for (const strategy of ["AUTO", "TWO_PHASE"]) {
    it(`${strategy}: Local → Exchange on the key → Global, with Flink's EXPLAIN`, () => {
      const lines = plan({ "table.optimizer.agg-phase-strategy": strategy }, HOP);
      assert.deepEqual(
        lines.slice(1, 4).map((l) => l.trim()),
        [
          "+- GlobalWindowAggregate(groupBy=[auction], window=[HOP(slice_end=[$slice_end], size=[10 s], slide=[2 s])], select=[auction, COUNT(count$0) AS n, SUM(sum$1) AS total, start('w$) AS window_start, end('w$) AS window_end])",
          "+- Exchange(distribution=[hash[auction]])",
          "+- LocalWindowAggregate(groupBy=[auction], window=[HOP(time_col=[ts], size=[10 s], slide=[2 s])], select=[auction, COUNT(*) AS count$0, SUM(price) AS sum$1, slice_end('w$) AS $slice_end])",
        ],
        lines.join("\n"),
      );
    });
  }

  it("a global aggregation (no key) gathers the partials on one subtask", () => {
    const lines = plan(
      {},
      `SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
       GROUP BY window_start, window_end`,
    );
    assert.ok(
      lines.some((l) => l.includes("Exchange(distribution=[single])")),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes("LocalWindowAggregate(window=[TUMBLE(")),
      lines.join("\n"),
    );
  });

  it("with a filter between the TVF and the aggregation, the attached windows are split too", () => {
    const lines = plan(
      {},
      `SELECT auction, window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
       WHERE price > 10 GROUP BY auction, window_start, window_end`,
    );
    const text = lines.join("\n");
    assert.ok(
      text.includes(
        "GlobalWindowAggregate(groupBy=[auction], window=[TUMBLE(slice_end=[$slice_end])], select=[auction, window_start, window_end, COUNT(count$0) AS n])",
      ),
      text,
    );
    assert.ok(text.includes("Exchange(distribution=[hash[auction, window_start, window_end]])"), text);
    assert.ok(
      text.includes(
        "LocalWindowAggregate(groupBy=[auction], window=[TUMBLE(win_start=[window_start], win_end=[window_end])], select=[auction, window_start, window_end, COUNT(*) AS count$0, slice_end('w$) AS $slice_end])",
      ),
      text,
    );
  });

  it("DISTINCT calls are split too: the local phase ships their distinct values", () => {
    const lines = plan(
      {},
      `SELECT auction, COUNT(DISTINCT price) AS prices FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
       GROUP BY auction, window_start, window_end`,
    );
    assert.ok(
      lines.some((l) =>
        l.includes("select=[auction, COUNT(DISTINCT price) AS count$0, slice_end('w$) AS $slice_end]"),
      ),
      lines.join("\n"),
    );
  });

  const onePhase: [string, Record<string, string>, string][] = [
    ["ONE_PHASE", { "table.optimizer.agg-phase-strategy": "ONE_PHASE" }, HOP],
    [
      "processing time",
      {},
      `SELECT auction, COUNT(*) FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(pt), INTERVAL '10' SECOND))
       GROUP BY auction, window_start, window_end`,
    ],
    [
      "SESSION",
      {},
      `SELECT auction, COUNT(*) FROM TABLE(SESSION(TABLE bids PARTITION BY auction, DESCRIPTOR(ts), INTERVAL '10' SECOND))
       GROUP BY auction, window_start, window_end`,
    ],
    [
      "early firing of a legacy group window",
      { "table.exec.emit.early-fire.enabled": "true", "table.exec.emit.early-fire.delay": "1 s" },
      "SELECT auction, COUNT(*) FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)",
    ],
  ];
  for (const [what, config, sql] of onePhase) {
    it(`${what}: one phase`, () => {
      const lines = plan(config, sql);
      assert.ok(
        lines.some((l) => l.includes("WindowAggregate(")),
        lines.join("\n"),
      );
      assert.ok(!lines.some((l) => l.includes("LocalWindowAggregate")), lines.join("\n"));
    });
  }
});
