-- Conditional functions: CASE (simple and searched, with and without ELSE), COALESCE, NULLIF, IF,
-- IFNULL, GREATEST / LEAST (NULL if any argument is NULL in Flink; DuckDB skips NULLs there),
-- IS_ALPHA / IS_DIGIT / IS_DECIMAL. Expected values from Flink's function reference examples and
-- by hand; portable ones cross-checked in DuckDB 1.x.
CREATE TEMPORARY VIEW t (k, x) AS VALUES (1, 10), (2, CAST(NULL AS INT)), (3, 30), (4, 0);

SELECT k, CASE k WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS name, CASE k WHEN 1, 3 THEN 'odd' END AS parity FROM t;
-- expect:
-- {"k": 1, "name": "one", "parity": "odd"}
-- {"k": 2, "name": "two", "parity": null}
-- {"k": 3, "name": "many", "parity": "odd"}
-- {"k": 4, "name": "many", "parity": null}

SELECT k, CASE WHEN x > 15 THEN 'big' WHEN x > 5 THEN 'mid' WHEN x IS NULL THEN 'none' ELSE 'small' END AS size FROM t;
-- expect:
-- {"k": 1, "size": "mid"}
-- {"k": 2, "size": "none"}
-- {"k": 3, "size": "big"}
-- {"k": 4, "size": "small"}

SELECT k, COALESCE(x, -1) AS c, NULLIF(x, 0) AS nz, IFNULL(x, 5) AS i, IF(x > 5, x, 0) AS f FROM t;
-- expect:
-- {"k": 1, "c": 10, "nz": 10, "i": 10, "f": 10}
-- {"k": 2, "c": -1, "nz": null, "i": 5, "f": 0}
-- {"k": 3, "c": 30, "nz": 30, "i": 30, "f": 30}
-- {"k": 4, "c": 0, "nz": null, "i": 0, "f": 0}

SELECT NULLIF(5, 5) AS a, NULLIF(5, 0) AS b, IF(5 > 3, 5, 3) AS c, COALESCE(CAST(NULL AS STRING), 'default') AS d,
  COALESCE(CAST(NULL AS INT), CAST(NULL AS INT)) AS e;
-- expect:
-- {"a": null, "b": 5, "c": 5, "d": "default", "e": null}

SELECT k, GREATEST(k, x, 3) AS g, LEAST(k, x, 3) AS l FROM t;
-- expect:
-- {"k": 1, "g": 10, "l": 1}
-- {"k": 2, "g": null, "l": null}
-- {"k": 3, "g": 30, "l": 3}
-- {"k": 4, "g": 4, "l": 0}

SELECT IS_ALPHA('abc') AS a1, IS_ALPHA('ab1') AS a2, IS_DIGIT('123') AS d1, IS_DIGIT('12a') AS d2,
  IS_DECIMAL('1.5') AS m1, IS_DECIMAL('x1') AS m2;
-- expect:
-- {"a1": true, "a2": false, "d1": true, "d2": false, "m1": true, "m2": false}

SELECT SUM(CASE WHEN x IS NULL THEN 1 ELSE 0 END) AS nulls, COUNT(CASE WHEN x > 5 THEN 1 END) AS over5 FROM t;
-- expect:
-- {"nulls": 1, "over5": 2}

SELECT CASE WHEN k = 1 THEN 1.5 ELSE 2 END AS mixed FROM t WHERE k <= 2;
-- expect:
-- {"mixed": "1.5"}
-- {"mixed": "2.0"}
