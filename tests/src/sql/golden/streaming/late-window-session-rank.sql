-- SESSION windows (with PARTITION BY), window Top-N and window deduplication over out-of-order input
-- with late rows, deterministic thanks to 'scan.watermark.emit.strategy' = 'on-event'. Expected rows
-- worked out by hand from Flink's semantics.
--
-- data/late.jsonl, in arrival order (t = seconds after 2020-01-01 00:00:00), watermark ts - 1 s;
-- W = watermark in force when the row arrives:
--   #1 a v1 t1  W=-inf   #2 b v2 t3  W=0   #3 a v3 t2  W=2   #4 a v4 t7  W=2   #5 b v5 t4  W=6
--   #6 a v6 t6  W=6      #7 b v7 t12 W=6   #8 a v8 t9  W=11  #9 a v9 t13 W=11  end: W=+inf
--
-- SESSION gap 2 s, PARTITION BY k (Flink's unslicing merging windows: a row opens [t, t+2), merges
-- with the key's open sessions, and is dropped when the merged window's end - 1 ms <= W; a session
-- is emitted and forgotten when W passes its end - 1 ms):
--   a: #1 [1,3) + #3 [2,4) -> [1,4), fired at W=6 (n 2, s 4); #4 [7,9) + #6 [6,8) -> [6,9), fired
--      at W=11 (n 2, s 10); #8 [9,11) is late at W=11 (10.999 <= 11): dropped; #9 [13,15) (n 1, s 9).
--   b: #2 [3,5) fired at W=6; #5 [4,6) is late at W=6 (5.999 <= 6): dropped; #7 [12,14).
-- TUMBLE 5 s Top-2 by v DESC per window and deduplication (last row per k and window by ts): rows
-- of a fired window are dropped, i.e. #5 (window [0,5), fired at W=6) and #8 ([5,10), fired at W=11).
--   Top-2: [0,5) v3, v2 (not v5); [5,10) v6, v4 (not v8); [10,15) v9, v7.
--   Last row: [0,5) a v3, b v2 (not v5); [5,10) a v4 (t7, not v8 at t9); [10,15) a v9, b v7.
-- modes: streaming
CREATE TABLE ev (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/late.jsonl', 'format' = 'json',
  'scan.watermark.emit.strategy' = 'on-event');

SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(SESSION(TABLE ev PARTITION BY k, DESCRIPTOR(ts), INTERVAL '2' SECOND))
GROUP BY k, window_start, window_end;
-- expect:
-- {"k": "a", "window_start": "2020-01-01 00:00:01.000", "window_end": "2020-01-01 00:00:04.000", "n": 2, "s": 4}
-- {"k": "a", "window_start": "2020-01-01 00:00:06.000", "window_end": "2020-01-01 00:00:09.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:13.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:03.000", "window_end": "2020-01-01 00:00:05.000", "n": 1, "s": 2}
-- {"k": "b", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:14.000", "n": 1, "s": 7}

SELECT window_start, v, rn FROM (
  SELECT window_start, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS rn
  FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND)))
WHERE rn <= 2;
-- expect:
-- {"window_start": "2020-01-01 00:00:00.000", "v": 3, "rn": 1}
-- {"window_start": "2020-01-01 00:00:00.000", "v": 2, "rn": 2}
-- {"window_start": "2020-01-01 00:00:05.000", "v": 6, "rn": 1}
-- {"window_start": "2020-01-01 00:00:05.000", "v": 4, "rn": 2}
-- {"window_start": "2020-01-01 00:00:10.000", "v": 9, "rn": 1}
-- {"window_start": "2020-01-01 00:00:10.000", "v": 7, "rn": 2}

SELECT k, window_start, v FROM (
  SELECT k, window_start, v,
    ROW_NUMBER() OVER (PARTITION BY k, window_start, window_end ORDER BY ts DESC) AS rn
  FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND)))
WHERE rn = 1;
-- expect:
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "v": 3}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "v": 2}
-- {"k": "a", "window_start": "2020-01-01 00:00:05.000", "v": 4}
-- {"k": "a", "window_start": "2020-01-01 00:00:10.000", "v": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:10.000", "v": 7}

EXPLAIN SELECT k, window_start, v FROM (
  SELECT k, window_start, v,
    ROW_NUMBER() OVER (PARTITION BY k, window_start, window_end ORDER BY ts DESC) AS rn
  FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND)))
WHERE rn = 1;
-- expect contains:
-- WindowDeduplicate(
