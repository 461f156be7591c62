-- Aggregates over aggregates: in streaming mode the inner GROUP BY sends -U/+U as each user's
-- count grows, and the outer operators must undo the old rows (a count passes through 1 and 2
-- before it settles at 3). Final rows worked out by hand: per-user counts are u1 3, u2 2, u3 1,
-- u4 2. Cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW clicks (usr, page) AS VALUES
  ('u1', 'a'), ('u2', 'a'), ('u1', 'b'), ('u3', 'a'), ('u1', 'c'), ('u2', 'b'), ('u4', 'a'), ('u4', 'b');
CREATE TEMPORARY VIEW per_user AS SELECT usr, COUNT(*) AS n FROM clicks GROUP BY usr;

SELECT n, COUNT(*) AS users FROM per_user GROUP BY n;
-- expect:
-- {"n": 3, "users": 1}
-- {"n": 2, "users": 2}
-- {"n": 1, "users": 1}

SELECT SUM(n) AS total, MAX(n) AS hi, MIN(n) AS lo, COUNT(*) AS users FROM per_user;
-- expect:
-- {"total": 8, "hi": 3, "lo": 1, "users": 4}

SELECT COUNT(*) AS sizes FROM (SELECT n, COUNT(*) AS c FROM per_user GROUP BY n) AS s;
-- expect:
-- {"sizes": 3}

SELECT COUNT(*) AS active FROM (SELECT usr FROM clicks GROUP BY usr HAVING COUNT(*) >= 2) AS a;
-- expect:
-- {"active": 3}

-- u1's count is 2 for a while; that row must be retracted when it becomes 3.
SELECT usr, n FROM per_user WHERE n = 2;
-- expect:
-- {"usr": "u2", "n": 2}
-- {"usr": "u4", "n": 2}

SELECT page, SUM(n) AS weight FROM clicks JOIN per_user ON clicks.usr = per_user.usr GROUP BY page;
-- expect:
-- {"page": "a", "weight": 8}
-- {"page": "b", "weight": 7}
-- {"page": "c", "weight": 3}

SELECT MAX(n) - MIN(n) AS spread, AVG(n) AS mean FROM per_user;
-- expect:
-- {"spread": 2, "mean": 2}
