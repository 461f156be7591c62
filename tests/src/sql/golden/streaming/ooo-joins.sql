-- Event-time joins (window join, interval join, event-time temporal join) over out-of-order input
-- on both sides, with a watermark after every row ('scan.watermark.emit.strategy' = 'on-event').
-- Expected rows worked out by hand from Flink's semantics.
--
-- Why no late rows here: a two-input operator's watermark is the minimum of its inputs', and the
-- interleaving of two sources at the join is not fixed, so whether a row is behind the JOIN's
-- watermark depends on timing even with per-event watermarks (a row is only guaranteed on time:
-- the join's watermark never passes the row's own side's). Every row below is on time on its own
-- side, hence at the join, in every interleaving; late rows of these operators are tested with an
-- operator harness that fixes the interleaving (exec/window-join, exec/interval-join,
-- exec/temporal tests).
--
-- data/orders.jsonl (watermark ts - 2 s; t in seconds): a1 t1, b2 t3, a3 t2, a4 t7, b5 t6, a6 t12,
--   b7 t11 (own watermark before each: -inf, -1, 1, 1, 5, 5, 10: each row after it).
-- data/rates.jsonl (watermark ts - 2 s): a 10 t2, b 20 t1, a 11 t8, b 21 t9, a 12 t11
--   (own watermark before each: -inf, 0, 0, 6, 7).
-- TUMBLE 5 s window join on k: [0,5) a1-10, a3-10, b2-20; [5,10) a4-11, b5-21; [10,15) a6-12.
-- Interval join o.ts BETWEEN r.ts - 1 s AND r.ts + 1 s on k: a1-10 (t1/t2), a3-10 (t2/t2),
--   a4-11 (t7/t8), a6-12 (t12/t11); no b pair is within 1 s.
-- Temporal join FOR SYSTEM_TIME AS OF o.ts (the latest rate at or before o.ts): a1 none (dropped,
--   inner), a3 10, a4 10, a6 12, b2 20, b5 20, b7 21.
-- modes: streaming
CREATE TABLE orders (id INT, k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/orders.jsonl', 'format' = 'json',
  'scan.watermark.emit.strategy' = 'on-event');

CREATE TABLE rates (k STRING, v INT, ts TIMESTAMP(3), PRIMARY KEY (k) NOT ENFORCED,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/rates.jsonl', 'format' = 'json',
  'scan.watermark.emit.strategy' = 'on-event');

SELECT o.id, r.v, o.window_start
FROM (SELECT * FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '5' SECOND))) o
JOIN (SELECT * FROM TABLE(TUMBLE(TABLE rates, DESCRIPTOR(ts), INTERVAL '5' SECOND))) r
ON o.k = r.k AND o.window_start = r.window_start AND o.window_end = r.window_end;
-- expect:
-- {"id": 1, "v": 10, "window_start": "2020-01-01 00:00:00.000"}
-- {"id": 3, "v": 10, "window_start": "2020-01-01 00:00:00.000"}
-- {"id": 2, "v": 20, "window_start": "2020-01-01 00:00:00.000"}
-- {"id": 4, "v": 11, "window_start": "2020-01-01 00:00:05.000"}
-- {"id": 5, "v": 21, "window_start": "2020-01-01 00:00:05.000"}
-- {"id": 6, "v": 12, "window_start": "2020-01-01 00:00:10.000"}

SELECT o.id, r.v FROM orders o, rates r
WHERE o.k = r.k AND o.ts BETWEEN r.ts - INTERVAL '1' SECOND AND r.ts + INTERVAL '1' SECOND;
-- expect:
-- {"id": 1, "v": 10}
-- {"id": 3, "v": 10}
-- {"id": 4, "v": 11}
-- {"id": 6, "v": 12}

SELECT o.id, r.v FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.k = r.k;
-- expect:
-- {"id": 3, "v": 10}
-- {"id": 4, "v": 10}
-- {"id": 6, "v": 12}
-- {"id": 2, "v": 20}
-- {"id": 5, "v": 20}
-- {"id": 7, "v": 21}
