/**
 * End-to-end checks, through `runSqlScript`, of the SQL syntax added for Flink compatibility:
 * simple CASE with several values per WHEN, `IS [NOT] JSON [type]`, and the SQL/JSON functions'
 * clauses (RETURNING, wrappers, ON EMPTY / ON ERROR / ON NULL, `[KEY] k VALUE v`). Expected values
 * are worked out by hand from Flink's documented semantics (docs/dev/table/functions/systemFunctions
 * and sql_functions.yml); clauses the engine cannot honour yet must fail with a positioned error.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runSqlScript, SqlScriptError } from "weir/sql-runner";

const VIEW = `CREATE TEMPORARY VIEW t (k, x) AS VALUES (1, 10), (2, CAST(NULL AS INT)), (3, 30), (4, 0);
CREATE TEMPORARY VIEW g (k, s, x) AS VALUES (1, 'a', 10), (1, 'b', CAST(NULL AS INT)), (2, 'c', 30);
`;

/** The rows of the script's last statement (a SELECT), ordered by the column `order` when given. */
async function select(sql: string, order?: string): Promise<Record<string, unknown>[]> {
  const { results } = await runSqlScript(VIEW + sql, { parallelism: 1 });
  const last = results.at(-1)!;
  assert.equal(last.kind, "select");
  const rows = last.kind === "select" ? [...last.rows] : [];
  if (order !== undefined) rows.sort((a, b) => Number(a[order]) - Number(b[order]));
  return rows;
}

async function failure(sql: string): Promise<SqlScriptError> {
  try {
    await runSqlScript(VIEW + sql, { parallelism: 1 });
  } catch (error) {
    assert.ok(error instanceof SqlScriptError, String(error));
    return error;
  }
  assert.fail(`expected an error for ${sql}`);
}

describe("simple CASE with several values in one WHEN", () => {
  test("a WHEN matches when any of its values equals the operand", async () => {
    const rows = await select(
      "SELECT k, CASE k WHEN 1, 3 THEN 'odd' WHEN 2 THEN 'two' END AS p, CASE x WHEN 0, 30 THEN 'edge' ELSE 'other' END AS e FROM t",
      "k",
    );
    assert.deepEqual(rows, [
      { k: 1, p: "odd", e: "other" },
      { k: 2, p: "two", e: "other" },
      { k: 3, p: "odd", e: "edge" },
      { k: 4, p: null, e: "edge" },
    ]);
  });
});

describe("IS [NOT] JSON", () => {
  test("Flink's documented examples, the typed forms and NOT", async () => {
    const rows = await select(
      `SELECT '1' IS JSON AS a, '"abc"' IS JSON AS b, 'abc' IS JSON AS c, CAST(NULL AS STRING) IS JSON AS d,
        '1' IS JSON SCALAR AS e, '[1]' IS JSON ARRAY AS f, '{}' IS JSON OBJECT AS g, '{}' IS JSON VALUE AS h,
        'abc' IS NOT JSON AS i, '{}' IS NOT JSON ARRAY AS j, '[]' IS NOT JSON ARRAY AS l`,
    );
    assert.deepEqual(rows, [
      {
        a: true,
        b: true,
        c: false,
        d: false,
        e: true,
        f: true,
        g: true,
        h: true,
        i: true,
        j: true,
        l: false,
      },
    ]);
  });
});

describe("JSON_VALUE with RETURNING and default behaviors", () => {
  test("RETURNING casts the scalar; text that does not cast gives NULL (NULL ON ERROR)", async () => {
    const rows = await select(
      `SELECT JSON_VALUE('{"a": [10, 20]}', '$.a[1]' RETURNING INT) AS i,
        JSON_VALUE('{"a.b": [0.998, 0.996]}', '$.["a.b"][0]' RETURNING DOUBLE) AS d,
        JSON_VALUE('{"a": true}', '$.a' RETURNING BOOLEAN) AS b,
        JSON_VALUE('{"a": "two"}', '$.a' RETURNING INT NULL ON ERROR) AS bad,
        JSON_VALUE('{"a": 1}', '$.missing' NULL ON EMPTY) AS missing,
        JSON_VALUE('{"a": 1.5}', '$.a' RETURNING STRING) AS s`,
    );
    assert.deepEqual(rows, [{ i: 20, d: 0.998, b: true, bad: null, missing: null, s: "1.5" }]);
  });
});

describe("JSON_EXISTS, JSON_QUERY, JSON_OBJECT and JSON_ARRAY with their default clauses spelled out", () => {
  test("the results are those of the defaults", async () => {
    const rows = await select(
      `SELECT JSON_EXISTS('{"a": true}', '$.a' FALSE ON ERROR) AS e1, JSON_EXISTS('not json', '$.a' FALSE ON ERROR) AS e2,
        JSON_QUERY('{ "a": { "b": 1 } }', '$.a' WITHOUT ARRAY WRAPPER NULL ON EMPTY NULL ON ERROR) AS q,
        JSON_OBJECT() AS o0, JSON_OBJECT('K1' VALUE 'V1', KEY 'K2' VALUE 2) AS o1,
        JSON_OBJECT(KEY 'K1' VALUE CAST(NULL AS STRING) NULL ON NULL) AS o2,
        JSON_ARRAY(1, '2') AS a1, JSON_ARRAY(CAST(NULL AS STRING) ABSENT ON NULL) AS a2`,
    );
    assert.deepEqual(rows, [
      {
        e1: true,
        e2: false,
        q: '{"b":1}',
        o0: "{}",
        o1: '{"K1":"V1","K2":2}',
        o2: '{"K1":null}',
        a1: '[1,"2"]',
        a2: "[]",
      },
    ]);
  });

  test("JSON_OBJECT over columns", async () => {
    const rows = await select(
      "SELECT k, JSON_OBJECT('k' VALUE k, 'x' VALUE x) AS o FROM t WHERE k <= 2",
      "k",
    );
    assert.deepEqual(rows, [
      { k: 1, o: '{"k":1,"x":10}' },
      { k: 2, o: '{"k":2,"x":null}' },
    ]);
  });
});

describe("JSON_OBJECTAGG and JSON_ARRAYAGG with the KEY … VALUE and ON NULL syntax", () => {
  test("NULL ON NULL keeps a null member; ABSENT ON NULL drops a null element", async () => {
    const rows = await select(
      "SELECT k, JSON_OBJECTAGG(KEY s VALUE x NULL ON NULL) AS o, JSON_ARRAYAGG(x ABSENT ON NULL) AS a FROM g GROUP BY k",
      "k",
    );
    assert.deepEqual(rows, [
      { k: 1, o: '{"a":10,"b":null}', a: "[10]" },
      { k: 2, o: '{"c":30}', a: "[30]" },
    ]);
  });
});

describe("the SQL/JSON ON EMPTY / ON ERROR, wrapper and ON NULL clauses", () => {
  test("JSON_OBJECTAGG's ABSENT ON NULL drops a null member; JSON_ARRAYAGG's NULL ON NULL keeps a null element", async () => {
    const rows = await select(
      "SELECT k, JSON_OBJECTAGG(KEY s VALUE x ABSENT ON NULL) AS o, JSON_ARRAYAGG(x NULL ON NULL) AS a FROM g GROUP BY k",
      "k",
    );
    assert.deepEqual(rows, [
      { k: 1, o: '{"a":10}', a: "[10,null]" },
      { k: 2, o: '{"c":30}', a: "[30]" },
    ]);
  });

  // A path without `lax` is strict in Flink: a missing member there is an error, not empty.
  test("JSON_VALUE's DEFAULT … ON EMPTY and … ON ERROR, constant or from a column", async () => {
    const rows = await select(
      `SELECT k, JSON_VALUE('{}', 'lax $.a' DEFAULT 'z' ON EMPTY) AS v1,
        JSON_VALUE('{}', '$.a' DEFAULT 'z' ON EMPTY) AS v2,
        JSON_VALUE('{}', '$.a' DEFAULT 'z' ON EMPTY DEFAULT 'e' ON ERROR) AS v3,
        JSON_VALUE('{"a": [1]}', 'lax $.a' NULL ON EMPTY DEFAULT 'e' ON ERROR) AS v4,
        JSON_VALUE('{}', 'lax $.a' RETURNING INT DEFAULT x ON EMPTY) AS v5 FROM t WHERE k <= 2`,
      "k",
    );
    assert.deepEqual(rows, [
      { k: 1, v1: "z", v2: null, v3: "e", v4: null, v5: 10 },
      { k: 2, v1: "z", v2: null, v3: "e", v4: null, v5: null },
    ]);
  });

  test("JSON_EXISTS's TRUE / UNKNOWN / FALSE ON ERROR", async () => {
    const rows = await select(
      `SELECT JSON_EXISTS('{}', 'strict $.a' TRUE ON ERROR) AS e1, JSON_EXISTS('{}', 'strict $.a' UNKNOWN ON ERROR) AS e2,
        JSON_EXISTS('{}', 'lax $.a' TRUE ON ERROR) AS e3, JSON_EXISTS('{"a": 1}', 'strict $.a' ERROR ON ERROR) AS e4`,
    );
    assert.deepEqual(rows, [{ e1: true, e2: null, e3: false, e4: true }]);
  });

  test("JSON_QUERY's wrappers and EMPTY ARRAY / EMPTY OBJECT behaviors", async () => {
    const rows = await select(
      `SELECT JSON_QUERY('[1]', '$' WITH ARRAY WRAPPER) AS q1, JSON_QUERY('{"a": 1}', '$.a' WITH CONDITIONAL WRAPPER) AS q2,
        JSON_QUERY('{"a": 1}', 'lax $.a' EMPTY OBJECT ON EMPTY) AS q3,
        JSON_QUERY('{"a": 1}', 'strict $.a' EMPTY OBJECT ON EMPTY EMPTY ARRAY ON ERROR) AS q4`,
    );
    assert.deepEqual(rows, [{ q1: "[[1]]", q2: "[1]", q3: "{}", q4: "[]" }]);
  });

  test("ERROR ON ERROR fails the query at run time, naming the function", async () => {
    await assert.rejects(
      runSqlScript(`${VIEW}SELECT JSON_VALUE(CAST(x AS STRING), '$.a' ERROR ON ERROR) AS v FROM t`, {
        parallelism: 1,
      }),
      /JSON_VALUE/,
    );
  });

  test("JSON_OBJECT's ABSENT ON NULL and JSON_ARRAY's NULL ON NULL", async () => {
    const rows = await select(
      "SELECT k, JSON_OBJECT(KEY 'a' VALUE x ABSENT ON NULL) AS o, JSON_ARRAY(x NULL ON NULL) AS a FROM t WHERE k <= 2",
      "k",
    );
    assert.deepEqual(rows, [
      { k: 1, o: '{"a":10}', a: "[10]" },
      { k: 2, o: "{}", a: "[null]" },
    ]);
  });
});

describe("clauses not supported yet fail with the clause named and its position", () => {
  // VIEW takes two lines, so the SELECT is on line 3.
  const cases: readonly (readonly [string, number, string])[] = [
    ["SELECT JSON_ARRAYAGG(x ORDER BY k) FROM t", 33, "JSON_ARRAYAGG's ORDER BY"],
  ];
  for (const [sql, column, clause] of cases) {
    test(sql, async () => {
      const error = await failure(sql);
      assert.equal(error.line, 3);
      assert.equal(error.column, column);
      assert.equal(error.reason, `${clause} clause is not supported yet`);
    });
  }
});
