-- UNION ALL, UNION, INTERSECT [ALL], EXCEPT [ALL] with duplicates and NULLs (set operations treat
-- two NULLs as equal). Expected rows worked out by hand from the SQL standard's multiplicities
-- (INTERSECT ALL: min(m, n); EXCEPT ALL: max(m - n, 0)); cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW l (x) AS VALUES (1), (1), (1), (2), (3), (CAST(NULL AS INT)), (CAST(NULL AS INT));
CREATE TEMPORARY VIEW r (x) AS VALUES (1), (1), (3), (4), (CAST(NULL AS INT));

SELECT x FROM l UNION ALL SELECT x FROM r;
-- expect:
-- {"x": 1}
-- {"x": 1}
-- {"x": 1}
-- {"x": 2}
-- {"x": 3}
-- {"x": null}
-- {"x": null}
-- {"x": 1}
-- {"x": 1}
-- {"x": 3}
-- {"x": 4}
-- {"x": null}

SELECT x FROM l UNION SELECT x FROM r;
-- expect:
-- {"x": 1}
-- {"x": 2}
-- {"x": 3}
-- {"x": 4}
-- {"x": null}

SELECT x FROM l INTERSECT SELECT x FROM r;
-- expect:
-- {"x": 1}
-- {"x": 3}
-- {"x": null}

SELECT x FROM l INTERSECT ALL SELECT x FROM r;
-- expect:
-- {"x": 1}
-- {"x": 1}
-- {"x": 3}
-- {"x": null}

SELECT x FROM l EXCEPT SELECT x FROM r;
-- expect:
-- {"x": 2}

SELECT x FROM l EXCEPT ALL SELECT x FROM r;
-- expect:
-- {"x": 1}
-- {"x": 2}
-- {"x": null}

SELECT x FROM r EXCEPT SELECT x FROM l;
-- expect:
-- {"x": 4}

-- Column names come from the first input; types widen to the common type (INT and BIGINT: BIGINT).
SELECT x AS v FROM r WHERE x > 3 UNION ALL SELECT CAST(10000000000 AS BIGINT) AS w FROM r WHERE x = 3;
-- expect:
-- {"v": 4}
-- {"v": 10000000000}

SELECT x, 'l' AS src FROM l WHERE x = 2 UNION ALL SELECT x, 'r' AS src FROM r WHERE x = 4 UNION ALL SELECT 9, 'c';
-- expect:
-- {"x": 2, "src": "l"}
-- {"x": 4, "src": "r"}
-- {"x": 9, "src": "c"}

SELECT COUNT(*) AS n FROM (SELECT x FROM l UNION SELECT x FROM r) AS u;
-- expect:
-- {"n": 5}

SELECT x FROM (SELECT x FROM l UNION ALL SELECT x FROM r) AS u WHERE x IS NOT NULL INTERSECT SELECT x FROM r;
-- expect:
-- {"x": 1}
-- {"x": 3}
-- {"x": 4}
