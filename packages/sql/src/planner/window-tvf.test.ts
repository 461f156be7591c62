/**
 * Window table functions in the planner: the TVF's columns, window aggregation recognized under
 * GROUP BY window_start, window_end (insert-only, unlike a group aggregation), the legacy
 * group-window syntax rewritten onto it, and Flink's validation errors. Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { explain, run, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE plain (auction BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE VIEW clicks AS SELECT auction, PROCTIME() AS pt FROM plain;
`;

/** The lines of the optimized physical plan. */
function physical(text: string): string[] {
  return text.split("== Optimized Physical Plan ==\n")[1]!.trim().split("\n");
}

describe("window table functions", () => {
  const session = sessionOf(DDL);

  it("TUMBLE appends window_start, window_end and a rowtime window_time", () => {
    const outcome = run(
      session,
      "SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))",
    );
    assert.equal(outcome.kind, "job");
    const fields = outcome.kind === "job" ? outcome.schema!.fields : [];
    assert.deepEqual(
      fields.map((f) => f.name),
      ["auction", "price", "ts", "window_start", "window_end", "window_time"],
    );
    assert.equal(fields[5]!.type.kind === "TIMESTAMP" && fields[5]!.type.timeAttribute, "rowtime");
    assert.equal(fields[3]!.type.nullable, false);
  });

  it("GROUP BY window_start, window_end plans an insert-only WindowAggregate", () => {
    // One phase here; the two-phase split (Flink's default) is tested in window-two-phase.test.ts.
    const text = explain(
      sessionOf(DDL, { "table.optimizer.agg-phase-strategy": "ONE_PHASE" }),
      `EXPLAIN CHANGELOG_MODE SELECT auction, window_start, window_end, COUNT(*) AS num
       FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
       GROUP BY auction, window_start, window_end`,
    );
    const lines = physical(text);
    const aggregate = lines.find((l) => l.includes("WindowAggregate("));
    assert.match(
      aggregate ?? "",
      /WindowAggregate\(groupBy=\[auction\], window=\[HOP\(.*changelogMode=\[I\]\)$/,
    );
    // Only projections lie between the TVF and the aggregation: the aggregation assigns the
    // windows itself (no row copied per window), so no WindowTableFunction node remains.
    assert.ok(aggregate?.includes("window=[HOP(time_col=[ts], size=[10 s], slide=[2 s])]"), text);
    assert.ok(!lines.some((l) => l.includes("WindowTableFunction(")), text);
    assert.ok(!text.includes("GroupAggregate"), "not an updating group aggregation");
  });

  it("named arguments and an offset", () => {
    const text = explain(
      session,
      `EXPLAIN SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(DATA => TABLE bids, TIMECOL => DESCRIPTOR(ts),
       SIZE => INTERVAL '1' MINUTE, OFFSET => INTERVAL '15' SECOND)) GROUP BY window_start, window_end`,
    );
    assert.ok(text.includes("TUMBLE(time_col=[ts], size=[1 min], offset=[15 s])"), text);
  });

  it("the legacy GROUP BY TUMBLE / SESSION syntax plans the same operators", () => {
    const tumble = explain(
      session,
      `EXPLAIN SELECT auction, TUMBLE_START(ts, INTERVAL '10' SECOND) AS s, TUMBLE_END(ts, INTERVAL '10' SECOND) AS e, COUNT(*)
       FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)`,
    );
    assert.ok(
      physical(tumble).some((l) => l.includes("WindowAggregate(groupBy=[auction], window=[TUMBLE(")),
      tumble,
    );
    const sessionWindow = explain(
      session,
      `EXPLAIN SELECT B.auction, COUNT(*), SESSION_START(B.ts, INTERVAL '10' SECOND), SESSION_END(B.ts, INTERVAL '10' SECOND)
       FROM bids B GROUP BY B.auction, SESSION(B.ts, INTERVAL '10' SECOND)`,
    );
    assert.ok(
      physical(sessionWindow).some((l) =>
        l.includes("WindowAggregate(groupBy=[auction], window=[SESSION(time_col=[ts], gap=[10 s])]"),
      ),
      sessionWindow,
    );
  });

  it("processing-time windows over a PROCTIME() column", () => {
    const text = explain(
      session,
      `EXPLAIN SELECT auction, COUNT(*) FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(pt), INTERVAL '10' SECOND))
       GROUP BY auction, window_start, window_end`,
    );
    assert.ok(text.includes("WindowAggregate(groupBy=[auction], window=[TUMBLE("), text);
  });

  it("errors: a column that is no time attribute, a missing window_end, HOP sizes, unknown parameters", () => {
    const cases: [string, RegExp][] = [
      [
        "SELECT * FROM TABLE(TUMBLE(TABLE plain, DESCRIPTOR(ts), INTERVAL '10' SECOND))",
        /requires the timecol to be a time attribute type, but is TIMESTAMP/,
      ],
      [
        "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start",
        /must group by both window_start and window_end/,
      ],
      [
        "SELECT * FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '3' SECOND, INTERVAL '10' SECOND))",
        /size must be an integral multiple of slide/,
      ],
      [
        "SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(nope), INTERVAL '10' SECOND))",
        /Column 'nope' not found in table 'bids'/,
      ],
      [
        "SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts)))",
        /Invalid number of arguments to function 'TUMBLE'/,
      ],
      [
        "SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), WIDTH => INTERVAL '1' SECOND))",
        /TUMBLE has no parameter 'WIDTH'/,
      ],
    ];
    for (const [sql, message] of cases) {
      assert.throws(
        () => session.execute(parseStatement(sql)),
        (error: unknown) => error instanceof SqlValidationError && message.test(error.message),
        sql,
      );
    }
  });
});
