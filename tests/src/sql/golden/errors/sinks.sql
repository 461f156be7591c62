-- Errors when writing to sinks: an updating query into an append-only sink (streaming mode only;
-- in batch mode a bounded aggregate is insert-only), a column count mismatch, and an unknown
-- target table. Messages follow Flink's wording.
-- modes: streaming
CREATE TEMPORARY VIEW t (k, v) AS VALUES ('a', 1), ('a', 2);
CREATE TABLE out_csv (k STRING, n BIGINT) WITH ('connector' = 'filesystem', 'path' = '${sink}/out', 'format' = 'csv');

INSERT INTO out_csv SELECT k, COUNT(*) FROM t GROUP BY k;
-- expect error: doesn't support consuming update changes

INSERT INTO out_csv SELECT k FROM t;
-- expect error: do not match

INSERT INTO no_such_table SELECT k, v FROM t;
-- expect error: line 14, column 13: Object 'no_such_table' not found

-- A statement set is validated as a whole before any of it runs.
EXECUTE STATEMENT SET BEGIN
INSERT INTO out_csv SELECT k, CAST(v AS BIGINT) FROM t;
INSERT INTO out_csv SELECT k, nope FROM t;
END;
-- expect error: line 20, column 31: Column 'nope' not found

INSERT INTO out_csv SELECT k, CAST(v AS BIGINT) FROM t;
-- expect ok

-- The print sink takes every kind of change, so the same updating query may go there.
CREATE TABLE console (k STRING, n BIGINT) WITH ('connector' = 'print');
INSERT INTO console SELECT k, COUNT(*) FROM t GROUP BY k;
-- expect ok

SELECT k, n FROM out_csv;
-- expect:
-- {"k": "a", "n": 1}
-- {"k": "a", "n": 2}
