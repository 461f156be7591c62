/**
 * The `table.exec.emit.*` options in the planner, as Flink's WindowEmitStrategy: a legacy group
 * window takes them (EXPLAIN shows `emit=[…]`, the changelog becomes updating, an insert-only
 * consumer refuses it), a window TVF aggregation and a SESSION group window refuse them, and
 * inconsistent options fail with Flink's messages. Plans and messages are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { explain, run, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE plain (auction BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE VIEW clicks AS SELECT auction, PROCTIME() AS pt FROM plain;
CREATE TABLE appendOnly (auction BIGINT, n BIGINT) WITH ('connector' = 'append-only-test');
`;

const EARLY = {
  "table.exec.emit.early-fire.enabled": "true",
  "table.exec.emit.early-fire.delay": "1 s",
};
const LATE = {
  "table.exec.emit.late-fire.enabled": "true",
  "table.exec.emit.late-fire.delay": "0",
  "table.exec.emit.allow-lateness": "1 min",
};

const LEGACY = `SELECT auction, TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, COUNT(*) AS n
  FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)`;

function errorOf(session: ReturnType<typeof sessionOf>, sql: string): string {
  try {
    explain(session, sql);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("early / late firing of legacy group windows", () => {
  it("EXPLAIN shows the emit strategy and an updating changelog keyed by group and window", () => {
    const text = explain(sessionOf(DDL, { ...EARLY, ...LATE }), `EXPLAIN CHANGELOG_MODE ${LEGACY}`);
    const aggregate = text.split("\n").find((l) => l.includes("WindowAggregate(") && l.includes("emit="));
    assert.ok(aggregate?.includes("emit=[early delay 1000 millisecond, late no delay]"), text);
    assert.ok(aggregate?.includes("changelogMode=[I,UB,UA]"), text);
  });

  it("without the options the group window stays insert-only with no emit attribute", () => {
    const text = explain(sessionOf(DDL), `EXPLAIN CHANGELOG_MODE ${LEGACY}`);
    assert.ok(!text.includes("emit="), text);
    assert.ok(text.includes("changelogMode=[I]"), text);
  });

  it("an insert-only sink refuses the updating result, naming the window aggregation", () => {
    const message = errorOf(
      sessionOf(DDL, EARLY),
      `EXPLAIN INSERT INTO appendOnly SELECT auction, COUNT(*) FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)`,
    );
    assert.match(
      message,
      /doesn't support consuming update changes which is produced by node WindowAggregate/,
    );
  });

  it("processing time: late firing is ignored, early firing makes updates", () => {
    const legacy = `EXPLAIN CHANGELOG_MODE SELECT auction, COUNT(*) AS n FROM clicks GROUP BY auction, TUMBLE(pt, INTERVAL '10' SECOND)`;
    const late = explain(sessionOf(DDL, LATE), legacy);
    assert.ok(late.includes("changelogMode=[I]"), late);
    const early = explain(sessionOf(DDL, EARLY), legacy);
    assert.ok(early.includes("changelogMode=[I,UB,UA]"), early);
  });

  it("a window TVF aggregation refuses the options, with Flink's message", () => {
    const message = errorOf(
      sessionOf(DDL, EARLY),
      `EXPLAIN SELECT auction, window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
       GROUP BY auction, window_start, window_end`,
    );
    assert.match(
      message,
      /Currently, window table function based aggregate doesn't support early-fire and late-fire configuration 'table.exec.emit.early-fire.enabled' and 'table.exec.emit.late-fire.enabled'/,
    );
  });

  it("a SESSION group window refuses an EMIT strategy", () => {
    const message = errorOf(
      sessionOf(DDL, EARLY),
      `EXPLAIN SELECT auction, COUNT(*) FROM bids GROUP BY auction, SESSION(ts, INTERVAL '10' SECOND)`,
    );
    assert.match(message, /Session window doesn't support EMIT strategy currently/);
  });

  it("inconsistent options fail with Flink's messages", () => {
    const lateOnly = { "table.exec.emit.late-fire.enabled": "true", "table.exec.emit.late-fire.delay": "0" };
    assert.match(
      errorOf(sessionOf(DDL, lateOnly), `EXPLAIN ${LEGACY}`),
      /'AFTER WATERMARK' emit strategy requires set 'table.exec.emit.allow-lateness'/,
    );
    assert.match(
      errorOf(sessionOf(DDL, { ...LATE, "table.exec.emit.late-fire.delay": "2 min" }), `EXPLAIN ${LEGACY}`),
      /Allow-lateness \[60000ms\] should not be smaller than Late-fire delay \[120000ms\]/,
    );
    assert.match(
      errorOf(sessionOf(DDL, { "table.exec.emit.early-fire.enabled": "true" }), `EXPLAIN ${LEGACY}`),
      /Early-fire delay should not be null/,
    );
    assert.match(
      errorOf(sessionOf(DDL, { "table.exec.emit.early-fire.enabled": "yes" }), `EXPLAIN ${LEGACY}`),
      /Could not parse value 'yes' for key 'table.exec.emit.early-fire.enabled'/,
    );
  });

  it("the idle-state retention stands in for an unset allow-lateness", () => {
    const config = {
      "table.exec.emit.late-fire.enabled": "true",
      "table.exec.emit.late-fire.delay": "0",
      "table.exec.state.ttl": "1 h",
    };
    const outcome = run(sessionOf(DDL, config), LEGACY);
    assert.equal(outcome.kind, "job");
  });
});
