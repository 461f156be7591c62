-- VALUES as a query and as a table, and ORDER BY … LIMIT / OFFSET / FETCH (a Top-N in streaming
-- mode, a sort in batch mode: both end with the same rows). Expected rows worked out by hand:
-- Flink puts NULLs first for ASC and last for DESC unless written (Calcite's default for Flink);
-- DuckDB's default is NULLS LAST for both, so the NULL cases below use explicit NULLS FIRST/LAST
-- when cross-checked, and the default-order case notes the difference.
CREATE TEMPORARY VIEW scores (name, score) AS VALUES
  ('ann', 70), ('ben', 95), ('cat', 82), ('dan', CAST(NULL AS INT)), ('eve', 95), ('fay', 60);

SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t (x, y);
-- expect:
-- {"x": 1, "y": "a"}
-- {"x": 2, "y": "b"}

VALUES (1), (2), (2);
-- expect:
-- {"EXPR$0": 1}
-- {"EXPR$0": 2}
-- {"EXPR$0": 2}

SELECT x * 2 AS d FROM (VALUES (1), (3)) AS t (x) WHERE x > 1;
-- expect:
-- {"d": 6}

SELECT name, score FROM scores ORDER BY score DESC, name LIMIT 3;
-- expect ordered:
-- {"name": "ben", "score": 95}
-- {"name": "eve", "score": 95}
-- {"name": "cat", "score": 82}

SELECT name FROM scores ORDER BY score, name LIMIT 2;
-- expect ordered:
-- {"name": "dan"}
-- {"name": "fay"}

SELECT name FROM scores ORDER BY score DESC NULLS LAST, name LIMIT 2 OFFSET 2;
-- expect ordered:
-- {"name": "cat"}
-- {"name": "ann"}

SELECT name FROM scores ORDER BY name OFFSET 4 ROWS FETCH NEXT 5 ROWS ONLY;
-- expect ordered:
-- {"name": "eve"}
-- {"name": "fay"}

SELECT name FROM scores ORDER BY score ASC NULLS LAST, name DESC LIMIT 1;
-- expect ordered:
-- {"name": "fay"}

SELECT name FROM scores ORDER BY name LIMIT 0;
-- expect:

-- INT / INT is an INT in Flink (82 / 5 = 16); DuckDB's `/` gives 16.4.
SELECT UPPER(name) AS n, score / 5 AS s FROM scores WHERE score IS NOT NULL ORDER BY 2 DESC, 1 LIMIT 3;
-- expect ordered:
-- {"n": "BEN", "s": 19}
-- {"n": "EVE", "s": 19}
-- {"n": "CAT", "s": 16}
