-- The same group aggregations with mini-batch and the local-global (two-phase) strategy on:
-- the configuration changes how the work is split, never the final rows. Expected rows as in
-- group-by.sql and nested-retraction.sql (worked out by hand, cross-checked in DuckDB 1.x).
-- parallelism: 2
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '100 ms';
SET 'table.exec.mini-batch.size' = '3';
SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';
CREATE TEMPORARY VIEW sales (region, item, qty) AS VALUES
  ('north', 'a', 1), ('north', 'b', 2), ('south', 'a', 3), ('south', 'a', CAST(NULL AS INT)), ('east', 'c', 4),
  ('north', 'a', 5);
CREATE TEMPORARY VIEW clicks (usr, page) AS VALUES
  ('u1', 'a'), ('u2', 'a'), ('u1', 'b'), ('u3', 'a'), ('u1', 'c'), ('u2', 'b'), ('u4', 'a'), ('u4', 'b');

SELECT region, COUNT(*) AS n, SUM(qty) AS s, MAX(qty) AS m FROM sales GROUP BY region;
-- expect:
-- {"region": "north", "n": 3, "s": 8, "m": 5}
-- {"region": "south", "n": 2, "s": 3, "m": 3}
-- {"region": "east", "n": 1, "s": 4, "m": 4}

SELECT COUNT(*) AS n, COUNT(DISTINCT item) AS items, AVG(qty) AS a FROM sales;
-- expect:
-- {"n": 6, "items": 3, "a": 3}

SELECT n, COUNT(*) AS users FROM (SELECT usr, COUNT(*) AS n FROM clicks GROUP BY usr) GROUP BY n;
-- expect:
-- {"n": 3, "users": 1}
-- {"n": 2, "users": 2}
-- {"n": 1, "users": 1}

SELECT region, COUNT(DISTINCT item) AS items FROM sales GROUP BY region HAVING COUNT(*) > 1;
-- expect:
-- {"region": "north", "items": 2}
-- {"region": "south", "items": 1}
