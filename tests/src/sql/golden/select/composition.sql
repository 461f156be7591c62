-- Queries composed from views, CTEs used twice, derived tables with aggregates, UNION ALL of
-- updating inputs, and LIMIT without ORDER BY (which rows is unspecified, how many is not).
-- Expected rows worked out by hand; cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW t (g, v) AS VALUES ('x', 1), ('x', 2), ('y', 3), ('y', 4), ('y', 5), ('z', 6);
CREATE TEMPORARY VIEW totals AS SELECT g, SUM(v) AS s, COUNT(*) AS n FROM t GROUP BY g;
CREATE TEMPORARY VIEW big AS SELECT g FROM totals WHERE s > 5;

SELECT g FROM big;
-- expect:
-- {"g": "y"}
-- {"g": "z"}

WITH c AS (SELECT g, COUNT(*) AS n FROM t GROUP BY g)
SELECT a.g AS g1, b.g AS g2 FROM c AS a JOIN c AS b ON a.n = b.n AND a.g < b.g;
-- expect:

WITH c AS (SELECT g, MAX(v) AS m FROM t GROUP BY g)
SELECT c1.g, c1.m FROM c AS c1 WHERE c1.m > (SELECT MIN(m) FROM c);
-- expect:
-- {"g": "y", "m": 5}
-- {"g": "z", "m": 6}

SELECT g, n FROM totals UNION ALL SELECT g, CAST(s AS BIGINT) FROM totals WHERE g = 'x';
-- expect:
-- {"g": "x", "n": 2}
-- {"g": "y", "n": 3}
-- {"g": "z", "n": 1}
-- {"g": "x", "n": 3}

SELECT COUNT(*) AS n FROM (SELECT v FROM t LIMIT 4);
-- expect:
-- {"n": 4}

SELECT s, COUNT(*) AS num_groups FROM totals GROUP BY s HAVING COUNT(*) >= 1;
-- expect:
-- {"s": 3, "num_groups": 1}
-- {"s": 12, "num_groups": 1}
-- {"s": 6, "num_groups": 1}

SELECT t.g, t.v, totals.s FROM t JOIN totals ON t.g = totals.g WHERE t.v * 3 > totals.s;
-- expect:
-- {"g": "x", "v": 2, "s": 3}
-- {"g": "y", "v": 5, "s": 12}
-- {"g": "z", "v": 6, "s": 6}

-- ORDER BY … LIMIT over an updating input: y leads only once its three rows are summed.
SELECT g, s FROM totals ORDER BY s DESC LIMIT 2;
-- expect ordered:
-- {"g": "y", "s": 12}
-- {"g": "z", "s": 6}

SELECT g FROM totals WHERE n >= 2 EXCEPT SELECT g FROM big;
-- expect:
-- {"g": "x"}
