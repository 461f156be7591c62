-- DECIMAL exactness: results are exact, with the precision and scale Flink derives
-- (+/-: scale max(s1, s2); *: scale s1 + s2; /: scale max(6, s1 + p2 + 1); SUM: DECIMAL(38, s);
-- AVG: DECIMAL(38, max(6, s)), rounded half up). DECIMAL values are JSON strings with exactly
-- `scale` digits. Worked out by hand; DuckDB uses other result scales, so only the values were
-- cross-checked there.
CREATE TEMPORARY VIEW prices (p) AS VALUES
  (CAST(1.00 AS DECIMAL(10, 2))), (CAST(2.00 AS DECIMAL(10, 2))), (CAST(2.00 AS DECIMAL(10, 2)));
CREATE TEMPORARY VIEW tenths (x) AS VALUES (0.1), (0.1), (0.1), (0.1), (0.1), (0.1), (0.1), (0.1), (0.1), (0.1);

SELECT 0.1 + 0.2 AS s, 0.3 - 0.1 AS d, 1.5 * 1.5 AS p;
-- expect:
-- {"s": "0.3", "d": "0.2", "p": "2.25"}

SELECT CAST(1.10 AS DECIMAL(5, 2)) * CAST(2.5 AS DECIMAL(3, 1)) AS p, CAST(2.50 AS DECIMAL(4, 2)) + 1 AS s,
  CAST(-1.25 AS DECIMAL(5, 2)) * 2 AS n;
-- expect:
-- {"p": "2.750", "s": "3.50", "n": "-2.50"}

SELECT CAST(1 AS DECIMAL(10, 2)) / CAST(3 AS DECIMAL(10, 2)) AS third;
-- expect:
-- {"third": "0.3333333333333"}

SELECT SUM(x) AS total, COUNT(*) AS n FROM tenths;
-- expect:
-- {"total": "1.0", "n": 10}

SELECT SUM(p) AS total, AVG(p) AS mean, MIN(p) AS lo, MAX(p) AS hi FROM prices;
-- expect:
-- {"total": "5.00", "mean": "1.666667", "lo": "1.00", "hi": "2.00"}

SELECT CAST(1.5 AS DECIMAL(5, 2)) = CAST(1.50 AS DECIMAL(3, 1)) AS same, CAST(2.5 AS DECIMAL(3, 1)) * 2e0 AS dbl;
-- expect:
-- {"same": true, "dbl": 5}

SELECT CAST('12345678901234567890.12' AS DECIMAL(22, 2)) + CAST(0.01 AS DECIMAL(3, 2)) AS big;
-- expect:
-- {"big": "12345678901234567890.13"}

SELECT p * 3 AS triple, p - 0.005 AS less FROM prices WHERE p < 1.5;
-- expect:
-- {"triple": "3.00", "less": "0.995"}
