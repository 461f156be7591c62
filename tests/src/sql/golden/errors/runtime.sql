-- Errors raised while a job runs (Flink fails the job): integer division by zero, a CAST that
-- cannot parse its input (CAST is strict since Flink 1.15; TRY_CAST is the lenient form), and
-- ELEMENT of an array with more than one element. No positions: the statement is valid.
CREATE TEMPORARY VIEW t (a, b, s) AS VALUES (1, 0, 'abc');

SELECT a / b AS q FROM t;
-- expect error: by zero

SELECT CAST(s AS INT) AS i FROM t;
-- expect error: abc

SELECT ELEMENT(ARRAY[a, b]) AS e FROM t;
-- expect error: more than one element
