-- More functions and types: CHAR(n) pads with spaces (Flink 1.16+), BYTES show as lower-case
-- hex, TIMESTAMP(6) prints six fraction digits, TIMESTAMP_LTZ converted in the session zone,
-- EXTRACT of QUARTER / DOW / DOY / WEEK (Flink's reference example: DATE '1994-09-27' is in
-- quarter 3, day of week 3 with Sunday = 1, day 270, week 39), DATE_FORMAT of a string,
-- SUBSTRING past the end, ROUND of doubles half up, CEIL / FLOOR of DECIMALs. Expected values by hand from Flink's reference.
SET 'table.local-time-zone' = 'UTC';

SELECT CAST('ab' AS CHAR(4)) AS c, CHAR_LENGTH(CAST('ab' AS CHAR(4))) AS n, CAST('abc' AS BYTES) AS b, X'0aff' AS lit;
-- expect:
-- {"c": "ab  ", "n": 4, "b": "616263", "lit": "0aff"}

SELECT CAST('2020-01-01 10:00:00.5' AS TIMESTAMP(6)) AS t6,
  TO_TIMESTAMP('2020-04-15 08:05:00.123', 'yyyy-MM-dd HH:mm:ss.SSS') AS t3,
  CAST(TO_TIMESTAMP_LTZ(86400000, 3) AS TIMESTAMP(3)) AS from_ltz;
-- expect:
-- {"t6": "2020-01-01 10:00:00.500000", "t3": "2020-04-15 08:05:00.123", "from_ltz": "1970-01-02 00:00:00.000"}

SELECT EXTRACT(QUARTER FROM DATE '1994-09-27') AS q, EXTRACT(DOW FROM DATE '1994-09-27') AS dow,
  EXTRACT(DOY FROM DATE '1994-09-27') AS doy, EXTRACT(WEEK FROM DATE '1994-09-27') AS w,
  DATE_FORMAT('2020-04-15 08:05:00', 'HH:mm') AS hm;
-- expect:
-- {"q": 3, "dow": 3, "doy": 270, "w": 39, "hm": "08:05"}

SELECT SUBSTRING('abc' FROM 2 FOR 10) AS s1, SUBSTRING('abc' FROM 5) AS s2, TRIM(TRAILING 'x' FROM 'axxx') AS t,
  'a' || CAST(NULL AS STRING) IS NULL AS n, POSITION('z' IN 'abc') AS p;
-- expect:
-- {"s1": "bc", "s2": "", "t": "a", "n": true, "p": 0}

SELECT ABS(x) AS a, ROUND(2.5e0, 0) AS r1, ROUND(-2.5e0, 0) AS r2, CEIL(1.2) AS c, FLOOR(-1.2) AS f, POWER(2, -1) AS p
FROM (VALUES (-7)) AS t (x);
-- expect:
-- {"a": 7, "r1": 3, "r2": -3, "c": "2", "f": "-2", "p": 0.5}

SELECT HEX('hello,world') AS h, CHAR_LENGTH(UUID()) AS uuid_length, 1 = 1e0 AS mixed, CAST(1 AS TINYINT) < 1000 AS widened;
-- expect:
-- {"h": "68656C6C6F2C776F726C64", "uuid_length": 36, "mixed": true, "widened": true}
