-- Collection values and functions: ARRAY and MAP constructors, element access (arrays are
-- 1-based; an index past the end gives NULL), CARDINALITY, ELEMENT, ARRAY_CONTAINS, ROW values.
-- Arrays show as JSON arrays, maps as objects with string keys, rows as objects by field name
-- (the jsonl mapping). Expected values from Flink's function reference and by hand.
CREATE TEMPORARY VIEW bag (id, tags) AS VALUES (1, ARRAY['a', 'b', 'c']), (2, ARRAY['x']);

SELECT ARRAY[1, 2, 3] AS a, CARDINALITY(ARRAY[1, 2, 3]) AS n, ARRAY['a', 'b'][2] AS snd, ELEMENT(ARRAY[5]) AS sole;
-- expect:
-- {"a": [1, 2, 3], "n": 3, "snd": "b", "sole": 5}

SELECT MAP['a', 1, 'b', 2] AS m, MAP['a', 1, 'b', 2]['b'] AS b, CARDINALITY(MAP['a', 1]) AS n, MAP['a', 1]['zz'] AS missing;
-- expect:
-- {"m": {"a": 1, "b": 2}, "b": 2, "n": 1, "missing": null}

SELECT id, tags[1] AS first_tag, CARDINALITY(tags) AS n, ARRAY_CONTAINS(tags, 'b') AS has_b, tags[3] AS third FROM bag;
-- expect:
-- {"id": 1, "first_tag": "a", "n": 3, "has_b": true, "third": "c"}
-- {"id": 2, "first_tag": "x", "n": 1, "has_b": false, "third": null}

SELECT id FROM bag WHERE CARDINALITY(tags) > 1;
-- expect:
-- {"id": 1}

SELECT CAST(ROW(1, 'a') AS ROW<x INT, y STRING>) AS r, ARRAY[ARRAY[1], ARRAY[2, 3]] AS nested;
-- expect:
-- {"r": {"x": 1, "y": "a"}, "nested": [[1], [2, 3]]}

SELECT ARRAY_DISTINCT(ARRAY[1, 2, 1, 3]) AS d, ARRAY_POSITION(ARRAY[5, 6, 7], 6) AS p, ARRAY_REMOVE(ARRAY[1, 2, 1], 1) AS r,
  ARRAY_REVERSE(ARRAY[1, 2, 3]) AS rev;
-- expect:
-- {"d": [1, 2, 3], "p": 2, "r": [2], "rev": [3, 2, 1]}

SELECT ARRAY[1, CAST(NULL AS INT)] AS with_null, ARRAY_CONTAINS(ARRAY[1, CAST(NULL AS INT)], CAST(NULL AS INT)) AS has_null;
-- expect:
-- {"with_null": [1, null], "has_null": true}
