-- Top-N: ROW_NUMBER / RANK / DENSE_RANK over a partition, filtered to a rank range (Flink's Rank
-- operator; in streaming mode it retracts rows that fall out of the top as better rows arrive).
-- Ties are broken explicitly wherever the rank number is shown. Expected rows worked out by hand
-- and cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW products (cat, name, sales) AS VALUES
  ('fruit', 'apple', 50), ('fruit', 'pear', 70), ('fruit', 'kiwi', 60),
  ('veg', 'leek', 30), ('veg', 'kale', 80), ('veg', 'corn', 80), ('nuts', 'pecan', 10);

SELECT cat, name, sales FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY sales DESC) AS rn FROM products
) WHERE rn <= 2;
-- expect:
-- {"cat": "fruit", "name": "pear", "sales": 70}
-- {"cat": "fruit", "name": "kiwi", "sales": 60}
-- {"cat": "veg", "name": "kale", "sales": 80}
-- {"cat": "veg", "name": "corn", "sales": 80}
-- {"cat": "nuts", "name": "pecan", "sales": 10}

SELECT cat, name, rn FROM (
  SELECT cat, name, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY sales DESC, name) AS rn FROM products
) WHERE rn <= 2;
-- expect:
-- {"cat": "fruit", "name": "pear", "rn": 1}
-- {"cat": "fruit", "name": "kiwi", "rn": 2}
-- {"cat": "veg", "name": "corn", "rn": 1}
-- {"cat": "veg", "name": "kale", "rn": 2}
-- {"cat": "nuts", "name": "pecan", "rn": 1}

SELECT cat, name, r FROM (
  SELECT cat, name, RANK() OVER (PARTITION BY cat ORDER BY sales DESC) AS r FROM products
) WHERE r <= 2;
-- expect:
-- {"cat": "fruit", "name": "pear", "r": 1}
-- {"cat": "fruit", "name": "kiwi", "r": 2}
-- {"cat": "veg", "name": "kale", "r": 1}
-- {"cat": "veg", "name": "corn", "r": 1}
-- {"cat": "nuts", "name": "pecan", "r": 1}

SELECT cat, name, r FROM (
  SELECT cat, name, DENSE_RANK() OVER (PARTITION BY cat ORDER BY sales DESC) AS r FROM products
) WHERE r <= 2;
-- expect:
-- {"cat": "fruit", "name": "pear", "r": 1}
-- {"cat": "fruit", "name": "kiwi", "r": 2}
-- {"cat": "veg", "name": "kale", "r": 1}
-- {"cat": "veg", "name": "corn", "r": 1}
-- {"cat": "veg", "name": "leek", "r": 2}
-- {"cat": "nuts", "name": "pecan", "r": 1}

SELECT name, rn FROM (
  SELECT name, ROW_NUMBER() OVER (ORDER BY sales DESC, name) AS rn FROM products
) WHERE rn <= 3;
-- expect:
-- {"name": "corn", "rn": 1}
-- {"name": "kale", "rn": 2}
-- {"name": "pear", "rn": 3}

SELECT cat, name FROM (
  SELECT cat, name, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY sales DESC, name) AS rn FROM products
) WHERE rn >= 2 AND rn <= 3;
-- expect:
-- {"cat": "fruit", "name": "kiwi"}
-- {"cat": "fruit", "name": "apple"}
-- {"cat": "veg", "name": "kale"}
-- {"cat": "veg", "name": "leek"}

-- Top-1 over an updating input: fruit leads (180 after three rows) until veg reaches 190.
SELECT cat, total FROM (
  SELECT cat, total, ROW_NUMBER() OVER (ORDER BY total DESC) AS rn
  FROM (SELECT cat, SUM(sales) AS total FROM products GROUP BY cat)
) WHERE rn = 1;
-- expect:
-- {"cat": "veg", "total": 190}

SELECT cat, name FROM (
  SELECT cat, name, ROW_NUMBER() OVER (PARTITION BY cat ORDER BY name ASC) AS rn FROM products WHERE sales > 40
) WHERE rn = 1;
-- expect:
-- {"cat": "fruit", "name": "apple"}
-- {"cat": "veg", "name": "corn"}
