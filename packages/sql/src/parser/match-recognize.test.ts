/**
 * Tests for MATCH_RECOGNIZE: every clause, pattern precedence and quantifiers, RUNNING/FINAL
 * measures, the Nexmark CEP queries as summarized in the reference notes (§2.3), round trips
 * through the printer, and errors for missing required clauses.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { MatchRecognize } from "../ast/match-recognize.ts";
import type { Select } from "../ast/queries.ts";
import { SqlSyntaxError } from "../errors.ts";
import { parseQuery, parseStatements } from "../parse.ts";
import { printExpression } from "../printer/expressions.ts";
import { printRowPattern } from "../printer/match-recognize.ts";
import { printStatements } from "../printer/statements.ts";
import { withoutSpans } from "../testing/trees.ts";

function matchOf(sql: string): MatchRecognize {
  const body = parseQuery(sql).body as Select;
  assert.equal(body.kind, "select");
  const from = body.from;
  assert.ok(from?.kind === "match-recognize", `not a MATCH_RECOGNIZE: ${from?.kind}`);
  return from;
}

/** The Flink documentation's example: a V-shaped price movement. */
const FLINK_EXAMPLE = `
SELECT *
FROM Ticker
    MATCH_RECOGNIZE (
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            START_ROW.rowtime AS start_tstamp,
            LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
            LAST(PRICE_UP.rowtime) AS end_tstamp
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST PRICE_UP
        PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
        DEFINE
            PRICE_DOWN AS
                (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
                    PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
            PRICE_UP AS
                PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
    ) MR`;

/** Nexmark cep-q0..q3, written out from the summaries in the reference notes (§2.3). */
const NEXMARK_CEP: Readonly<Record<string, string>> = {
  "cep-q0": `SELECT * FROM bid MATCH_RECOGNIZE (
    PARTITION BY auction, bidder ORDER BY dateTime
    MEASURES START_ROW.dateTime AS start_tstamp, LAST(PRICE_DOWN.dateTime) AS bottom_tstamp,
             LAST(PRICE_UP.dateTime) AS end_tstamp
    ONE ROW PER MATCH
    AFTER MATCH SKIP TO LAST PRICE_UP
    PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
    DEFINE
      PRICE_DOWN AS (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price)
                    OR PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
      PRICE_UP AS PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
  ) AS T`,
  "cep-q1": `SELECT * FROM bid MATCH_RECOGNIZE (
    PARTITION BY auction, bidder ORDER BY dateTime
    MEASURES FIRST(A.dateTime) AS start_tstamp, LAST(A.dateTime) AS end_tstamp, AVG(A.price) AS avg_price
    ONE ROW PER MATCH
    AFTER MATCH SKIP PAST LAST ROW
    PATTERN (A+ B)
    DEFINE A AS AVG(A.price) < 10000
  ) AS T`,
  "cep-q2": `SELECT * FROM bid MATCH_RECOGNIZE (
    PARTITION BY auction, bidder ORDER BY dateTime
    MEASURES FIRST(A.dateTime) AS start_tstamp, LAST(A.dateTime) AS end_tstamp, AVG(A.price) AS avg_price
    ONE ROW PER MATCH
    AFTER MATCH SKIP TO NEXT ROW
    PATTERN (A+ B)
    DEFINE A AS AVG(A.price) < 10000
  ) AS T`,
  "cep-q3": `SELECT * FROM bid MATCH_RECOGNIZE (
    PARTITION BY auction, bidder ORDER BY dateTime
    MEASURES C.dateTime AS drop_time, A.price - C.price AS drop_diff
    ONE ROW PER MATCH
    AFTER MATCH SKIP PAST LAST ROW
    PATTERN (A B* C) WITHIN INTERVAL '5' SECOND
    DEFINE B AS B.price > A.price - 50, C AS C.price < A.price - 50
  ) AS T`,
};

describe("MATCH_RECOGNIZE clauses", () => {
  test("the Flink documentation example", () => {
    const m = matchOf(FLINK_EXAMPLE);
    assert.equal(m.input.kind === "table-name" && m.input.name.parts[0]?.value, "Ticker");
    assert.equal(m.input.kind === "table-name" && m.input.alias, null);
    assert.deepEqual(m.partitionBy.map(printExpression), ["symbol"]);
    assert.deepEqual(
      m.orderBy.map((o) => printExpression(o.expression)),
      ["rowtime"],
    );
    assert.deepEqual(
      m.measures.map((x) => [printExpression(x.expression), x.alias.value]),
      [
        ["START_ROW.rowtime", "start_tstamp"],
        ["LAST(PRICE_DOWN.rowtime)", "bottom_tstamp"],
        ["LAST(PRICE_UP.rowtime)", "end_tstamp"],
      ],
    );
    assert.equal(m.rowsPerMatch, "ONE ROW PER MATCH");
    assert.deepEqual(withoutSpans(m.afterMatchSkip), {
      kind: "skip-to-last",
      variable: { kind: "identifier", value: "PRICE_UP" },
    });
    assert.equal(printRowPattern(m.pattern), "START_ROW PRICE_DOWN+ PRICE_UP");
    assert.deepEqual(
      m.definitions.map((d) => d.variable.value),
      ["PRICE_DOWN", "PRICE_UP"],
    );
    assert.equal(m.alias?.name.value, "MR");
    assert.equal(m.within, null);
  });

  test("AFTER MATCH SKIP variants; SKIP TO x means SKIP TO LAST x", () => {
    const skip = (clause: string) =>
      withoutSpans(
        matchOf(
          `SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts AFTER MATCH ${clause} PATTERN (A) DEFINE A AS TRUE)`,
        ).afterMatchSkip,
      );
    const a = { kind: "identifier", value: "A" };
    assert.deepEqual(skip("SKIP TO NEXT ROW"), { kind: "skip-to-next-row" });
    assert.deepEqual(skip("SKIP PAST LAST ROW"), { kind: "skip-past-last-row" });
    assert.deepEqual(skip("SKIP TO FIRST A"), { kind: "skip-to-first", variable: a });
    assert.deepEqual(skip("SKIP TO LAST A"), { kind: "skip-to-last", variable: a });
    assert.deepEqual(skip("SKIP TO A"), { kind: "skip-to-last", variable: a });
  });

  test("ALL ROWS PER MATCH, WITHIN, SUBSET, and a derived table as input", () => {
    const m = matchOf(
      "SELECT * FROM (SELECT * FROM t) MATCH_RECOGNIZE (ORDER BY ts ALL ROWS PER MATCH PATTERN (A B) WITHIN INTERVAL '1' HOUR SUBSET AB = (A, B) DEFINE A AS a > 0)",
    );
    assert.equal(m.input.kind, "derived-table");
    assert.equal(m.rowsPerMatch, "ALL ROWS PER MATCH");
    assert.equal(m.within?.qualifier.start, "HOUR");
    assert.deepEqual(
      m.subsets.map((s) => [s.name.value, s.variables.map((v) => v.value)]),
      [["AB", ["A", "B"]]],
    );
    assert.equal(m.alias, null);
  });

  test("RUNNING and FINAL measures; a column named final still works", () => {
    const m = matchOf(
      "SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts MEASURES FINAL LAST(A.p) AS f, RUNNING COUNT(A.p) AS r, final AS plain PATTERN (A+) DEFINE A AS TRUE)",
    );
    assert.deepEqual(
      m.measures.map((x) => [x.expression.kind, printExpression(x.expression)]),
      [
        ["match-semantics", "FINAL LAST(A.p)"],
        ["match-semantics", "RUNNING COUNT(A.p)"],
        ["reference", "final"],
      ],
    );
  });
});

describe("row patterns", () => {
  const pattern = (p: string) =>
    matchOf(`SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts PATTERN (${p}) DEFINE A AS TRUE)`).pattern;

  test("alternation binds looser than concatenation, which binds looser than quantifiers", () => {
    const p = pattern("A B* | C");
    assert.ok(p.kind === "pattern-alternation" && p.alternatives.length === 2);
    const first = p.alternatives[0]!;
    assert.ok(first.kind === "pattern-concatenation" && first.items[1]?.kind === "pattern-quantified");
  });

  test("quantifiers normalize to bounds, with reluctant forms", () => {
    const bounds = (q: string) => {
      const p = pattern(`A${q}`);
      assert.ok(p.kind === "pattern-quantified");
      return [p.min, p.max, p.reluctant];
    };
    assert.deepEqual(bounds("*"), [0, null, false]);
    assert.deepEqual(bounds("+"), [1, null, false]);
    assert.deepEqual(bounds("?"), [0, 1, false]);
    assert.deepEqual(bounds("*?"), [0, null, true]);
    assert.deepEqual(bounds("+?"), [1, null, true]);
    assert.deepEqual(bounds("??"), [0, 1, true]);
    assert.deepEqual(bounds("{3}"), [3, 3, false]);
    assert.deepEqual(bounds("{2,}"), [2, null, false]);
    assert.deepEqual(bounds("{,4}"), [0, 4, false]);
    assert.deepEqual(bounds("{2,4}?"), [2, 4, true]);
  });

  test("groups, anchors, exclusion, PERMUTE and the empty pattern print back the same", () => {
    for (const p of [
      "(A B)+ C",
      "^ A $",
      "A {- B -} C",
      "PERMUTE(A, B | C)",
      "()",
      "(A | B) C",
      "A{2,4}? B{3}",
    ]) {
      assert.equal(printRowPattern(pattern(p)), p);
    }
  });
});

describe("printing and errors", () => {
  test("the documentation example and the Nexmark CEP queries round-trip", () => {
    for (const sql of [FLINK_EXAMPLE, ...Object.values(NEXMARK_CEP)]) {
      const statements = parseStatements(sql);
      assert.deepEqual(withoutSpans(parseStatements(printStatements(statements))), withoutSpans(statements));
    }
  });

  test("cep-q3 has a WITHIN interval and a reluctant-free B*", () => {
    const m = matchOf(NEXMARK_CEP["cep-q3"]!);
    assert.equal(m.within?.value, "5");
    assert.equal(printRowPattern(m.pattern), "A B* C");
  });

  test("PATTERN and DEFINE are required", () => {
    const error = (sql: string) => {
      try {
        parseQuery(sql);
      } catch (e) {
        assert.ok(e instanceof SqlSyntaxError);
        return e;
      }
      assert.fail("expected an error");
    };
    const noDefine = error("SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts PATTERN (A))");
    assert.deepEqual([noDefine.column, noDefine.expected[0]], [57, "'DEFINE'"]);
    const noPattern = error("SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts DEFINE A AS TRUE)");
    assert.deepEqual([noPattern.column, noPattern.expected[0]], [46, "'PATTERN'"]);
    const badQuantifier = error("SELECT * FROM t MATCH_RECOGNIZE (PATTERN (A{3,1}) DEFINE A AS TRUE)");
    assert.match(badQuantifier.reason, /maximum 1 is below its minimum 3/);
  });
});
