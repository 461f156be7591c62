/**
 * Query templates for the DuckDB differential suite: each template is a fast-check arbitrary of
 * SQL text that both engines accept and must answer identically, with random predicates,
 * expressions and constants over the tables of `differential-data.ts`.
 *
 * Invariant: a generated query is portable, i.e. its result does not depend on a point where
 * Flink and DuckDB are known to differ. So: no `/` (Flink's INT / INT truncates), no AVG of
 * integers (Flink's stays INT), NULL order always written out (the defaults differ), a global
 * aggregate carries `HAVING COUNT(*) > 0` (on empty input Flink's streaming aggregate emits no row,
 * DuckDB one), ORDER BY … LIMIT always ends with the unique `id`, and every column is aliased.
 * @module
 */

import fc from "fast-check";
import { KEYS, timestampText } from "./differential-data.ts";

export interface DifferentialQuery {
  readonly sql: string;
  /** Output column names, in order. */
  readonly columns: readonly string[];
  /** True when ORDER BY … LIMIT fixes the order (compared as a list in batch mode). */
  readonly ordered: boolean;
}

const smallInt = fc.integer({ min: -20, max: 20 });
const keyLiteral = fc.constantFrom(...KEYS).map((k) => `'${k}'`);

/** A boolean condition over t1's columns, possibly UNKNOWN, nested up to depth 2. */
const t1Atom: fc.Arbitrary<string> = fc.oneof(
  smallInt.map((c) => `x > ${c}`),
  smallInt.map((c) => `x <= ${c}`),
  smallInt.map((c) => `x = ${c}`),
  fc.constant("x IS NULL"),
  fc.constant("x IS NOT NULL"),
  keyLiteral.map((k) => `k = ${k}`),
  fc.tuple(keyLiteral, keyLiteral).map(([a, b]) => `k IN (${a}, ${b})`),
  fc.constant("k IS NULL"),
  fc.tuple(smallInt, smallInt).map(([a, b]) => `x BETWEEN ${Math.min(a, b)} AND ${Math.max(a, b)}`),
  fc.integer({ min: -1000, max: 1000 }).map((c) => `amount > ${c}`),
  fc.integer({ min: -100, max: 100 }).map((c) => `d < ${c}`),
  fc.integer({ min: 2, max: 4 }).map((m) => `id % ${m} = 0`),
);

export const t1Predicate: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: t1Atom },
  { weight: 1, arbitrary: fc.tuple(t1Atom, t1Atom).map(([a, b]) => `(${a} AND ${b})`) },
  { weight: 1, arbitrary: fc.tuple(t1Atom, t1Atom).map(([a, b]) => `(${a} OR ${b})`) },
  { weight: 1, arbitrary: t1Atom.map((a) => `NOT (${a})`) },
);

const t2Predicate: fc.Arbitrary<string> = fc.oneof(
  smallInt.map((c) => `z > ${c}`),
  keyLiteral.map((k) => `k <> ${k}`),
  fc.constant("TRUE"),
);

const intExpression: fc.Arbitrary<string> = fc.oneof(
  smallInt.map((c) => `x + ${c}`),
  fc.integer({ min: -5, max: 5 }).map((c) => `x * ${c}`),
  fc.constant("x - id"),
  smallInt.map((c) => `COALESCE(x, ${c})`),
  fc.constant("ABS(x)"),
  smallInt.map((c) => `CASE WHEN x > ${c} THEN x ELSE id END`),
);

const stringExpression: fc.Arbitrary<string> = fc.oneof(
  fc.constant("UPPER(k)"),
  fc.constant("COALESCE(k, 'none')"),
  fc.constant("k || '-x'"),
  smallInt.map((c) => `CASE WHEN x > ${c} THEN 'hi' ELSE 'lo' END`),
);

/** The templates, by name (the name is the test's name and the known-failures key). */
export const TEMPLATES: Readonly<Record<string, fc.Arbitrary<DifferentialQuery>>> = {
  "filter-projection": fc.tuple(intExpression, stringExpression, t1Predicate).map(([e, s, p]) => ({
    sql: `SELECT id AS id, ${e} AS e, ${s} AS s FROM t1 WHERE ${p}`,
    columns: ["id", "e", "s"],
    ordered: false,
  })),
  "group-aggregate": fc.tuple(t1Predicate, fc.integer({ min: 0, max: 2 })).map(([p, h]) => ({
    sql:
      `SELECT k AS k, COUNT(*) AS n, COUNT(x) AS nx, SUM(x) AS sx, MIN(x) AS mn, MAX(x) AS mx, SUM(amount) AS sa, ` +
      `MAX(amount) AS ma, AVG(d) AS ad FROM t1 WHERE ${p} GROUP BY k HAVING COUNT(*) > ${h}`,
    columns: ["k", "n", "nx", "sx", "mn", "mx", "sa", "ma", "ad"],
    ordered: false,
  })),
  "global-aggregate": t1Predicate.map((p) => ({
    sql: `SELECT COUNT(*) AS n, SUM(x) AS sx, MIN(amount) AS ma, COUNT(DISTINCT k) AS dk FROM t1 WHERE ${p} HAVING COUNT(*) > 0`,
    columns: ["n", "sx", "ma", "dk"],
    ordered: false,
  })),
  "aggregate-of-aggregate": t1Predicate.map((p) => ({
    sql: `SELECT n AS n, COUNT(*) AS c, SUM(s) AS total FROM (SELECT k, COUNT(*) AS n, SUM(x) AS s FROM t1 WHERE ${p} GROUP BY k) AS g GROUP BY n`,
    columns: ["n", "c", "total"],
    ordered: false,
  })),
  join: fc
    .tuple(fc.constantFrom("INNER", "LEFT", "RIGHT", "FULL"), t1Predicate, fc.option(smallInt, { nil: null }))
    .map(([kind, p, c]) => ({
      sql:
        `SELECT a.id AS id, a.x AS x, b.z AS z FROM (SELECT id, k, x FROM t1 WHERE ${p}) AS a ${kind} JOIN t2 AS b ` +
        `ON a.k = b.k${c === null ? "" : ` AND b.z > ${c}`}`,
      columns: ["id", "x", "z"],
      ordered: false,
    })),
  distinct: t1Predicate.map((p) => ({
    sql: `SELECT DISTINCT k AS k, ${p} AS flag FROM t1`,
    columns: ["k", "flag"],
    ordered: false,
  })),
  "set-operation": fc
    .tuple(
      fc.constantFrom("UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"),
      t1Predicate,
      t2Predicate,
    )
    .map(([op, p, q]) => ({
      sql: `SELECT k AS k, x AS v FROM t1 WHERE ${p} ${op} SELECT k, z FROM t2 WHERE ${q}`,
      columns: ["k", "v"],
      ordered: false,
    })),
  "in-subquery": fc
    .tuple(fc.constantFrom("k IN", "k NOT IN", "x IN", "x NOT IN"), t2Predicate)
    .map(([test, q]) => ({
      sql: `SELECT id AS id FROM t1 WHERE ${test} (SELECT ${test.startsWith("k") ? "k" : "z"} FROM t2 WHERE ${q})`,
      columns: ["id"],
      ordered: false,
    })),
  exists: fc.tuple(fc.constantFrom("EXISTS", "NOT EXISTS"), smallInt).map(([test, c]) => ({
    sql: `SELECT id AS id, k AS k FROM t1 WHERE ${test} (SELECT 1 FROM t2 WHERE t2.k = t1.k AND t2.z > ${c})`,
    columns: ["id", "k"],
    ordered: false,
  })),
  "scalar-functions": fc.tuple(smallInt, fc.integer({ min: 2, max: 9 }), t1Predicate).map(([c, m, p]) => ({
    sql:
      `SELECT id AS id, LOWER(UPPER(k)) AS lk, CHAR_LENGTH(COALESCE(k, '')) AS len, MOD(x, ${m}) AS md, ` +
      `NULLIF(x, ${c}) AS nx, CAST(x AS BIGINT) * 3 AS bx, SUBSTRING(COALESCE(k, 'none') FROM 2 FOR 2) AS sub, ` +
      `(x BETWEEN ${c} AND ${c + 10}) AS btw FROM t1 WHERE ${p}`,
    columns: ["id", "lk", "len", "md", "nx", "bx", "sub", "btw"],
    ordered: false,
  })),
  "join-then-aggregate": fc.tuple(fc.constantFrom("INNER", "LEFT"), t1Predicate).map(([kind, p]) => ({
    sql:
      `SELECT a.k AS k, COUNT(*) AS n, SUM(a.x) AS sx, MAX(b.z) AS mz, COUNT(b.z) AS nz FROM ` +
      `(SELECT k, x FROM t1 WHERE ${p}) AS a ${kind} JOIN t2 AS b ON a.k = b.k GROUP BY a.k`,
    columns: ["k", "n", "sx", "mz", "nz"],
    ordered: false,
  })),
  "distinct-aggregates": fc.tuple(t1Predicate, smallInt).map(([p, c]) => ({
    sql:
      `SELECT k AS k, COUNT(DISTINCT x) AS dx, SUM(DISTINCT x) AS sdx, COUNT(*) FILTER (WHERE x > ${c}) AS fx ` +
      `FROM t1 WHERE ${p} GROUP BY k HAVING SUM(x) IS NOT NULL`,
    columns: ["k", "dx", "sdx", "fx"],
    ordered: false,
  })),
  temporal: fc.integer({ min: 0, max: 3 * 24 }).map((hours) => ({
    sql:
      `SELECT id AS id, ts AS ts, CAST(ts AS DATE) AS dt, EXTRACT(HOUR FROM ts) AS h, EXTRACT(DAY FROM ts) AS dd ` +
      `FROM t1 WHERE ts > TIMESTAMP '${timestampText(hours * 3_600_000)}' OR ts IS NULL`,
    columns: ["id", "ts", "dt", "h", "dd"],
    ordered: false,
  })),
  "temporal-aggregate": t1Predicate.map((p) => ({
    sql:
      `SELECT CAST(ts AS DATE) AS dt, COUNT(*) AS n, MIN(ts) AS first_ts, MAX(ts) AS last_ts FROM t1 ` +
      `WHERE ${p} GROUP BY CAST(ts AS DATE)`,
    columns: ["dt", "n", "first_ts", "last_ts"],
    ordered: false,
  })),
  "order-by-limit": fc
    .tuple(
      fc.constantFrom(
        "x DESC NULLS LAST",
        "x ASC NULLS FIRST",
        "k ASC NULLS LAST",
        "amount DESC NULLS FIRST",
      ),
      t1Predicate,
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 2 }),
    )
    .map(([order, p, limit, offset]) => ({
      sql: `SELECT id AS id, x AS x, k AS k FROM t1 WHERE ${p} ORDER BY ${order}, id LIMIT ${limit} OFFSET ${offset}`,
      columns: ["id", "x", "k"],
      ordered: true,
    })),
};
