/**
 * Window joins in the planner: a join equating window_start and window_end of two window TVFs
 * plans an insert-only WindowJoin hashed on all equi-keys; Flink's refusals for partial window
 * conditions and different windowings. Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqlValidationError } from "./sql-validation-error.ts";
import { physicalPlan, run, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE l (id INT, v STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
CREATE TABLE r (id INT, w STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
CREATE TABLE ur (id INT, w STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'upsert-test');
`;

const tumble = (table: string, seconds = 10) =>
  `(SELECT * FROM TABLE(TUMBLE(TABLE ${table}, DESCRIPTOR(ts), INTERVAL '${seconds}' SECOND)))`;

describe("window join planning", () => {
  const session = sessionOf(DDL);

  it("equal windows on both sides plan a WindowJoin, insert-only", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN CHANGELOG_MODE SELECT L.id, L.v, R.w FROM ${tumble("l")} L LEFT JOIN ${tumble("r")} R
         ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.id = R.id`,
      ),
      [
        "Calc(select=[id, v, w], changelogMode=[I])",
        "+- WindowJoin(leftWindow=[TUMBLE(win_start=[window_start], win_end=[window_end], size=[10 s])], rightWindow=[TUMBLE(win_start=[window_start], win_end=[window_end], size=[10 s])], joinType=[LeftOuterJoin], where=[AND(AND(=(window_start, window_start), =(window_end, window_end)), =(id, id))], select=[id, v, window_start, window_end, id, w, window_start, window_end], changelogMode=[I])",
        "   :- Exchange(distribution=[hash[window_start, window_end, id]], changelogMode=[I])",
        "   :  +- Calc(select=[id, v, window_start, window_end], changelogMode=[I])",
        "   :     +- WindowTableFunction(window=[TUMBLE(time_col=[ts], size=[10 s])], changelogMode=[I])",
        "   :        +- WatermarkAssigner(rowtime=[ts], watermark=[ts], changelogMode=[I])",
        "   :           +- TableSourceScan(table=[[default_catalog, default_database, l]], fields=[id, v, ts], changelogMode=[I])",
        "   +- Exchange(distribution=[hash[window_start, window_end, id]], changelogMode=[I])",
        "      +- Calc(select=[id, w, window_start, window_end], changelogMode=[I])",
        "         +- WindowTableFunction(window=[TUMBLE(time_col=[ts], size=[10 s])], changelogMode=[I])",
        "            +- WatermarkAssigner(rowtime=[ts], watermark=[ts], changelogMode=[I])",
        "               +- TableSourceScan(table=[[default_catalog, default_database, r]], fields=[id, w, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("refuses a condition with only window_start, and different windows", () => {
    const cases: [string, RegExp][] = [
      [
        `SELECT * FROM ${tumble("l")} L JOIN ${tumble("r")} R ON L.window_start = R.window_start AND L.id = R.id`,
        /window join requires the join condition to contain window_start equality and window_end equality/,
      ],
      [
        `SELECT * FROM ${tumble("l")} L JOIN ${tumble("r", 20)} R
         ON L.window_start = R.window_start AND L.window_end = R.window_end`,
        /The window of the left input and the right input of a window join must be the same/,
      ],
    ];
    for (const [sql, message] of cases) {
      assert.throws(
        () => run(session, sql),
        (error: unknown) => error instanceof SqlValidationError && message.test(error.message),
        sql,
      );
    }
  });

  it("a join that does not equate windows stays a regular join", () => {
    const plan = physicalPlan(
      session,
      `EXPLAIN SELECT * FROM ${tumble("l")} L JOIN ${tumble("r")} R ON L.id = R.id`,
    );
    assert.match(plan, /^Join\(joinType=\[InnerJoin\]/);
  });

  it("refuses an updating input at planning, with Flink's error, so EXPLAIN refuses it too", () => {
    const sql = `SELECT L.id, R.w FROM ${tumble("l")} L JOIN ${tumble("ur")} R
      ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.id = R.id`;
    for (const statement of [sql, `EXPLAIN ${sql}`]) {
      assert.throws(
        () => run(session, statement),
        (error: unknown) =>
          error instanceof SqlValidationError &&
          /StreamPhysicalWindowJoin doesn't support consuming update( and delete)? changes which is produced by node TableSourceScan\(table=\[\[default_catalog, default_database, ur/.test(
            error.message,
          ),
        statement,
      );
    }
  });
});
