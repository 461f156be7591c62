-- CAST and TRY_CAST with Flink's (1.15+) semantics: numeric narrowing wraps like Java, DECIMAL
-- rounds half up and an overflowing DECIMAL cast is NULL, BOOLEAN to STRING is upper case,
-- casting to VARCHAR(n) truncates, TRY_CAST gives NULL where CAST fails (CAST failures are in
-- errors/runtime.sql). Expected values from Flink's function reference and by hand; DuckDB
-- errors on narrowing overflow, rounds (Flink truncates) DECIMAL/DOUBLE to integers, prints
-- booleans in lower case, ignores VARCHAR(n) lengths and keeps no TIMESTAMP precision.
CREATE TEMPORARY VIEW c (s, n, d) AS VALUES ('42', 7, 3.7e0), ('abc', -7, -3.7e0), (CAST(NULL AS STRING), CAST(NULL AS INT), CAST(NULL AS DOUBLE));

SELECT CAST('42' AS INT) AS i, CAST(3.7 AS INT) AS t1, CAST(-3.7 AS INT) AS t2, CAST(1.9 AS BIGINT) AS t3,
  CAST('1.5' AS DOUBLE) AS dbl;
-- expect:
-- {"i": 42, "t1": 3, "t2": -3, "t3": 1, "dbl": 1.5}

SELECT s, TRY_CAST(s AS INT) AS i, COALESCE(TRY_CAST(s AS INT), 0) AS z, CAST(d AS INT) AS di, CAST(n AS DOUBLE) AS nd FROM c;
-- expect:
-- {"s": "42", "i": 42, "z": 42, "di": 3, "nd": 7}
-- {"s": "abc", "i": null, "z": 0, "di": -3, "nd": -7}
-- {"s": null, "i": null, "z": 0, "di": null, "nd": null}

SELECT CAST(TRUE AS STRING) AS b, CAST(12.5 AS STRING) AS dc, CAST(42 AS STRING) AS i, CAST(DATE '2020-01-01' AS STRING) AS d,
  CAST(TIMESTAMP '2020-01-01 10:00:00' AS STRING) AS ts;
-- expect:
-- {"b": "TRUE", "dc": "12.5", "i": "42", "d": "2020-01-01", "ts": "2020-01-01 10:00:00"}

SELECT CAST(123 AS DECIMAL(5, 1)) AS a, CAST(1.005 AS DECIMAL(4, 2)) AS b, CAST(12345.678 AS DECIMAL(5, 2)) AS c,
  CAST('3.14159' AS DECIMAL(4, 3)) AS d;
-- expect:
-- {"a": "123.0", "b": "1.01", "c": null, "d": "3.142"}

SELECT CAST('2020-02-29' AS DATE) AS d, CAST('2020-02-29 10:11:12' AS TIMESTAMP(3)) AS ts, CAST('10:11:12' AS TIME) AS t;
-- expect:
-- {"d": "2020-02-29", "ts": "2020-02-29 10:11:12.000", "t": "10:11:12"}

SELECT CAST(TRUE AS INT) AS t, CAST(0 AS BOOLEAN) AS f, CAST(5 AS BOOLEAN) AS five, CAST('true' AS BOOLEAN) AS s;
-- expect:
-- {"t": 1, "f": false, "five": true, "s": true}

-- Narrowing wraps (Java semantics); DuckDB raises an error instead.
SELECT CAST(CAST(2147483648 AS BIGINT) AS INT) AS i, CAST(300 AS TINYINT) AS t;
-- expect:
-- {"i": -2147483648, "t": 44}

SELECT CAST('abcdef' AS VARCHAR(3)) AS v, CAST(NULL AS STRING) AS n, TRY_CAST('42' AS INT) AS ok,
  TRY_CAST('2020-13-45' AS DATE) AS bad_date;
-- expect:
-- {"v": "abc", "n": null, "ok": 42, "bad_date": null}

SELECT n + CAST(s AS INT) AS total FROM c WHERE s = '42';
-- expect:
-- {"total": 49}
