/**
 * The `scan.watermark.*` framework options in the planner (Flink's FLIP-296): every connector
 * accepts them, the WITH clause and an OPTIONS hint set them (the hint wins), EXPLAIN shows a
 * non-default emission the way Flink's source digest does, the session's
 * `table.exec.source.idle-timeout` is the idle-timeout fallback, and bad values fail naming table,
 * key and value. Plans and messages are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTableOptions } from "../connectors/connector-options.ts";
import { ConnectorOptionError } from "../connectors/table-connector.ts";
import { explain, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = (options: string) => `
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen'${options});
`;

const QUERY = "EXPLAIN SELECT auction, price FROM bids WHERE price > 10";

function assignerLines(text: string): string[] {
  return text.split("\n").filter((l) => l.includes("WatermarkAssigner("));
}

function errorOf(ddl: string, sql: string, config: Record<string, string> = {}): string {
  try {
    explain(sessionOf(ddl, config), sql);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("scan.watermark.* options", () => {
  it("a table without them plans as before: no emission attributes", () => {
    const lines = assignerLines(explain(sessionOf(DDL("")), QUERY));
    assert.equal(lines.length, 2, "abstract syntax tree and optimized plan");
    for (const line of lines) assert.ok(!line.includes("watermarkEmitStrategy"), line);
  });

  it("'on-event' in WITH shows as watermarkEmitStrategy=[on-event] in both plans", () => {
    const text = explain(sessionOf(DDL(", 'scan.watermark.emit.strategy' = 'on-event'")), QUERY);
    const lines = assignerLines(text);
    assert.equal(lines.length, 2, text);
    for (const line of lines) assert.ok(line.includes("watermarkEmitStrategy=[on-event]"), line);
    assert.ok(
      text.includes(
        "WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)], watermarkEmitStrategy=[on-event])",
      ),
      text,
    );
  });

  it("an explicit 'on-periodic' is the default and plans as a table without the option", () => {
    const text = explain(sessionOf(DDL(", 'scan.watermark.emit.strategy' = 'ON-PERIODIC'")), QUERY);
    for (const line of assignerLines(text)) assert.ok(!line.includes("watermarkEmitStrategy"), line);
  });

  it("an OPTIONS hint sets the strategy, and overrides the WITH clause", () => {
    const hinted = explain(
      sessionOf(DDL("")),
      "EXPLAIN SELECT auction FROM bids /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-event') */",
    );
    assert.ok(hinted.includes("watermarkEmitStrategy=[on-event]"), hinted);
    const overridden = explain(
      sessionOf(DDL(", 'scan.watermark.emit.strategy' = 'on-event'")),
      "EXPLAIN SELECT auction FROM bids /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-periodic') */",
    );
    assert.ok(!overridden.includes("watermarkEmitStrategy"), overridden);
  });

  it("the hint reaches a legacy group window's source", () => {
    const text = explain(
      sessionOf(DDL("")),
      `EXPLAIN SELECT auction, COUNT(*) AS n FROM bids /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-event') */
       GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND)`,
    );
    assert.ok(text.includes("watermarkEmitStrategy=[on-event]"), text);
  });

  it("idle timeout: the table's option, else table.exec.source.idle-timeout; 0 means never", () => {
    const own = explain(sessionOf(DDL(", 'scan.watermark.idle-timeout' = '1 min'")), QUERY);
    assert.ok(own.includes("idletimeout=[60000], watermarkEmitStrategy=[on-periodic]"), own);
    const global = explain(sessionOf(DDL(""), { "table.exec.source.idle-timeout": "5 s" }), QUERY);
    assert.ok(global.includes("idletimeout=[5000], watermarkEmitStrategy=[on-periodic]"), global);
    const tableWins = explain(
      sessionOf(DDL(", 'scan.watermark.idle-timeout' = '2 s'"), { "table.exec.source.idle-timeout": "5 s" }),
      QUERY,
    );
    assert.ok(tableWins.includes("idletimeout=[2000]"), tableWins);
    const never = explain(sessionOf(DDL(""), { "table.exec.source.idle-timeout": "0" }), QUERY);
    assert.ok(!never.includes("idletimeout"), never);
  });

  it("alignment needs group and max-drift together", () => {
    const text = explain(
      sessionOf(
        DDL(", 'scan.watermark.alignment.group' = 'g1', 'scan.watermark.alignment.max-drift' = '1 min'"),
      ),
      QUERY,
    );
    assert.ok(text.includes("watermarkAlignment=[g1, 60000, 1000]"), text);
    assert.match(
      errorOf(DDL(", 'scan.watermark.alignment.group' = 'g1'"), QUERY),
      /'scan.watermark.alignment.group' and 'scan.watermark.alignment.max-drift' must be set/,
    );
  });

  it("bad values name the table, key and value", () => {
    assert.match(
      errorOf(DDL(", 'scan.watermark.emit.strategy' = 'sometimes'"), QUERY),
      /Invalid value for option 'scan.watermark.emit.strategy' of table 'bids': 'sometimes' \(expected one of on-event, on-periodic\)/,
    );
    assert.match(
      errorOf(DDL(", 'scan.watermark.idle-timeout' = 'soon'"), QUERY),
      /Invalid value for option 'scan.watermark.idle-timeout' of table 'bids': 'soon'/,
    );
    assert.match(
      errorOf(DDL(""), QUERY, { "table.exec.source.idle-timeout": "later" }),
      /table.exec.source.idle-timeout/,
    );
  });

  it("connectors accept the framework options but still refuse unknown ones", () => {
    const table = {
      kind: "table" as const,
      name: "t",
      columns: [],
      watermark: null,
      primaryKey: null,
      partitionKeys: [],
      temporary: false,
    };
    const spec = { required: [], optional: ["rows-per-second"] };
    checkTableOptions(
      "datagen",
      {
        ...table,
        options: {
          connector: "datagen",
          "scan.watermark.emit.strategy": "on-event",
          "scan.watermark.idle-timeout": "1 s",
          "scan.watermark.alignment.group": "g",
          "scan.watermark.alignment.max-drift": "1 s",
          "scan.watermark.alignment.update-interval": "1 s",
        },
      },
      spec,
    );
    assert.throws(
      () =>
        checkTableOptions(
          "datagen",
          { ...table, options: { connector: "datagen", "scan.watermark.emit.strategie": "on-event" } },
          spec,
        ),
      (e: unknown) =>
        e instanceof ConnectorOptionError && e.message.includes("'scan.watermark.emit.strategie'"),
    );
  });
});
