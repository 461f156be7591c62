-- Event-time OVER aggregation (ROWS, RANGE, unbounded) over out-of-order input with late rows,
-- deterministic thanks to 'scan.watermark.emit.strategy' = 'on-event' (a watermark after every row;
-- watermark ts - 1 s). Expected rows worked out by hand.
--
-- OVER (Flink's RowTime*PrecedingFunction): rows wait for the watermark; a row is dropped only when
-- its timestamp is <= the last timestamp already emitted for its key (lastTriggeringTs), so a row
-- behind the watermark but after every emitted row of its key is still kept. data/over.jsonl, key a,
-- arrival order (t in seconds; W = watermark in force on arrival; E = last emitted t of the key):
--   #1 v1 t1   W=-inf                          (then W=0)
--   #2 v2 t5   W=0                             (then W=4: t1 emitted, E=1)
--   #3 v3 t3   W=4, E=1: kept (behind W)
--   #4 v4 t9   W=4                             (then W=8: t3, t5 emitted, E=5)
--   #5 v5 t4   W=8, E=5: DROPPED
--   #6 v6 t6   W=8, E=5: kept (behind W)
--   #7 v7 t12  W=8                             (then W=11: t6, t9 emitted, E=9)
--   #8 v8 t9   W=11, E=9: DROPPED (equal to E)
--   #9 v9 t10  W=11, E=9: kept (behind W)      (end: t10, t12 emitted)
--   Kept, in time order: t1 1, t3 3, t5 2, t6 6, t9 4, t10 9, t12 7.
--   ROWS 1 PRECEDING sum: 1, 4, 5, 8, 10, 13, 16.  RANGE 2 s PRECEDING sum ([t-2 s, t]): 1, 4, 5, 8,
--   4, 13, 16.  COUNT RANGE UNBOUNDED: 1..7.
--
-- modes: streaming
CREATE TABLE ov (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/over.jsonl', 'format' = 'json',
  'scan.watermark.emit.strategy' = 'on-event');

SELECT ts, v,
  SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s
FROM ov;
-- expect:
-- {"ts": "2020-01-01 00:00:01.000", "v": 1, "s": 1}
-- {"ts": "2020-01-01 00:00:03.000", "v": 3, "s": 4}
-- {"ts": "2020-01-01 00:00:05.000", "v": 2, "s": 5}
-- {"ts": "2020-01-01 00:00:06.000", "v": 6, "s": 8}
-- {"ts": "2020-01-01 00:00:09.000", "v": 4, "s": 10}
-- {"ts": "2020-01-01 00:00:10.000", "v": 9, "s": 13}
-- {"ts": "2020-01-01 00:00:12.000", "v": 7, "s": 16}

SELECT ts, v,
  SUM(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW) AS s
FROM ov;
-- expect:
-- {"ts": "2020-01-01 00:00:01.000", "v": 1, "s": 1}
-- {"ts": "2020-01-01 00:00:03.000", "v": 3, "s": 4}
-- {"ts": "2020-01-01 00:00:05.000", "v": 2, "s": 5}
-- {"ts": "2020-01-01 00:00:06.000", "v": 6, "s": 8}
-- {"ts": "2020-01-01 00:00:09.000", "v": 4, "s": 4}
-- {"ts": "2020-01-01 00:00:10.000", "v": 9, "s": 13}
-- {"ts": "2020-01-01 00:00:12.000", "v": 7, "s": 16}

SELECT ts, COUNT(*) OVER (PARTITION BY k ORDER BY ts) AS n FROM ov;
-- expect:
-- {"ts": "2020-01-01 00:00:01.000", "n": 1}
-- {"ts": "2020-01-01 00:00:03.000", "n": 2}
-- {"ts": "2020-01-01 00:00:05.000", "n": 3}
-- {"ts": "2020-01-01 00:00:06.000", "n": 4}
-- {"ts": "2020-01-01 00:00:09.000", "n": 5}
-- {"ts": "2020-01-01 00:00:10.000", "n": 6}
-- {"ts": "2020-01-01 00:00:12.000", "n": 7}
