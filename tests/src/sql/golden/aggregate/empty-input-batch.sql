-- A global aggregation over empty input. In batch mode it yields exactly one row (COUNT 0, SUM
-- NULL), as the SQL standard and DuckDB do. Streaming mode differs (next file).
-- modes: batch
CREATE TEMPORARY VIEW t (x) AS VALUES (1), (2);

SELECT COUNT(*) AS n, SUM(x) AS s, MAX(x) AS m FROM t WHERE x > 100;
-- expect:
-- {"n": 0, "s": null, "m": null}

SELECT x, COUNT(*) AS n FROM t WHERE x > 100 GROUP BY x;
-- expect:
