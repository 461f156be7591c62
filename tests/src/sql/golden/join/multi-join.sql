-- Multi-way joins (`table.optimizer.multi-join.enabled`, Flink 2.1's StreamingMultiJoinOperator):
-- chains of 3+ INNER / LEFT joins on one common key run as one MultiJoin operator. Expected rows
-- worked out by hand from the VALUES below; they are the rows the binary join chain gives.
-- modes: streaming
-- parallelism: 2
SET 'table.optimizer.multi-join.enabled' = 'true';
-- expect ok
CREATE TEMPORARY VIEW a (k, x) AS VALUES (1, 'a1'), (2, 'a2'), (3, 'a3'), (CAST(NULL AS INT), 'an');
CREATE TEMPORARY VIEW b (k, y) AS VALUES (1, 'b1'), (1, 'b1x'), (2, 'b2'), (4, 'b4');
CREATE TEMPORARY VIEW c (k, z) AS VALUES (1, 5), (2, 1), (2, 7), (3, 9);
CREATE TEMPORARY VIEW cnt AS SELECT k, COUNT(*) AS n FROM b GROUP BY k;

EXPLAIN SELECT x, y, z FROM a JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k AND c.z > 2;
-- expect contains:
-- MultiJoin(commonJoinKey=[k], joinTypes=[INNER, LEFT]

SELECT x, y, z FROM a JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k AND c.z > 2;
-- expect:
-- {"x": "a1", "y": "b1", "z": 5}
-- {"x": "a1", "y": "b1x", "z": 5}
-- {"x": "a2", "y": "b2", "z": 7}

-- An updating input (the aggregate's retractions), LEFT joins padding a NULL key and a missing key.
SELECT a.x, cnt.n, c.z FROM a LEFT JOIN cnt ON a.k = cnt.k LEFT JOIN c ON a.k = c.k;
-- expect:
-- {"x": "a1", "n": 2, "z": 5}
-- {"x": "a2", "n": 1, "z": 1}
-- {"x": "a2", "n": 1, "z": 7}
-- {"x": "a3", "n": null, "z": 9}
-- {"x": "an", "n": null, "z": null}

-- Four inputs, INNER only.
SELECT a.x, b.y, c.z, cnt.n FROM a JOIN b ON a.k = b.k JOIN c ON c.k = b.k JOIN cnt ON cnt.k = c.k WHERE c.z < 6;
-- expect:
-- {"x": "a1", "y": "b1", "z": 5, "n": 2}
-- {"x": "a1", "y": "b1x", "z": 5, "n": 2}
-- {"x": "a2", "y": "b2", "z": 1, "n": 1}

-- A RIGHT join at the bottom of the chain runs as a LEFT join with its inputs swapped.
EXPLAIN SELECT a.x, b.y, c.z FROM a RIGHT JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k AND c.z > 2;
-- expect contains:
-- MultiJoin(commonJoinKey=[k], joinTypes=[LEFT, LEFT]

SELECT a.x, b.y, c.z FROM a RIGHT JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k AND c.z > 2;
-- expect:
-- {"x": "a1", "y": "b1", "z": 5}
-- {"x": "a1", "y": "b1x", "z": 5}
-- {"x": "a2", "y": "b2", "z": 7}
-- {"x": null, "y": "b4", "z": null}
