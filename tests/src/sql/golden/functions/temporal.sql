-- Temporal functions and literals. Expected values from Flink's function reference examples
-- (EXTRACT, YEAR … DAYOFWEEK of DATE '1994-09-27', FLOOR/CEIL of TIME '12:44:31') and by hand from
-- the calendar; timestamps print as Flink does ("yyyy-MM-dd HH:mm:ss" plus as many fraction digits
-- as the type's precision), intervals as Flink's strings ("+2 00:00:00.000", "+2-10").
-- TIMESTAMPDIFF counts whole units (Flink; DuckDB's datediff counts boundaries instead).
SET 'table.local-time-zone' = 'UTC';
CREATE TEMPORARY VIEW ev (id, d, ts) AS VALUES
  (1, DATE '2020-02-28', TIMESTAMP '2020-02-28 23:30:00'),
  (2, DATE '2021-12-31', TIMESTAMP '2021-12-31 08:05:07'),
  (3, CAST(NULL AS DATE), CAST(NULL AS TIMESTAMP(0)));

SELECT DATE '2020-01-15' AS d, TIME '08:05:00' AS t, TIMESTAMP '2020-04-15 08:05:00' AS ts,
  TIMESTAMP '2020-04-15 08:05:00.123' AS ts3;
-- expect:
-- {"d": "2020-01-15", "t": "08:05:00", "ts": "2020-04-15 08:05:00", "ts3": "2020-04-15 08:05:00.123"}

SELECT EXTRACT(YEAR FROM DATE '2006-06-05') AS y, EXTRACT(MONTH FROM DATE '2006-06-05') AS m,
  EXTRACT(DAY FROM DATE '2006-06-05') AS d, EXTRACT(HOUR FROM TIMESTAMP '2020-04-15 08:05:07') AS h,
  EXTRACT(MINUTE FROM TIMESTAMP '2020-04-15 08:05:07') AS mi, EXTRACT(SECOND FROM TIMESTAMP '2020-04-15 08:05:07') AS s;
-- expect:
-- {"y": 2006, "m": 6, "d": 5, "h": 8, "mi": 5, "s": 7}

SELECT YEAR(DATE '1994-09-27') AS y, QUARTER(DATE '1994-09-27') AS q, MONTH(DATE '1994-09-27') AS m,
  WEEK(DATE '1994-09-27') AS w, DAYOFYEAR(DATE '1994-09-27') AS doy, DAYOFMONTH(DATE '1994-09-27') AS dom,
  DAYOFWEEK(DATE '1994-09-27') AS dow;
-- expect:
-- {"y": 1994, "q": 3, "m": 9, "w": 39, "doy": 270, "dom": 27, "dow": 3}

SELECT id, d + INTERVAL '1' DAY AS next_day, ts + INTERVAL '90' MINUTE AS later, EXTRACT(YEAR FROM ts) AS y FROM ev;
-- expect:
-- {"id": 1, "next_day": "2020-02-29", "later": "2020-02-29 01:00:00", "y": 2020}
-- {"id": 2, "next_day": "2022-01-01", "later": "2021-12-31 09:35:07", "y": 2021}
-- {"id": 3, "next_day": null, "later": null, "y": null}

SELECT TIMESTAMP '2020-03-31 10:00:00' - INTERVAL '1' MONTH AS prev_month, DATE '2020-01-31' + INTERVAL '1' MONTH AS next_month;
-- expect:
-- {"prev_month": "2020-02-29 10:00:00", "next_month": "2020-02-29"}

SELECT DATE_FORMAT(TIMESTAMP '2020-04-15 08:05:00', 'yyyy-MM-dd') AS f1,
  DATE_FORMAT(TIMESTAMP '2020-04-15 18:05:09', 'yyyy/MM/dd HH:mm:ss') AS f2, DATE_FORMAT(ts, 'dd.MM.yy') AS f3
FROM ev WHERE id = 2;
-- expect:
-- {"f1": "2020-04-15", "f2": "2020/04/15 18:05:09", "f3": "31.12.21"}

SELECT TO_TIMESTAMP('2020-04-15 08:05:00') AS t1, TO_TIMESTAMP('15/04/2020 08:05', 'dd/MM/yyyy HH:mm') AS t2,
  TO_DATE('2020-04-15') AS d1, TO_DATE('20200415', 'yyyyMMdd') AS d2;
-- expect:
-- {"t1": "2020-04-15 08:05:00.000", "t2": "2020-04-15 08:05:00.000", "d1": "2020-04-15", "d2": "2020-04-15"}

SELECT TIMESTAMPADD(DAY, 1, TIMESTAMP '2020-02-28 10:00:00') AS a1, TIMESTAMPADD(HOUR, -3, TIMESTAMP '2020-03-01 01:00:00') AS a2,
  TIMESTAMPADD(MONTH, 1, TIMESTAMP '2020-01-31 00:00:00') AS a3;
-- expect:
-- {"a1": "2020-02-29 10:00:00", "a2": "2020-02-29 22:00:00", "a3": "2020-02-29 00:00:00"}

SELECT TIMESTAMPDIFF(DAY, TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-03 12:00:00') AS days,
  TIMESTAMPDIFF(HOUR, TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-03 12:00:00') AS hours,
  TIMESTAMPDIFF(MONTH, TIMESTAMP '2020-01-15 00:00:00', TIMESTAMP '2020-03-20 00:00:00') AS months,
  TIMESTAMPDIFF(YEAR, TIMESTAMP '2019-06-01 00:00:00', TIMESTAMP '2021-05-31 00:00:00') AS years,
  TIMESTAMPDIFF(SECOND, TIMESTAMP '2020-01-01 00:01:00', TIMESTAMP '2020-01-01 00:00:00') AS neg;
-- expect:
-- {"days": 2, "hours": 60, "months": 2, "years": 1, "neg": -60}

SELECT FLOOR(TIMESTAMP '2020-04-15 08:05:07' TO HOUR) AS fh, FLOOR(TIME '12:44:31' TO MINUTE) AS fm,
  CEIL(TIME '12:44:31' TO MINUTE) AS cm, FLOOR(DATE '2020-04-15' TO MONTH) AS fmo;
-- expect:
-- {"fh": "2020-04-15 08:00:00", "fm": "12:44:00", "cm": "12:45:00", "fmo": "2020-04-01"}

SELECT INTERVAL '2' DAY AS i1, INTERVAL '2-10' YEAR TO MONTH AS i2, INTERVAL '10 00:00:00.004' DAY TO SECOND AS i3;
-- expect:
-- {"i1": "+2 00:00:00.000", "i2": "+2-10", "i3": "+10 00:00:00.004"}

SELECT CAST(TIMESTAMP '2020-04-15 08:05:00' AS DATE) AS d, CAST(ts AS TIME) AS t, CAST(d AS TIMESTAMP(3)) AS ts3
FROM ev WHERE id = 1;
-- expect:
-- {"d": "2020-04-15", "t": "23:30:00", "ts3": "2020-02-28 00:00:00.000"}

SELECT id FROM ev WHERE ts > TIMESTAMP '2021-01-01 00:00:00' OR d < DATE '2020-03-01';
-- expect:
-- {"id": 1}
-- {"id": 2}

SELECT MAX(ts) AS latest, MIN(d) AS earliest FROM ev;
-- expect:
-- {"latest": "2021-12-31 08:05:07", "earliest": "2020-02-28"}
