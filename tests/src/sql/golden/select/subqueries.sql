-- WITH, derived tables, scalar subqueries, IN / NOT IN / EXISTS / NOT EXISTS subqueries.
-- Expected rows worked out by hand (NOT IN over a list containing NULL is never TRUE); all of
-- these are portable SQL and were cross-checked in DuckDB 1.x.
CREATE TEMPORARY VIEW customers (cid, name, city) AS VALUES
  (1, 'alice', 'paris'),
  (2, 'bob', 'berlin'),
  (3, 'carol', 'paris'),
  (4, 'dave', CAST(NULL AS STRING));
CREATE TEMPORARY VIEW orders (oid, cid, amount) AS VALUES
  (10, 1, 100),
  (11, 1, 50),
  (12, 2, 70),
  (13, 5, 20),
  (14, CAST(NULL AS INT), 5);

WITH paris AS (SELECT cid, name FROM customers WHERE city = 'paris')
SELECT name FROM paris WHERE cid > 1;
-- expect:
-- {"name": "carol"}

WITH a AS (SELECT cid FROM customers WHERE cid <= 2), b AS (SELECT cid * 10 AS c10 FROM a)
SELECT c10 FROM b;
-- expect:
-- {"c10": 10}
-- {"c10": 20}

SELECT t.n FROM (SELECT name AS n, cid FROM customers) AS t WHERE t.cid IN (2, 4);
-- expect:
-- {"n": "bob"}
-- {"n": "dave"}

SELECT name FROM customers WHERE cid IN (SELECT cid FROM orders);
-- expect:
-- {"name": "alice"}
-- {"name": "bob"}

SELECT name FROM customers WHERE cid NOT IN (SELECT cid FROM orders WHERE cid IS NOT NULL);
-- expect:
-- {"name": "carol"}
-- {"name": "dave"}

-- The subquery yields a NULL: `x NOT IN (…, NULL)` is never TRUE, so no row qualifies.
SELECT name FROM customers WHERE cid NOT IN (SELECT cid FROM orders);
-- expect:

SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.cid = c.cid AND o.amount > 60);
-- expect:
-- {"name": "alice"}
-- {"name": "bob"}

SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.cid = c.cid);
-- expect:
-- {"name": "carol"}
-- {"name": "dave"}

SELECT oid, (SELECT name FROM customers c WHERE c.cid = o.cid) AS who FROM orders o;
-- expect:
-- {"oid": 10, "who": "alice"}
-- {"oid": 11, "who": "alice"}
-- {"oid": 12, "who": "bob"}
-- {"oid": 13, "who": null}
-- {"oid": 14, "who": null}

SELECT oid FROM orders WHERE amount > (SELECT MIN(amount) FROM orders WHERE cid = 1);
-- expect:
-- {"oid": 10}
-- {"oid": 12}

SELECT name FROM customers WHERE cid IN (SELECT cid FROM orders WHERE amount < 60) AND city = 'paris';
-- expect:
-- {"name": "alice"}
