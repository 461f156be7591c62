-- Arithmetic on exact and approximate numbers. Flink keeps the operand type for + - * / % of
-- integers (Java semantics: division truncates toward zero, the remainder takes the dividend's
-- sign, overflow wraps around), so several results differ from DuckDB, which widens or errors;
-- each such case says so. BIGINTs beyond 2^53 - 1 are JSON strings (the jsonl mapping).
CREATE TEMPORARY VIEW n (i, j, big, d) AS VALUES
  (7, 2, CAST(9223372036854775807 AS BIGINT), 2.5e0),
  (-7, 3, CAST(-5 AS BIGINT), -0.5e0);

SELECT i / j AS q, i % j AS r, MOD(i, j) AS m, -i AS neg FROM n;
-- expect:
-- {"q": 3, "r": 1, "m": 1, "neg": -7}
-- {"q": -2, "r": -1, "m": -1, "neg": 7}

SELECT 7 / 2 AS a, -7 / 2 AS b, 7 % 3 AS c, -7 % 3 AS e, 7 % -3 AS f;
-- expect:
-- {"a": 3, "b": -3, "c": 1, "e": -1, "f": 1}

-- Overflow wraps (DuckDB raises an error instead).
SELECT x + 1 AS y FROM (VALUES (2147483647)) AS t (x);
-- expect:
-- {"y": -2147483648}

SELECT big + 1 AS wrapped, big - 1 AS below FROM n WHERE i = 7;
-- expect:
-- {"wrapped": "-9223372036854775808", "below": "9223372036854775806"}

SELECT CAST(100 AS TINYINT) + CAST(100 AS TINYINT) AS t, CAST(30000 AS SMALLINT) * CAST(2 AS SMALLINT) AS s;
-- expect:
-- {"t": -56, "s": -5536}

SELECT CAST(9007199254740993 AS BIGINT) AS exact, CAST(9007199254740993 AS BIGINT) + 2 AS plus2, big * 0 + 12 AS small FROM n WHERE i = 7;
-- expect:
-- {"exact": "9007199254740993", "plus2": "9007199254740995", "small": 12}

SELECT i + d AS s, i * d AS p, d / 2 AS h FROM n;
-- expect:
-- {"s": 9.5, "p": 17.5, "h": 1.25}
-- {"s": -7.5, "p": 3.5, "h": -0.25}

SELECT ABS(i) AS a, ABS(d) AS ad, SIGN(i) AS sg, POWER(j, 3) AS pw, SQRT(CAST(j * 8 AS DOUBLE)) AS sq FROM n;
-- expect:
-- {"a": 7, "ad": 2.5, "sg": 1, "pw": 8, "sq": 4}
-- {"a": 7, "ad": 0.5, "sg": -1, "pw": 27, "sq": 4.898979485566356}

SELECT FLOOR(d) AS f, CEIL(d) AS c, LN(1) AS l, LOG10(1000) AS l10, LOG2(8) AS l2, EXP(0) AS e FROM n WHERE i = 7;
-- expect:
-- {"f": 2, "c": 3, "l": 0, "l10": 3, "l2": 3, "e": 1}

SELECT ROUND(2.345, 2) AS r1, ROUND(-2.345, 2) AS r2, ROUND(2.5, 0) AS r3, TRUNCATE(42.324, 2) AS t1;
-- expect:
-- {"r1": "2.35", "r2": "-2.35", "r3": "3", "t1": "42.32"}

-- INT / DECIMAL is a DECIMAL division: scale max(6, s1 + p2 + 1) = 6 here.
SELECT 10 / 4.0 AS q, 1 + 1.5 AS s, 2 * 0.25 AS p;
-- expect:
-- {"q": "2.500000", "s": "2.5", "p": "0.50"}

SELECT BIN(12) AS b, HEX(255) AS h, MOD(10, 4) AS m, 3 * (2 + i) AS precedence FROM n WHERE i = 7;
-- expect:
-- {"b": "1100", "h": "FF", "m": 2, "precedence": 27}

SELECT i * j - j AS e1, (i - j) * j AS e2, i - j - j AS e3 FROM n WHERE i = 7;
-- expect:
-- {"e1": 12, "e2": 10, "e3": 3}
