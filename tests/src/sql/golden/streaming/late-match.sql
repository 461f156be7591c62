-- MATCH_RECOGNIZE with quantifiers (+, {n}) over out-of-order input with late rows, deterministic
-- thanks to 'scan.watermark.emit.strategy' = 'on-event' (a watermark after every row; watermark
-- ts - 1 s). Expected rows worked out by hand.
--
-- MATCH_RECOGNIZE (Flink's CepOperator): a row whose timestamp is <= the operator's watermark is
-- dropped. data/match.jsonl, key x (W on arrival): t1 10, t2 12 (W0), t3 15 (W1), t5 9 (W2),
-- t4 20 (W4: DROPPED), t6 8 (W4), t7 11 (W5), t8 13 (W6), t9 7 (W7), t8 30 (W8: DROPPED), t12 5 (W8).
--   Kept in time order: 10 12 15 9 8 11 13 7 5. PATTERN (A UP+ DOWN), UP rising, DOWN falling,
--   SKIP PAST LAST ROW: A=10 UP 12 15 DOWN 9; then A=8 UP 11 13 DOWN 7. (Had t4 20 counted, the
--   first match would climb to 20 with three UPs.) UP{2} DOWN: the same two matches; UP{3}: none.
-- modes: streaming
CREATE TABLE mr (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/match.jsonl', 'format' = 'json',
  'scan.watermark.emit.strategy' = 'on-event');

SELECT * FROM mr MATCH_RECOGNIZE (
  PARTITION BY k ORDER BY ts
  MEASURES A.ts AS start_ts, A.v AS a_v, LAST(UP.v) AS peak, COUNT(UP.v) AS ups, DOWN.v AS down_v
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A UP+ DOWN)
  DEFINE UP AS UP.v > PREV(UP.v), DOWN AS DOWN.v < PREV(DOWN.v)
) AS m;
-- expect:
-- {"k": "x", "start_ts": "2020-01-01 00:00:01.000", "a_v": 10, "peak": 15, "ups": 2, "down_v": 9}
-- {"k": "x", "start_ts": "2020-01-01 00:00:06.000", "a_v": 8, "peak": 13, "ups": 2, "down_v": 7}

SELECT * FROM mr MATCH_RECOGNIZE (
  PARTITION BY k ORDER BY ts
  MEASURES A.ts AS start_ts, LAST(UP.v) AS peak, DOWN.v AS down_v
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A UP{2} DOWN)
  DEFINE UP AS UP.v > PREV(UP.v), DOWN AS DOWN.v < PREV(DOWN.v)
) AS m;
-- expect:
-- {"k": "x", "start_ts": "2020-01-01 00:00:01.000", "peak": 15, "down_v": 9}
-- {"k": "x", "start_ts": "2020-01-01 00:00:06.000", "peak": 13, "down_v": 7}

SELECT * FROM mr MATCH_RECOGNIZE (
  PARTITION BY k ORDER BY ts
  MEASURES A.ts AS start_ts
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A UP{3} DOWN)
  DEFINE UP AS UP.v > PREV(UP.v), DOWN AS DOWN.v < PREV(DOWN.v)
) AS m;
-- expect:
