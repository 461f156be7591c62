-- Window TVF aggregation (TUMBLE, HOP, CUMULATE) over out-of-order input with late rows, made
-- deterministic by 'scan.watermark.emit.strategy' = 'on-event' (a watermark after every row).
-- Expected rows worked out by hand from Flink's slicing window semantics.
--
-- data/late.jsonl, in arrival order (t = seconds after 2020-01-01 00:00:00), watermark ts - 1 s;
-- W = watermark in force when the row arrives (it advances only after the row):
--   #1 a v1 t1  W=-inf   #2 b v2 t3  W=0   #3 a v3 t2  W=2 (out of order, on time)
--   #4 a v4 t7  W=2      #5 b v5 t4  W=6   #6 a v6 t6  W=6   #7 b v7 t12 W=6
--   #8 a v8 t9  W=11     #9 a v9 t13 W=11  end of input: W=+inf
-- A row is dropped when the slice it falls in has fired (slice_end - 1 ms <= W) AND so has the
-- last window containing that slice; when only the slice has fired, the row still counts in the
-- windows that have not fired yet (Flink's WindowAggProcessor: "late, but maybe not need to drop").
--   TUMBLE 5 s: #5 (slice [0,5) fired at W=6) and #8 ([5,10) fired at W=11) are dropped.
--   HOP 4 s / 2 s: #5 (slice [4,6) fired) misses [2,6) but counts in [4,8); #8 (slice [8,10)
--     fired) misses [6,10) but counts in [8,12).
--   CUMULATE 2 s / 6 s: #5 (slice [4,6), last window [0,6) fired) is dropped; #8 (slice [8,10),
--     last window [6,12) open at W=11) misses [6,10) but counts in [6,12).
-- The other framework options ride along: an idle timeout and watermark alignment (one source in
-- its group) leave the per-event result unchanged; a bad strategy is an error naming the value.
-- Contrast: an OPTIONS hint (in a view) back to 'on-periodic' with 'pipeline.auto-watermark-interval' = '1 h'
-- emits no watermark before the end of input, so no row is late and TUMBLE counts #5 and #8 too.
-- modes: streaming
CREATE TABLE ev (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/late.jsonl', 'format' = 'json',
  'scan.watermark.emit.strategy' = 'on-event');

EXPLAIN SELECT k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY k, window_start, window_end;
-- expect contains:
-- watermarkEmitStrategy=[on-event]

SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY k, window_start, window_end;
-- expect:
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:05.000", "n": 2, "s": 4}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:05.000", "n": 1, "s": 2}
-- {"k": "a", "window_start": "2020-01-01 00:00:05.000", "window_end": "2020-01-01 00:00:10.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 7}

SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY k, window_start, window_end;
-- expect:
-- {"k": "a", "window_start": "2019-12-31 23:59:58.000", "window_end": "2020-01-01 00:00:02.000", "n": 1, "s": 1}
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:04.000", "n": 2, "s": 4}
-- {"k": "a", "window_start": "2020-01-01 00:00:02.000", "window_end": "2020-01-01 00:00:06.000", "n": 1, "s": 3}
-- {"k": "a", "window_start": "2020-01-01 00:00:04.000", "window_end": "2020-01-01 00:00:08.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:06.000", "window_end": "2020-01-01 00:00:10.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:08.000", "window_end": "2020-01-01 00:00:12.000", "n": 1, "s": 8}
-- {"k": "a", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:14.000", "n": 1, "s": 9}
-- {"k": "a", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:16.000", "n": 1, "s": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:04.000", "n": 1, "s": 2}
-- {"k": "b", "window_start": "2020-01-01 00:00:02.000", "window_end": "2020-01-01 00:00:06.000", "n": 1, "s": 2}
-- {"k": "b", "window_start": "2020-01-01 00:00:04.000", "window_end": "2020-01-01 00:00:08.000", "n": 1, "s": 5}
-- {"k": "b", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:14.000", "n": 1, "s": 7}
-- {"k": "b", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:16.000", "n": 1, "s": 7}

SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '6' SECOND))
GROUP BY k, window_start, window_end;
-- expect:
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:02.000", "n": 1, "s": 1}
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:04.000", "n": 2, "s": 4}
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:06.000", "n": 2, "s": 4}
-- {"k": "a", "window_start": "2020-01-01 00:00:06.000", "window_end": "2020-01-01 00:00:08.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:06.000", "window_end": "2020-01-01 00:00:10.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:06.000", "window_end": "2020-01-01 00:00:12.000", "n": 3, "s": 18}
-- {"k": "a", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:14.000", "n": 1, "s": 9}
-- {"k": "a", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:16.000", "n": 1, "s": 9}
-- {"k": "a", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:18.000", "n": 1, "s": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:04.000", "n": 1, "s": 2}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:06.000", "n": 1, "s": 2}
-- {"k": "b", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:14.000", "n": 1, "s": 7}
-- {"k": "b", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:16.000", "n": 1, "s": 7}
-- {"k": "b", "window_start": "2020-01-01 00:00:12.000", "window_end": "2020-01-01 00:00:18.000", "n": 1, "s": 7}

CREATE TEMPORARY VIEW aligned AS
SELECT * FROM ev /*+ OPTIONS('scan.watermark.idle-timeout' = '10 s',
  'scan.watermark.alignment.group' = 'g1', 'scan.watermark.alignment.max-drift' = '1 min') */;
-- expect ok

SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(TUMBLE(TABLE aligned, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY k, window_start, window_end;
-- expect:
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:05.000", "n": 2, "s": 4}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:05.000", "n": 1, "s": 2}
-- {"k": "a", "window_start": "2020-01-01 00:00:05.000", "window_end": "2020-01-01 00:00:10.000", "n": 2, "s": 10}
-- {"k": "a", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 7}

SELECT k FROM ev /*+ OPTIONS('scan.watermark.emit.strategy' = 'sometimes') */;
-- expect error: Invalid value for option 'scan.watermark.emit.strategy' of table 'ev': 'sometimes' (expected one of on-event, on-periodic)

SET 'pipeline.auto-watermark-interval' = '1 h';
-- expect ok

CREATE TEMPORARY VIEW periodic AS
SELECT * FROM ev /*+ OPTIONS('scan.watermark.emit.strategy' = 'on-periodic') */;
-- expect ok

SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(TUMBLE(TABLE periodic, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY k, window_start, window_end;
-- expect:
-- {"k": "a", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:05.000", "n": 2, "s": 4}
-- {"k": "b", "window_start": "2020-01-01 00:00:00.000", "window_end": "2020-01-01 00:00:05.000", "n": 2, "s": 7}
-- {"k": "a", "window_start": "2020-01-01 00:00:05.000", "window_end": "2020-01-01 00:00:10.000", "n": 3, "s": 18}
-- {"k": "a", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 9}
-- {"k": "b", "window_start": "2020-01-01 00:00:10.000", "window_end": "2020-01-01 00:00:15.000", "n": 1, "s": 7}
