-- Comparison functions and predicates, with NULLs (UNKNOWN shows as null). Expected values from
-- Flink's function reference (docs/data/sql_functions.yml: BETWEEN [SYMMETRIC], IN with NULL,
-- IS [NOT] DISTINCT FROM, LIKE, SIMILAR TO); portable ones cross-checked in DuckDB 1.x.
CREATE TEMPORARY VIEW v (a, b, s) AS VALUES
  (1, 1, 'abc'), (1, 2, 'aXc'), (CAST(NULL AS INT), 2, CAST(NULL AS STRING));

SELECT a = b AS eq, a <> b AS ne, a < b AS lt, a <= b AS le, a > b AS gt, a >= b AS ge FROM v;
-- expect:
-- {"eq": true, "ne": false, "lt": false, "le": true, "gt": false, "ge": true}
-- {"eq": false, "ne": true, "lt": true, "le": true, "gt": false, "ge": false}
-- {"eq": null, "ne": null, "lt": null, "le": null, "gt": null, "ge": null}

SELECT a IS NULL AS n, a IS NOT NULL AS nn, a IS DISTINCT FROM b AS d, a IS NOT DISTINCT FROM b AS nd FROM v;
-- expect:
-- {"n": false, "nn": true, "d": false, "nd": true}
-- {"n": false, "nn": true, "d": true, "nd": false}
-- {"n": true, "nn": false, "d": true, "nd": false}

SELECT 12 BETWEEN 15 AND 12 AS b1, 12 BETWEEN SYMMETRIC 15 AND 12 AS b2, 12 BETWEEN 10 AND CAST(NULL AS INT) AS b3,
  12 BETWEEN CAST(NULL AS INT) AND 10 AS b4, 12 NOT BETWEEN 15 AND 12 AS b5;
-- expect:
-- {"b1": false, "b2": true, "b3": null, "b4": false, "b5": true}

SELECT 4 IN (1, 2, 3) AS i1, 1 IN (1, 2, CAST(NULL AS INT)) AS i2, 4 IN (1, 2, CAST(NULL AS INT)) AS i3,
  4 NOT IN (1, 2, 3) AS i4, 1 NOT IN (1, 2, CAST(NULL AS INT)) AS i5, 4 NOT IN (1, 2, CAST(NULL AS INT)) AS i6;
-- expect:
-- {"i1": false, "i2": true, "i3": null, "i4": true, "i5": false, "i6": null}

SELECT s, s LIKE 'a_c' AS l1, s LIKE '%c' AS l2, s NOT LIKE 'a%' AS l3, s LIKE 'A%' AS l4 FROM v;
-- expect:
-- {"s": "abc", "l1": true, "l2": true, "l3": false, "l4": false}
-- {"s": "aXc", "l1": true, "l2": true, "l3": false, "l4": false}
-- {"s": null, "l1": null, "l2": null, "l3": null, "l4": null}

SELECT 'abc' SIMILAR TO 'a(b|X)c' AS s1, 'abd' SIMILAR TO 'a(b|X)c' AS s2, 'aaa' SIMILAR TO 'a+' AS s3;
-- expect:
-- {"s1": true, "s2": false, "s3": true}

SELECT 'apple' < 'banana' AS c1, 'b' > 'abc' AS c2, 'abc' = 'abc' AS c3, 1 = 1.0 AS c4, 2 > 1.5 AS c5;
-- expect:
-- {"c1": true, "c2": true, "c3": true, "c4": true, "c5": true}

SELECT DATE '2020-01-02' > DATE '2020-01-01' AS d1, TIMESTAMP '2020-01-01 10:00:00' < TIMESTAMP '2020-01-01 09:59:59' AS d2,
  TRUE > FALSE AS d3;
-- expect:
-- {"d1": true, "d2": false, "d3": true}

SELECT a, b FROM v WHERE a IN (b, 5);
-- expect:
-- {"a": 1, "b": 1}

-- `a = NULL` is UNKNOWN for every row, never TRUE.
SELECT COUNT(*) AS n FROM v WHERE a = NULL OR b = 1;
-- expect:
-- {"n": 1}
