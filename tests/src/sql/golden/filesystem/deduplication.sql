-- Deduplication: ROW_NUMBER() over a partition ordered by the rowtime attribute, keeping rn = 1
-- (Flink's Deduplicate operator: keep the first row by event time with ASC, the last with DESC).
-- Expected rows worked out by hand from data/events.jsonl (u1's rows arrive out of time order).
-- parallelism: 2
CREATE TABLE events (usr STRING, url STRING, ts TIMESTAMP(3), score DOUBLE,
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/events.jsonl', 'format' = 'json');

SELECT usr, url FROM (
  SELECT usr, url, ROW_NUMBER() OVER (PARTITION BY usr ORDER BY ts ASC) AS rn FROM events
) WHERE rn = 1;
-- expect:
-- {"usr": "u1", "url": "/a"}
-- {"usr": "u2", "url": "/b"}
-- {"usr": "u3", "url": "/a"}

SELECT usr, url, ts FROM (
  SELECT usr, url, ts, ROW_NUMBER() OVER (PARTITION BY usr ORDER BY ts DESC) AS rn FROM events
) WHERE rn = 1;
-- expect:
-- {"usr": "u1", "url": "/c", "ts": "2020-04-15 08:00:05.000"}
-- {"usr": "u2", "url": "/d", "ts": "2020-04-15 08:00:09.000"}
-- {"usr": "u3", "url": "/a", "ts": "2020-04-15 08:00:03.000"}

SELECT url, COUNT(*) AS first_visits FROM (
  SELECT usr, url, ROW_NUMBER() OVER (PARTITION BY usr ORDER BY ts ASC) AS rn FROM events
) WHERE rn = 1 GROUP BY url;
-- expect:
-- {"url": "/a", "first_visits": 2}
-- {"url": "/b", "first_visits": 1}

-- Keep-last deduplication sends updates (a later row replaces the kept one); the aggregate above
-- must follow them: the last pages are u1 /c, u2 /d, u3 /a.
SELECT url, COUNT(*) AS last_visits FROM (
  SELECT usr, url, ROW_NUMBER() OVER (PARTITION BY usr ORDER BY ts DESC) AS rn FROM events
) WHERE rn = 1 GROUP BY url;
-- expect:
-- {"url": "/c", "last_visits": 1}
-- {"url": "/d", "last_visits": 1}
-- {"url": "/a", "last_visits": 1}
