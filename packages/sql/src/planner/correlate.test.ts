/**
 * Table functions and UNNEST in FROM in the planner: LATERAL TABLE and UNNEST become a Correlate
 * over the left side, pass their input's changelog through, and bad uses fail with clear errors.
 * Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tableFunction } from "../functions/user-functions.ts";
import { parseStatement, parseStatements } from "../parse.ts";
import { SqlSession } from "../session/sql-session.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

const SPLIT = tableFunction({
  parameters: [LogicalTypes.string()],
  columns: [{ name: "word", type: LogicalTypes.string() }],
  *eval() {},
});

const DDL = `
CREATE TABLE t (id INT, s STRING, tags ARRAY<STRING>) WITH ('connector' = 'datagen');
CREATE TABLE u (id INT, s STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'values', 'changelog-mode' = 'I,UB,UA,D');
`;

function session(): SqlSession {
  const s = new SqlSession({ functions: { split: SPLIT } });
  for (const statement of parseStatements(DDL)) s.execute(statement);
  return s;
}

function physical(s: SqlSession, sql: string): string[] {
  const outcome = s.execute(parseStatement(sql));
  if (outcome.kind !== "table") throw new Error(`EXPLAIN returned ${outcome.kind}`);
  return outcome.rows[0]![0]!.split("== Optimized Physical Plan ==\n")[1]!.trim().split("\n");
}

describe("correlate planning", () => {
  const s = session();

  it("a comma join with LATERAL TABLE plans an INNER Correlate over the scan", () => {
    assert.deepEqual(physical(s, "EXPLAIN SELECT id, word FROM t, LATERAL TABLE(split(s)) AS w(word)"), [
      "Calc(select=[id, word])",
      "+- Correlate(invocation=[SPLIT(s)], select=[id, s, tags, word], joinType=[INNER])",
      // `tags` is read by nobody, so the scan is told to skip it.
      "   +- TableSourceScan(table=[[default_catalog, default_database, t, project=[id, s]]], fields=[id, s, tags])",
    ]);
  });

  it("LEFT JOIN … ON TRUE plans a LEFT Correlate; UNNEST WITH ORDINALITY adds the position", () => {
    const lines = physical(s, "EXPLAIN SELECT * FROM t LEFT JOIN LATERAL TABLE(split(s)) AS w(word) ON TRUE");
    assert.equal(lines[0], "Correlate(invocation=[SPLIT(s)], select=[id, s, tags, word], joinType=[LEFT])");
    const unnest = physical(
      s,
      "EXPLAIN SELECT id, x, n FROM t CROSS JOIN UNNEST(t.tags) WITH ORDINALITY AS v(x, n)",
    );
    assert.equal(
      unnest[1],
      "+- Correlate(invocation=[UNNEST(tags)], select=[id, s, tags, x, n], joinType=[INNER])",
    );
  });

  it("a Correlate passes its input's changelog through", () => {
    const lines = physical(s, "EXPLAIN CHANGELOG_MODE SELECT * FROM u, LATERAL TABLE(split(s)) AS w(word)");
    assert.match(lines[0]!, /^Correlate\(.*joinType=\[INNER\], changelogMode=\[I,UB,UA,D\]\)$/);
  });

  it("refuses RIGHT and FULL joins and unknown functions", () => {
    const plan = (sql: string) => () => s.execute(parseStatement(sql));
    assert.throws(plan("SELECT * FROM t RIGHT JOIN LATERAL TABLE(split(s)) ON TRUE"), SqlValidationError);
    assert.throws(
      plan("SELECT * FROM t FULL JOIN LATERAL TABLE(split(s)) ON TRUE"),
      /FULL join with a table function is not supported/,
    );
    assert.throws(
      plan("SELECT * FROM t, LATERAL TABLE(nope(s))"),
      /No match found for function signature nope/,
    );
  });
});
