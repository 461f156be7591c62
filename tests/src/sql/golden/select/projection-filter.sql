-- Calc: projections and filters over a VALUES view, NULLs included.
-- Expected rows worked out by hand from SQL semantics (a NULL comparison is UNKNOWN, and WHERE keeps
-- only TRUE); portable queries cross-checked in DuckDB 1.x. Decimal results keep the scale Flink
-- derives (DECIMAL(10, 2) * INT has scale 2).
CREATE TEMPORARY VIEW orders (id, customer, product, qty, price) AS VALUES
  (1, 'alice', 'apple', 3, CAST(1.50 AS DECIMAL(10, 2))),
  (2, 'bob', 'banana', 12, CAST(0.25 AS DECIMAL(10, 2))),
  (3, 'alice', 'cherry', 1, CAST(10.00 AS DECIMAL(10, 2))),
  (4, 'carol', 'apple', 5, CAST(1.50 AS DECIMAL(10, 2))),
  (5, 'bob', 'apple', CAST(NULL AS INT), CAST(1.40 AS DECIMAL(10, 2))),
  (6, CAST(NULL AS STRING), 'banana', 2, CAST(0.30 AS DECIMAL(10, 2)));

SELECT id, qty * 2 AS q2 FROM orders WHERE qty > 2;
-- expect:
-- {"id": 1, "q2": 6}
-- {"id": 2, "q2": 24}
-- {"id": 4, "q2": 10}

SELECT id FROM orders WHERE customer IS NULL;
-- expect:
-- {"id": 6}

SELECT id, customer FROM orders WHERE qty IS NULL;
-- expect:
-- {"id": 5, "customer": "bob"}

SELECT id, price * qty AS total FROM orders WHERE product = 'apple';
-- expect:
-- {"id": 1, "total": "4.50"}
-- {"id": 4, "total": "7.50"}
-- {"id": 5, "total": null}

SELECT * FROM orders WHERE id BETWEEN 2 AND 3;
-- expect:
-- {"id": 2, "customer": "bob", "product": "banana", "qty": 12, "price": "0.25"}
-- {"id": 3, "customer": "alice", "product": "cherry", "qty": 1, "price": "10.00"}

-- Unnamed expressions are called EXPR$<position> (Calcite's naming, kept by Flink).
SELECT id + 1, UPPER(product) FROM orders WHERE id = 1;
-- expect:
-- {"EXPR$0": 2, "EXPR$1": "APPLE"}

SELECT id FROM orders WHERE customer <> 'bob';
-- expect:
-- {"id": 1}
-- {"id": 3}
-- {"id": 4}

SELECT id FROM orders WHERE NOT (qty > 2);
-- expect:
-- {"id": 3}
-- {"id": 6}

SELECT id, customer FROM orders WHERE customer LIKE 'a%' OR product LIKE '_anana';
-- expect:
-- {"id": 1, "customer": "alice"}
-- {"id": 2, "customer": "bob"}
-- {"id": 3, "customer": "alice"}
-- {"id": 6, "customer": null}

SELECT o.id AS order_id, o.qty + o.id AS s FROM orders AS o WHERE o.qty < 3 OR o.qty IS NULL;
-- expect:
-- {"order_id": 3, "s": 4}
-- {"order_id": 5, "s": null}
-- {"order_id": 6, "s": 8}

SELECT id FROM orders WHERE product IN ('cherry', 'banana') AND id > 2;
-- expect:
-- {"id": 3}
-- {"id": 6}

SELECT id FROM orders WHERE FALSE;
-- expect:

SELECT product AS p, product AS q FROM orders WHERE id = 3;
-- expect:
-- {"p": "cherry", "q": "cherry"}
