-- Group aggregation (streaming: with retraction, keyed by the group key; batch: a hash/sort
-- aggregate). Expected rows worked out by hand from Flink's aggregate types: COUNT is BIGINT,
-- SUM and AVG of INT stay INT (AVG truncates: AVG(1, 2, 5) = 2), SUM of DECIMAL(p, s) is
-- DECIMAL(38, s); NULL inputs are skipped. Portable queries cross-checked in DuckDB 1.x, which
-- differs on AVG of integers (it returns a DOUBLE).
-- parallelism: 2
CREATE TEMPORARY VIEW sales (region, item, qty, amount) AS VALUES
  ('north', 'a', 1, CAST(10.00 AS DECIMAL(10, 2))),
  ('north', 'b', 2, CAST(5.50 AS DECIMAL(10, 2))),
  ('south', 'a', 3, CAST(7.25 AS DECIMAL(10, 2))),
  ('south', 'a', CAST(NULL AS INT), CAST(1.00 AS DECIMAL(10, 2))),
  ('east', 'c', 4, CAST(NULL AS DECIMAL(10, 2))),
  ('north', 'a', 5, CAST(2.25 AS DECIMAL(10, 2)));

SELECT region, COUNT(*) AS n, COUNT(qty) AS nq, SUM(qty) AS s FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "n": 3, "nq": 3, "s": 8}
-- {"region": "south", "n": 2, "nq": 1, "s": 3}
-- {"region": "east", "n": 1, "nq": 1, "s": 4}

SELECT region, AVG(qty) AS a FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "a": 2}
-- {"region": "south", "a": 3}
-- {"region": "east", "a": 4}

SELECT region, SUM(amount) AS total FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "total": "17.75"}
-- {"region": "south", "total": "8.25"}
-- {"region": "east", "total": null}

SELECT region, MIN(item) AS lo, MAX(item) AS hi, MAX(amount) AS top FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "lo": "a", "hi": "b", "top": "10.00"}
-- {"region": "south", "lo": "a", "hi": "a", "top": "7.25"}
-- {"region": "east", "lo": "c", "hi": "c", "top": null}

SELECT region, COUNT(*) AS n FROM sales GROUP BY region HAVING COUNT(*) > 1;
-- expect:
-- {"region": "north", "n": 3}
-- {"region": "south", "n": 2}

SELECT region FROM sales GROUP BY region HAVING SUM(qty) > 3;
-- expect:
-- {"region": "north"}
-- {"region": "east"}

SELECT COUNT(*) AS n, SUM(qty) AS s, MAX(amount) AS m, MIN(region) AS r FROM sales;
-- expect:
-- {"n": 6, "s": 15, "m": "10.00", "r": "east"}

SELECT region, COUNT(DISTINCT item) AS items FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "items": 2}
-- {"region": "south", "items": 1}
-- {"region": "east", "items": 1}

SELECT region, SUM(qty) FILTER (WHERE item = 'a') AS sa, COUNT(*) FILTER (WHERE amount > 5) AS big
FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "sa": 6, "big": 2}
-- {"region": "south", "sa": 3, "big": 1}
-- {"region": "east", "sa": null, "big": 0}

SELECT UPPER(region) AS r, COUNT(*) AS n FROM sales GROUP BY UPPER(region);
-- expect:
-- {"r": "NORTH", "n": 3}
-- {"r": "SOUTH", "n": 2}
-- {"r": "EAST", "n": 1}

SELECT region, item, COUNT(*) AS n FROM sales GROUP BY region, item;
-- expect:
-- {"region": "north", "item": "a", "n": 2}
-- {"region": "north", "item": "b", "n": 1}
-- {"region": "south", "item": "a", "n": 2}
-- {"region": "east", "item": "c", "n": 1}

-- A NULL grouping value forms its own group.
SELECT qty % 2 AS parity, COUNT(*) AS n FROM sales GROUP BY qty % 2;
-- expect:
-- {"parity": 1, "n": 3}
-- {"parity": 0, "n": 2}
-- {"parity": null, "n": 1}

SELECT COUNT(DISTINCT region) AS regions, SUM(DISTINCT qty) AS sq, COUNT(DISTINCT item, region) AS pairs FROM sales;
-- expect:
-- {"regions": 3, "sq": 15, "pairs": 4}

SELECT item, SUM(qty) * 10 AS s10, COUNT(*) + 1 AS n1 FROM sales WHERE region <> 'east' GROUP BY item;
-- expect:
-- {"item": "a", "s10": 90, "n1": 5}
-- {"item": "b", "s10": 20, "n1": 2}

SELECT DISTINCT item FROM sales WHERE qty IS NOT NULL;
-- expect:
-- {"item": "a"}
-- {"item": "b"}
-- {"item": "c"}
