-- Join shapes: multiplicities of a self join (every pair of matching rows), several equality keys
-- plus a non-equi condition, a DISTINCT with ORDER BY … LIMIT, UNION over an updating input, and a
-- Top-1 written as `rn < 2`. Expected rows worked out by hand; cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW s (region, product, amount) AS VALUES
  ('n', 'a', 10), ('n', 'b', 20), ('s', 'a', 5), ('s', 'a', 7), ('e', 'c', CAST(NULL AS INT));

SELECT COUNT(*) AS n FROM s AS a JOIN s AS b ON a.product = b.product;
-- expect:
-- {"n": 11}

SELECT a.amount AS x, b.amount AS y FROM s AS a JOIN s AS b
  ON a.region = b.region AND a.product = b.product AND a.amount < b.amount;
-- expect:
-- {"x": 5, "y": 7}

SELECT DISTINCT product FROM s ORDER BY product DESC LIMIT 2;
-- expect ordered:
-- {"product": "c"}
-- {"product": "b"}

SELECT region FROM (SELECT region, COUNT(*) AS c FROM s GROUP BY region) WHERE c > 1
UNION SELECT product FROM s WHERE amount > 15;
-- expect:
-- {"region": "n"}
-- {"region": "s"}
-- {"region": "b"}

SELECT region, product FROM (
  SELECT region, product, ROW_NUMBER() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST, product) AS rn FROM s
) WHERE rn < 2;
-- expect:
-- {"region": "n", "product": "b"}
-- {"region": "s", "product": "a"}
-- {"region": "e", "product": "c"}

SELECT a.region, a.amount, b.total FROM s AS a
  LEFT JOIN (SELECT region, SUM(amount) AS total FROM s GROUP BY region) AS b ON a.region = b.region AND a.amount * 2 > b.total;
-- expect:
-- {"region": "n", "amount": 10, "total": null}
-- {"region": "n", "amount": 20, "total": 30}
-- {"region": "s", "amount": 5, "total": null}
-- {"region": "s", "amount": 7, "total": 12}
-- {"region": "e", "amount": null, "total": null}
