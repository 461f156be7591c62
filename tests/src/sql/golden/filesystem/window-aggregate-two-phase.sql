-- Window TVF aggregation in two phases (Flink's LocalWindowAggregate -> GlobalWindowAggregate,
-- the default for event-time TUMBLE / HOP / CUMULATE unless 'table.optimizer.agg-phase-strategy'
-- is ONE_PHASE) and in one phase: the same rows, DISTINCT included. Expected rows worked
-- out by hand from data/events.jsonl: u1 at 1 s (1.5), 5 s (2.5), 4 s (0.5); u2 at 2 s (NULL),
-- 9 s (4.0); u3 at 3 s (NULL); all at 2020-04-15 08:00:xx, none late (watermark ts - 10 s).
-- parallelism: 2
-- modes: streaming
CREATE TABLE events (usr STRING, url STRING, ts TIMESTAMP(3), score DOUBLE,
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/events.jsonl', 'format' = 'json');

EXPLAIN SELECT usr, window_start, COUNT(*) AS n FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY usr, window_start, window_end;
-- expect contains:
-- GlobalWindowAggregate(groupBy=[usr], window=[HOP(slice_end=[$slice_end], size=[4 s], slide=[2 s])], select=[usr, COUNT(count$0) AS n, start('w$) AS window_start, end('w$) AS window_end])
-- LocalWindowAggregate(groupBy=[usr], window=[HOP(time_col=[ts], size=[4 s], slide=[2 s])], select=[usr, COUNT(*) AS count$0, slice_end('w$) AS $slice_end])

SELECT usr, window_start, window_end, COUNT(*) AS n, SUM(score) AS s, MAX(score) AS m FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY usr, window_start, window_end;
-- expect:
-- {"usr": "u1", "window_start": "2020-04-15 07:59:58.000", "window_end": "2020-04-15 08:00:02.000", "n": 1, "s": 1.5, "m": 1.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1, "s": 1.5, "m": 1.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:02.000", "window_end": "2020-04-15 08:00:06.000", "n": 2, "s": 3.0, "m": 2.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:04.000", "window_end": "2020-04-15 08:00:08.000", "n": 2, "s": 3.0, "m": 2.5}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1, "s": null, "m": null}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:02.000", "window_end": "2020-04-15 08:00:06.000", "n": 1, "s": null, "m": null}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:06.000", "window_end": "2020-04-15 08:00:10.000", "n": 1, "s": 4.0, "m": 4.0}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:08.000", "window_end": "2020-04-15 08:00:12.000", "n": 1, "s": 4.0, "m": 4.0}
-- {"usr": "u3", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1, "s": null, "m": null}
-- {"usr": "u3", "window_start": "2020-04-15 08:00:02.000", "window_end": "2020-04-15 08:00:06.000", "n": 1, "s": null, "m": null}

SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE';
-- expect ok

SELECT usr, window_start, window_end, COUNT(*) AS n, SUM(score) AS s, MAX(score) AS m FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY usr, window_start, window_end;
-- expect:
-- {"usr": "u1", "window_start": "2020-04-15 07:59:58.000", "window_end": "2020-04-15 08:00:02.000", "n": 1, "s": 1.5, "m": 1.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1, "s": 1.5, "m": 1.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:02.000", "window_end": "2020-04-15 08:00:06.000", "n": 2, "s": 3.0, "m": 2.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:04.000", "window_end": "2020-04-15 08:00:08.000", "n": 2, "s": 3.0, "m": 2.5}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1, "s": null, "m": null}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:02.000", "window_end": "2020-04-15 08:00:06.000", "n": 1, "s": null, "m": null}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:06.000", "window_end": "2020-04-15 08:00:10.000", "n": 1, "s": 4.0, "m": 4.0}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:08.000", "window_end": "2020-04-15 08:00:12.000", "n": 1, "s": 4.0, "m": 4.0}
-- {"usr": "u3", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1, "s": null, "m": null}
-- {"usr": "u3", "window_start": "2020-04-15 08:00:02.000", "window_end": "2020-04-15 08:00:06.000", "n": 1, "s": null, "m": null}

EXPLAIN SELECT usr, window_start, COUNT(*) AS n FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY usr, window_start, window_end;
-- expect contains:
-- WindowAggregate(groupBy=[usr], window=[HOP(time_col=[ts], size=[4 s], slide=[2 s])], select=[usr, COUNT(*) AS n, start('w$) AS window_start, end('w$) AS window_end])

SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';
-- expect ok

SELECT usr, window_start, window_end, COUNT(*) AS n FROM TABLE(
  CUMULATE(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY usr, window_start, window_end;
-- expect:
-- {"usr": "u1", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:02.000", "n": 1}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:04.000", "window_end": "2020-04-15 08:00:06.000", "n": 2}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:04.000", "window_end": "2020-04-15 08:00:08.000", "n": 2}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:08.000", "window_end": "2020-04-15 08:00:10.000", "n": 1}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:08.000", "window_end": "2020-04-15 08:00:12.000", "n": 1}
-- {"usr": "u3", "window_start": "2020-04-15 08:00:00.000", "window_end": "2020-04-15 08:00:04.000", "n": 1}

SELECT window_start, COUNT(*) AS n FROM TABLE(
  TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
-- expect:
-- {"window_start": "2020-04-15 08:00:00.000", "n": 4}
-- {"window_start": "2020-04-15 08:00:05.000", "n": 2}

SELECT window_start, COUNT(DISTINCT usr) AS users FROM TABLE(
  TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
-- expect:
-- {"window_start": "2020-04-15 08:00:00.000", "users": 3}
-- {"window_start": "2020-04-15 08:00:05.000", "users": 2}

EXPLAIN SELECT window_start, COUNT(DISTINCT usr) AS users FROM TABLE(
  TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
-- expect contains:
-- LocalWindowAggregate(window=[TUMBLE(time_col=[ts], size=[5 s])], select=[COUNT(DISTINCT usr) AS count$0, slice_end('w$) AS $slice_end])

SELECT usr, window_start, COUNT(*) AS n, SUM(score) AS s FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
WHERE url <> '/a'
GROUP BY usr, window_start, window_end;
-- expect:
-- {"usr": "u1", "window_start": "2020-04-15 07:59:55.000", "n": 1, "s": 0.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:00.000", "n": 2, "s": 3.0}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:05.000", "n": 1, "s": 2.5}
-- {"usr": "u2", "window_start": "2020-04-15 07:59:55.000", "n": 1, "s": null}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:00.000", "n": 2, "s": 4.0}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:05.000", "n": 1, "s": 4.0}

EXPLAIN SELECT usr, window_start, COUNT(*) AS n, SUM(score) AS s FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
WHERE url <> '/a'
GROUP BY usr, window_start, window_end;
-- expect contains:
-- GlobalWindowAggregate(groupBy=[usr], window=[HOP(slice_end=[$slice_end])], select=[usr, window_start, window_end, COUNT(count$0) AS n, SUM(sum$1) AS s])
-- LocalWindowAggregate(groupBy=[usr], window=[HOP(win_start=[window_start], win_end=[window_end])], select=[usr, window_start, window_end, COUNT(*) AS count$0, SUM(score) AS sum$1, slice_end('w$) AS $slice_end])

SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE';
-- expect ok

SELECT usr, window_start, COUNT(*) AS n, SUM(score) AS s FROM TABLE(
  HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
WHERE url <> '/a'
GROUP BY usr, window_start, window_end;
-- expect:
-- {"usr": "u1", "window_start": "2020-04-15 07:59:55.000", "n": 1, "s": 0.5}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:00.000", "n": 2, "s": 3.0}
-- {"usr": "u1", "window_start": "2020-04-15 08:00:05.000", "n": 1, "s": 2.5}
-- {"usr": "u2", "window_start": "2020-04-15 07:59:55.000", "n": 1, "s": null}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:00.000", "n": 2, "s": 4.0}
-- {"usr": "u2", "window_start": "2020-04-15 08:00:05.000", "n": 1, "s": 4.0}
