-- CREATE / DROP TABLE and VIEW, TEMPORARY or not, IF [NOT] EXISTS, and what SHOW TABLES / SHOW
-- VIEWS list afterwards (Flink lists tables and views in SHOW TABLES, sorted by name, in a column
-- called "table name"). Errors come first so that they replay only DDL.
CREATE TABLE t1 (a INT, b STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '1');
CREATE TEMPORARY TABLE t2 (a INT) WITH ('connector' = 'blackhole');
CREATE VIEW v1 AS SELECT a FROM t1;
CREATE TEMPORARY VIEW v2 (x, y) AS VALUES (1, 'one'), (2, 'two');

CREATE TABLE t1 (z INT) WITH ('connector' = 'blackhole');
-- expect error: already exists

DROP TABLE nope;
-- expect error: does not exist

DROP VIEW nope;
-- expect error: does not exist

CREATE TABLE IF NOT EXISTS t1 (z INT) WITH ('connector' = 'blackhole');
-- expect ok

DROP TABLE IF EXISTS nope;
-- expect ok

DROP VIEW IF EXISTS nope;
-- expect ok

SHOW TABLES;
-- expect table:
-- ["t1"]
-- ["t2"]
-- ["v1"]
-- ["v2"]

SHOW VIEWS;
-- expect table:
-- ["v1"]
-- ["v2"]

SELECT y FROM v2 WHERE x = 2;
-- expect:
-- {"y": "two"}

DROP VIEW v1;
-- expect ok

DROP TEMPORARY TABLE t2;
-- expect ok

DROP TEMPORARY VIEW v2;
-- expect ok

SHOW TABLES;
-- expect table:
-- ["t1"]

CREATE VIEW v3 AS SELECT a * 2 AS a2, b FROM t1 WHERE a IS NOT NULL OR a IS NULL;
-- expect ok

SELECT COUNT(*) AS n FROM v3;
-- expect:
-- {"n": 1}

SELECT COUNT(a2) + COUNT(*) - COUNT(*) AS same FROM v3 WHERE b IS NOT NULL;
-- expect:
-- {"same": 1}

-- A temporary view may shadow a permanent one of the same name (IF NOT EXISTS looks at temporary
-- objects only); queries then see the temporary one.
CREATE TEMPORARY VIEW IF NOT EXISTS v3 AS SELECT 1 AS x1;
-- expect ok

SELECT x1 FROM v3;
-- expect:
-- {"x1": 1}
