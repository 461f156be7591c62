-- Legacy group windows (GROUP BY TUMBLE(ts, ...)) over out-of-order input with late rows, without
-- and with late firing ('table.exec.emit.late-fire.*'), deterministic thanks to
-- 'scan.watermark.emit.strategy' = 'on-event' (set here by an OPTIONS hint). Expected rows worked out
-- by hand from Flink's WindowOperator: a row is dropped when its window's end - 1 ms + allowed
-- lateness <= W; a window fires when W passes its end - 1 ms; with late firing (delay 0) every
-- late row that is kept fires the window again (retracting the previous result).
--
-- data/late.jsonl, in arrival order (t = seconds after 2020-01-01 00:00:00), watermark ts - 1 s;
-- W = watermark in force when the row arrives:
--   #1 a v1 t1  W=-inf   #2 b v2 t3  W=0   #3 a v3 t2  W=2   #4 a v4 t7  W=2   #5 b v5 t4  W=6
--   #6 a v6 t6  W=6      #7 b v7 t12 W=6   #8 a v8 t9  W=11  #9 a v9 t13 W=11  end: W=+inf
-- TUMBLE 5 s, no allowed lateness: #5 ([0,5) fired at W=6) and #8 ([5,10) fired at W=11) dropped.
-- Late firing, allow-lateness 5 s: [0,5) is kept until W >= 9.999, [5,10) until 14.999, so #5
-- updates b [0,5) to n 2, s 7 and #8 updates a [5,10) to n 3, s 18.
-- Allow-lateness 1 s: [0,5) is kept until 5.999 <= W=6 and [5,10) until 10.999 <= 11: both late
-- rows are dropped, as without late firing.
-- modes: streaming
CREATE TABLE ev (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/late.jsonl', 'format' = 'json');

SELECT k, TUMBLE_START(ts, INTERVAL '5' SECOND) AS ws, COUNT(*) AS n, SUM(v) AS s
FROM ev /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-event') */
GROUP BY k, TUMBLE(ts, INTERVAL '5' SECOND);
-- expect:
-- {"k": "a", "ws": "2020-01-01 00:00:00.000", "n": 2, "s": 4}
-- {"k": "b", "ws": "2020-01-01 00:00:00.000", "n": 1, "s": 2}
-- {"k": "a", "ws": "2020-01-01 00:00:05.000", "n": 2, "s": 10}
-- {"k": "a", "ws": "2020-01-01 00:00:10.000", "n": 1, "s": 9}
-- {"k": "b", "ws": "2020-01-01 00:00:10.000", "n": 1, "s": 7}

EXPLAIN SELECT k, COUNT(*) AS n
FROM ev /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-event') */
GROUP BY k, TUMBLE(ts, INTERVAL '5' SECOND);
-- expect contains:
-- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 1000:INTERVAL SECOND)], watermarkEmitStrategy=[on-event]

SET 'table.exec.emit.late-fire.enabled' = 'true';
-- expect ok

SET 'table.exec.emit.late-fire.delay' = '0';
-- expect ok

SET 'table.exec.emit.allow-lateness' = '5 s';
-- expect ok

SELECT k, TUMBLE_START(ts, INTERVAL '5' SECOND) AS ws, COUNT(*) AS n, SUM(v) AS s
FROM ev /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-event') */
GROUP BY k, TUMBLE(ts, INTERVAL '5' SECOND);
-- expect:
-- {"k": "a", "ws": "2020-01-01 00:00:00.000", "n": 2, "s": 4}
-- {"k": "b", "ws": "2020-01-01 00:00:00.000", "n": 2, "s": 7}
-- {"k": "a", "ws": "2020-01-01 00:00:05.000", "n": 3, "s": 18}
-- {"k": "a", "ws": "2020-01-01 00:00:10.000", "n": 1, "s": 9}
-- {"k": "b", "ws": "2020-01-01 00:00:10.000", "n": 1, "s": 7}

SET 'table.exec.emit.allow-lateness' = '1 s';
-- expect ok

SELECT k, TUMBLE_START(ts, INTERVAL '5' SECOND) AS ws, COUNT(*) AS n, SUM(v) AS s
FROM ev /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-event') */
GROUP BY k, TUMBLE(ts, INTERVAL '5' SECOND);
-- expect:
-- {"k": "a", "ws": "2020-01-01 00:00:00.000", "n": 2, "s": 4}
-- {"k": "b", "ws": "2020-01-01 00:00:00.000", "n": 1, "s": 2}
-- {"k": "a", "ws": "2020-01-01 00:00:05.000", "n": 2, "s": 10}
-- {"k": "a", "ws": "2020-01-01 00:00:10.000", "n": 1, "s": 9}
-- {"k": "b", "ws": "2020-01-01 00:00:10.000", "n": 1, "s": 7}
