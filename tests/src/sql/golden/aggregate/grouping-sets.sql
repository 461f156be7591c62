-- GROUPING SETS, ROLLUP and CUBE (Flink expands them into one aggregation per grouping set; the
-- columns not grouped in a set are NULL), and aggregates over all-NULL input (SUM is NULL, COUNT
-- of the column is 0). Expected rows worked out by hand; cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW s (region, product, amount) AS VALUES
  ('n', 'a', 10), ('n', 'b', 20), ('s', 'a', 5), ('s', 'a', 7), ('e', 'c', CAST(NULL AS INT));

SELECT region, product, SUM(amount) AS total FROM s GROUP BY GROUPING SETS ((region, product), (region), ());
-- expect:
-- {"region": "n", "product": "a", "total": 10}
-- {"region": "n", "product": "b", "total": 20}
-- {"region": "s", "product": "a", "total": 12}
-- {"region": "e", "product": "c", "total": null}
-- {"region": "n", "product": null, "total": 30}
-- {"region": "s", "product": null, "total": 12}
-- {"region": "e", "product": null, "total": null}
-- {"region": null, "product": null, "total": 42}

SELECT region, COUNT(*) AS n FROM s GROUP BY ROLLUP (region);
-- expect:
-- {"region": "n", "n": 2}
-- {"region": "s", "n": 2}
-- {"region": "e", "n": 1}
-- {"region": null, "n": 5}

SELECT region, product, COUNT(*) AS n FROM s WHERE region <> 'e' GROUP BY CUBE (region, product);
-- expect:
-- {"region": "n", "product": "a", "n": 1}
-- {"region": "n", "product": "b", "n": 1}
-- {"region": "s", "product": "a", "n": 2}
-- {"region": "n", "product": null, "n": 2}
-- {"region": "s", "product": null, "n": 2}
-- {"region": null, "product": "a", "n": 3}
-- {"region": null, "product": "b", "n": 1}
-- {"region": null, "product": null, "n": 4}

SELECT region, SUM(amount) AS total, COUNT(amount) AS c, COUNT(*) AS n, MAX(amount) AS m FROM s WHERE region = 'e' GROUP BY region;
-- expect:
-- {"region": "e", "total": null, "c": 0, "n": 1, "m": null}
