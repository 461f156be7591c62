-- A global aggregation over empty input in streaming mode: Flink's streaming group aggregate emits
-- a result only when a row reaches it, so an empty input gives no row at all (batch mode gives one
-- row; see empty-input-batch.sql). DuckDB, a batch engine, gives one row.
-- modes: streaming
CREATE TEMPORARY VIEW t (x) AS VALUES (1), (2);

SELECT COUNT(*) AS n, SUM(x) AS s FROM t WHERE x > 100;
-- expect:
