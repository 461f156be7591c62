-- OVER windows partitioned by expressions (computed by a projection below the OVER, as Flink's
-- planner does): an OVER aggregation, a Top-N and a deduplication partitioned by `usr = 'u1'`.
-- Expected rows worked out by hand from data/events.jsonl (by ts: u1 /a 08:00:01, u2 /b :02,
-- u3 /a :03, u1 /e :04, u1 /c :05, u2 /d :09).
-- modes: streaming
-- parallelism: 2
CREATE TABLE events (usr STRING, url STRING, ts TIMESTAMP(3), score DOUBLE,
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/events.jsonl', 'format' = 'json');

SELECT usr, url, COUNT(*) OVER (PARTITION BY usr = 'u1' ORDER BY ts
  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n FROM events;
-- expect:
-- {"usr": "u1", "url": "/a", "n": 1}
-- {"usr": "u1", "url": "/e", "n": 2}
-- {"usr": "u1", "url": "/c", "n": 3}
-- {"usr": "u2", "url": "/b", "n": 1}
-- {"usr": "u3", "url": "/a", "n": 2}
-- {"usr": "u2", "url": "/d", "n": 3}

SELECT usr, url FROM (
  SELECT usr, url, ROW_NUMBER() OVER (PARTITION BY usr <> 'u1' ORDER BY ts ASC) AS rn FROM events
) WHERE rn <= 2;
-- expect:
-- {"usr": "u1", "url": "/a"}
-- {"usr": "u1", "url": "/e"}
-- {"usr": "u2", "url": "/b"}
-- {"usr": "u3", "url": "/a"}

SELECT usr, url FROM (
  SELECT usr, url, ROW_NUMBER() OVER (PARTITION BY usr = 'u1' ORDER BY ts DESC) AS rn FROM events
) WHERE rn = 1;
-- expect:
-- {"usr": "u1", "url": "/c"}
-- {"usr": "u2", "url": "/d"}
