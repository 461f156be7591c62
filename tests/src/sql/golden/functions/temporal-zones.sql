-- Functions that depend on the session time zone ('table.local-time-zone'): FROM_UNIXTIME,
-- UNIX_TIMESTAMP, TO_TIMESTAMP_LTZ (TIMESTAMP_LTZ shows in the session zone), CONVERT_TZ.
-- Expected values from Flink's function reference examples (FROM_UNIXTIME(44) in UTC and in
-- Asia/Tokyo, UNIX_TIMESTAMP in Europe/Berlin, CONVERT_TZ to America/Los_Angeles).
SET 'table.local-time-zone' = 'UTC';

SELECT FROM_UNIXTIME(44) AS f, TO_TIMESTAMP_LTZ(0, 3) AS l3, TO_TIMESTAMP_LTZ(1000, 0) AS l0,
  CONVERT_TZ('1970-01-01 00:00:00', 'UTC', 'America/Los_Angeles') AS c;
-- expect:
-- {"f": "1970-01-01 00:00:44", "l3": "1970-01-01 00:00:00.000", "l0": "1970-01-01 00:16:40.000", "c": "1969-12-31 16:00:00"}

SET 'table.local-time-zone' = 'Asia/Tokyo';

SELECT FROM_UNIXTIME(44) AS f, TO_TIMESTAMP_LTZ(0, 3) AS l3;
-- expect:
-- {"f": "1970-01-01 09:00:44", "l3": "1970-01-01 09:00:00.000"}

SET 'table.local-time-zone' = 'Europe/Berlin';

SELECT UNIX_TIMESTAMP('1970-01-01 08:00:01.001', 'yyyy-MM-dd HH:mm:ss.SSS') AS u1,
  UNIX_TIMESTAMP('1970-01-01 08:00:01.001 +0800', 'yyyy-MM-dd HH:mm:ss.SSS X') AS u2,
  UNIX_TIMESTAMP('1970-01-01 08:00:01') AS u3;
-- expect:
-- {"u1": 25201, "u2": 1, "u3": 25201}
