-- Window Top-N and window joins take only inserts: over an updating input (here a keep-last-row
-- deduplication) the planner refuses them with Flink's error (FlinkChangelogModeInferenceProgram:
-- "<operator> doesn't support consuming update changes which is produced by node …"), before
-- anything runs, so EXPLAIN refuses them too. Deduplicate(keep=[LastRow]) emits I, UB, UA (no
-- deletes), hence "update" alone.
-- modes: streaming
CREATE TABLE bids (item STRING, price INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TEMPORARY VIEW latest AS
  SELECT item, price, ts FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY item ORDER BY ts DESC) AS rn FROM bids)
  WHERE rn = 1;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(ts), INTERVAL '10' SECOND)))
WHERE rn <= 3;
-- expect error: StreamPhysicalWindowRank doesn't support consuming update changes which is produced by node Deduplicate(keep=[LastRow], key=[item], order=[ROWTIME])

EXPLAIN SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(ts), INTERVAL '10' SECOND)))
WHERE rn <= 3;
-- expect error: StreamPhysicalWindowRank doesn't support consuming update changes

SELECT L.item, L.price, R.price AS other
FROM (SELECT * FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(ts), INTERVAL '10' SECOND))) L
JOIN (SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))) R
  ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.item = R.item;
-- expect error: StreamPhysicalWindowJoin doesn't support consuming update changes which is produced by node Deduplicate(keep=[LastRow], key=[item], order=[ROWTIME])
