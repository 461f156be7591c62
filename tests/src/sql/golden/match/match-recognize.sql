-- MATCH_RECOGNIZE (Flink's "Pattern Recognition" page): the documentation's V-shape and
-- aggregation examples, quantifiers (greedy and reluctant), skip strategies, WITHIN, MATCH_ROWTIME,
-- a global (unpartitioned) match, and EXPLAIN. data/ticker.jsonl holds the documentation's two
-- price series, ACME (12 17 19 21 25 18 15 14 24 25 19 at 10:00:00..10) and BETA (12 17 13 16 25 2
-- 4 10 15 25 25 30 at 10:00:00..11), interleaved, with neighbouring rows swapped so rows arrive up
-- to one second out of time order (inside the 5 s watermark delay, so none is late). Expected rows
-- are worked out by hand from Flink's semantics (the first two are the documentation's own).
-- modes: streaming
-- parallelism: 2
CREATE TABLE ticker (symbol STRING, price DOUBLE, tax INT, rowtime TIMESTAMP(3),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '5' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/ticker.jsonl', 'format' = 'json');

CREATE TEMPORARY VIEW acme AS SELECT * FROM ticker WHERE symbol = 'ACME';

CREATE TEMPORARY VIEW beta AS SELECT * FROM ticker WHERE symbol = 'BETA';

-- The documentation's V shape: the greedy PRICE_DOWN+ runs 18 15 14, PRICE_UP is 24; matches
-- starting at 10:00:05 and :06 also end at :08 and are skipped (TO LAST PRICE_UP).
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            START_ROW.rowtime AS start_tstamp,
            LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
            LAST(PRICE_UP.rowtime) AS end_tstamp
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST PRICE_UP
        PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
        DEFINE
            PRICE_DOWN AS
                (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
                    PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
            PRICE_UP AS
                PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
    ) MR;
-- expect:
-- {"symbol": "ACME", "start_tstamp": "2011-04-01 10:00:04.000", "bottom_tstamp": "2011-04-01 10:00:07.000", "end_tstamp": "2011-04-01 10:00:08.000"}

-- The documentation's aggregation example: A+ while the running average of A stays below 15.
SELECT * FROM beta
    MATCH_RECOGNIZE (
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            FIRST(A.rowtime) AS start_tstamp,
            LAST(A.rowtime) AS end_tstamp,
            AVG(A.price) AS avgPrice
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A+ B)
        DEFINE
            A AS AVG(A.price) < 15
    ) MR;
-- expect:
-- {"symbol": "BETA", "start_tstamp": "2011-04-01 10:00:00.000", "end_tstamp": "2011-04-01 10:00:03.000", "avgPrice": 14.5}
-- {"symbol": "BETA", "start_tstamp": "2011-04-01 10:00:05.000", "end_tstamp": "2011-04-01 10:00:10.000", "avgPrice": 13.5}

-- {n}: three rising prices after a start row. SKIP PAST LAST ROW: one match.
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES S.price AS start_price, LAST(UP.price) AS top_price, COUNT(UP.price) AS ups
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (S UP{3})
        DEFINE UP AS UP.price > PREV(UP.price)
    );
-- expect:
-- {"symbol": "ACME", "start_price": 12.0, "top_price": 21.0, "ups": 3}

-- The same with the default AFTER MATCH SKIP TO NEXT ROW: the overlapping 17 19 21 25 matches too.
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES S.price AS start_price, LAST(UP.price) AS top_price
        PATTERN (S UP{3})
        DEFINE UP AS UP.price > PREV(UP.price)
    );
-- expect:
-- {"symbol": "ACME", "start_price": 12.0, "top_price": 21.0}
-- {"symbol": "ACME", "start_price": 17.0, "top_price": 25.0}

-- Navigation: FIRST/LAST with offsets, PREV over all rows (unqualified) in DEFINE and over the rows
-- up to B's last in MEASURES, unqualified columns in MEASURES (the last row, or FIRST(price) the
-- first), aggregates over one variable and over all rows, FINAL. Match: 12 (17 19 21).
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES
            FIRST(B.price, 1) AS second_b,
            LAST(B.price, 2) AS third_last_b,
            PREV(B.price, 2) AS prev_b,
            price AS last_price,
            FINAL FIRST(price) AS first_price,
            MAX(B.price) AS max_b,
            MIN(B.price) - A.price AS diff,
            SUM(price) AS total,
            COUNT(*) AS n
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B{3})
        DEFINE B AS PREV(price) < price
    );
-- expect:
-- {"symbol": "ACME", "second_b": 19.0, "third_last_b": 17.0, "prev_b": 17.0, "last_price": 21.0, "first_price": 12.0, "max_b": 21.0, "diff": 5.0, "total": 69.0, "n": 4}

-- Greedy B+ takes every price above 15, including the one C needed, and never gives it back: no match.
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES A.price AS a_price, C.price AS c_price, COUNT(B.price) AS b_rows
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B+ C)
        DEFINE B AS B.price > 15, C AS C.price > 20
    );
-- expect:

-- Reluctant B+? hands the first price above 20 to C: 12 (17 19) 21 and 14 (24) 25.
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES A.price AS a_price, C.price AS c_price, COUNT(B.price) AS b_rows
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B+? C)
        DEFINE B AS B.price > 15, C AS C.price > 20
    );
-- expect:
-- {"symbol": "ACME", "a_price": 12.0, "c_price": 21.0, "b_rows": 2}
-- {"symbol": "ACME", "a_price": 14.0, "c_price": 25.0, "b_rows": 1}

-- WITHIN 3 s: 12 (17 19) 21 spans 3 s and is discarded; 17 (19) 21 spans 2 s and is found instead.
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES A.price AS a_price, C.price AS c_price, COUNT(B.price) AS b_rows
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B+? C) WITHIN INTERVAL '3' SECOND
        DEFINE B AS B.price > 15, C AS C.price > 20
    );
-- expect:
-- {"symbol": "ACME", "a_price": 17.0, "c_price": 21.0, "b_rows": 1}
-- {"symbol": "ACME", "a_price": 14.0, "c_price": 25.0, "b_rows": 1}

-- SKIP TO FIRST B: matching resumes at each match's first B row, so 17 (19) 21 and 19 (21) 25
-- overlap the matches before them.
SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES A.price AS a_price, C.price AS c_price
        AFTER MATCH SKIP TO FIRST B
        PATTERN (A B+? C)
        DEFINE B AS B.price > 15, C AS C.price > 20
    );
-- expect:
-- {"symbol": "ACME", "a_price": 12.0, "c_price": 21.0}
-- {"symbol": "ACME", "a_price": 17.0, "c_price": 21.0}
-- {"symbol": "ACME", "a_price": 19.0, "c_price": 25.0}
-- {"symbol": "ACME", "a_price": 14.0, "c_price": 25.0}

-- No PARTITION BY: one global match over both symbols' rows in time order; MATCH_ROWTIME() is the
-- time of the match's last row. Rows of equal time are ordered by the second ORDER BY key (price),
-- so B is BETA's 2 (before ACME's 18) at 10:00:05 and ACME's 19 (before BETA's 25) at 10:00:10.
SELECT * FROM ticker
    MATCH_RECOGNIZE (
        ORDER BY rowtime, price
        MEASURES LAST(B.symbol) AS b_symbol, LAST(B.price) AS b_price, MATCH_ROWTIME() AS mt, SUM(A.price) AS total
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A{2} B)
        DEFINE A AS A.price >= 25, B AS B.price < 20
    );
-- expect:
-- {"b_symbol": "BETA", "b_price": 2.0, "mt": "2011-04-01 10:00:05.000", "total": 50.0}
-- {"b_symbol": "ACME", "b_price": 19.0, "mt": "2011-04-01 10:00:10.000", "total": 50.0}

-- MATCH_ROWTIME() is a rowtime attribute: a TUMBLE window over the matches' times. The matches
-- end at 10:00:03 and 10:00:09 (the reluctant case above); each is emitted before the watermark
-- that released it goes on, so neither is late for the window.
CREATE TEMPORARY VIEW acme_matches AS SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES MATCH_ROWTIME() AS mt, A.price AS a_price
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B+? C)
        DEFINE B AS B.price > 15, C AS C.price > 20
    );

SELECT window_start, COUNT(*) AS n, MAX(a_price) AS a_price
FROM TABLE(TUMBLE(TABLE acme_matches, DESCRIPTOR(mt), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
-- expect:
-- {"window_start": "2011-04-01 10:00:00.000", "n": 1, "a_price": 12.0}
-- {"window_start": "2011-04-01 10:00:05.000", "n": 1, "a_price": 14.0}

EXPLAIN SELECT * FROM acme
    MATCH_RECOGNIZE (
        PARTITION BY symbol ORDER BY rowtime
        MEASURES LAST(UP.price) AS top_price
        PATTERN (S UP{3})
        DEFINE UP AS UP.price > PREV(UP.price)
    );
-- expect contains:
-- Match(partitionBy=[symbol], orderBy=[rowtime ASC], measures=[LAST(UP.price, 0) AS top_price], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP TO NEXT ROW], pattern=[(S UP{3})], define=[{UP=>(price, PREV(UP.price, 1))}])
-- Exchange(distribution=[hash[symbol]])

EXPLAIN SELECT * FROM ticker
    MATCH_RECOGNIZE (
        ORDER BY rowtime
        MEASURES LAST(A.price) AS p
        PATTERN (A B)
        DEFINE A AS A.price > 20
    );
-- expect contains:
-- Exchange(distribution=[single])
