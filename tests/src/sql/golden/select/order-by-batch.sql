-- ORDER BY without LIMIT: Flink runs it only in batch mode (in streaming mode it refuses to sort on
-- a field that is not a time attribute), so this file runs in batch mode only. Expected order
-- worked out by hand; NULLs first for ASC, last for DESC (Flink's default, unlike DuckDB's).
-- modes: batch
CREATE TEMPORARY VIEW scores (name, score) AS VALUES
  ('ann', 70), ('ben', 95), ('cat', 82), ('dan', CAST(NULL AS INT)), ('eve', 95), ('fay', 60);

SELECT name, score FROM scores ORDER BY score, name;
-- expect ordered:
-- {"name": "dan", "score": null}
-- {"name": "fay", "score": 60}
-- {"name": "ann", "score": 70}
-- {"name": "cat", "score": 82}
-- {"name": "ben", "score": 95}
-- {"name": "eve", "score": 95}

SELECT name FROM scores ORDER BY score DESC, name DESC;
-- expect ordered:
-- {"name": "eve"}
-- {"name": "ben"}
-- {"name": "cat"}
-- {"name": "ann"}
-- {"name": "fay"}
-- {"name": "dan"}

SELECT name FROM scores WHERE score > 65 ORDER BY CHAR_LENGTH(name) * 0 + score, name OFFSET 1 ROWS;
-- expect ordered:
-- {"name": "cat"}
-- {"name": "ben"}
-- {"name": "eve"}
