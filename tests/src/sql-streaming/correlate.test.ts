/**
 * Table functions and UNNEST in FROM (Flink's Correlate) end to end through `runSqlScript`:
 * `LATERAL TABLE` with comma, CROSS and LEFT … ON TRUE joins, `CROSS JOIN UNNEST` with and without
 * ORDINALITY, and a correlate over an updating input. Expected rows are worked out by hand.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runSqlScript } from "weir/sql-runner";

const MODULE = fileURLToPath(new URL("./fixtures/table-functions.ts", import.meta.url));

const SETUP = `
CREATE TEMPORARY FUNCTION split_words AS '${MODULE}#splitWords' LANGUAGE TYPESCRIPT;
CREATE TEMPORARY FUNCTION word_lengths AS '${MODULE}#wordLengths' LANGUAGE TYPESCRIPT;
CREATE TABLE t (id INT, s STRING) WITH ('connector' = 'values', 'data' = '
  +I [1, "a bb"]
  +I [2, ""]
  +I [3, "ccc"]');
`;

async function rows(query: string, setup = SETUP): Promise<Record<string, unknown>[]> {
  const { results } = await runSqlScript(`${setup}\n${query};`, { parallelism: 2 });
  const last = results.at(-1)!;
  assert.equal(last.kind, "select");
  if (last.kind !== "select") return [];
  return [...last.rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

test("a comma join with LATERAL TABLE yields one row per word and drops rows without words", async () => {
  assert.deepEqual(await rows("SELECT id, word FROM t, LATERAL TABLE(split_words(t.s)) AS w(word)"), [
    { id: 1, word: "a" },
    { id: 1, word: "bb" },
    { id: 3, word: "ccc" },
  ]);
});

test("LEFT JOIN LATERAL TABLE … ON TRUE keeps rows without words, NULL-padded", async () => {
  const query = "SELECT id, w, n FROM t LEFT JOIN LATERAL TABLE(word_lengths(s)) AS x(w, n) ON TRUE";
  assert.deepEqual(await rows(query), [
    { id: 1, w: "a", n: 1 },
    { id: 1, w: "bb", n: 2 },
    { id: 2, w: null, n: null },
    { id: 3, w: "ccc", n: 3 },
  ]);
});

test("an INNER JOIN LATERAL condition filters the function's rows", async () => {
  const query = "SELECT id, w FROM t JOIN LATERAL TABLE(word_lengths(s)) AS x(w, n) ON n > 1";
  assert.deepEqual(await rows(query), [
    { id: 1, w: "bb" },
    { id: 3, w: "ccc" },
  ]);
});

test("CROSS JOIN UNNEST spreads an array; WITH ORDINALITY numbers the elements from 1", async () => {
  const setup = `CREATE TABLE a (id INT, tags ARRAY<STRING>) WITH ('connector' = 'values', 'data' = '
    +I [1, ["x", "y"]]
    +I [2, []]
    +I [3, ["z"]]');`;
  assert.deepEqual(await rows("SELECT id, tag FROM a CROSS JOIN UNNEST(a.tags) AS u(tag)", setup), [
    { id: 1, tag: "x" },
    { id: 1, tag: "y" },
    { id: 3, tag: "z" },
  ]);
  const ordinal = "SELECT id, tag, pos FROM a CROSS JOIN UNNEST(tags) WITH ORDINALITY AS u(tag, pos)";
  assert.deepEqual(await rows(ordinal, setup), [
    { id: 1, pos: 1, tag: "x" },
    { id: 1, pos: 2, tag: "y" },
    { id: 3, pos: 1, tag: "z" },
  ]);
});

test("UNNEST on its own unnests a constant; a map yields (key, value)", async () => {
  assert.deepEqual(await rows("SELECT x, n FROM UNNEST(ARRAY[10, 20]) WITH ORDINALITY AS u(x, n)", ""), [
    { n: 1, x: 10 },
    { n: 2, x: 20 },
  ]);
  assert.deepEqual(await rows("SELECT k, v FROM UNNEST(MAP['a', 1, 'b', 2]) AS m(k, v)", ""), [
    { k: "a", v: 1 },
    { k: "b", v: 2 },
  ]);
});

test("a correlate over an updating input passes retractions through", async () => {
  // Alice's text changes from "a b" to "c", Bob is deleted: only Alice's new word remains.
  const setup = `${SETUP}
CREATE TABLE notes (who STRING, txt STRING) WITH ('connector' = 'values', 'changelog-mode' = 'I,UB,UA,D', 'data' = '
  +I ["alice", "a b"]
  +I ["bob", "d"]
  -U ["alice", "a b"]
  +U ["alice", "c"]
  -D ["bob", "d"]');`;
  const query =
    "SELECT word, COUNT(*) AS n FROM notes, LATERAL TABLE(split_words(txt)) AS w(word) GROUP BY word";
  assert.deepEqual(await rows(query, setup), [{ n: 1, word: "c" }]);
});

test("bad table-function use is refused with a clear error", async () => {
  await assert.rejects(rows("SELECT * FROM t, LATERAL TABLE(upper(s))"), /'UPPER' is not a table function/i);
  await assert.rejects(
    rows("SELECT * FROM t CROSS JOIN UNNEST(t.s) AS u(x)"),
    /UNNEST requires an ARRAY, MAP or MULTISET/,
  );
  await assert.rejects(
    rows("SELECT * FROM t, LATERAL TABLE(split_words(s)) AS w(a, b)"),
    /table has 1 columns, whereas alias list has 2 columns/,
  );
});
