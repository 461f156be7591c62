-- SET / RESET, SHOW FUNCTIONS, DESCRIBE. DESCRIBE lists name, type, null, key, extras and
-- watermark per column as Flink's client does (a primary key column is NOT NULL and shows
-- PRI(...); a computed column shows AS <expression>; the rowtime column shows its watermark).
-- Checked through key fragments: cells are joined with " | ". The literal 0.1 is a DECIMAL(1, 1)
-- (Calcite: the literal's own digits), so `amount * 0.1` is DECIMAL(10 + 1 + 1, 2 + 1).
SET 'pipeline.name' = 'golden-job';
-- expect ok

SET;
-- expect contains:
-- pipeline.name | golden-job

RESET 'pipeline.name';
-- expect ok

SET 'table.local-time-zone' = 'Asia/Tokyo';
-- expect ok

SELECT FROM_UNIXTIME(0) AS t;
-- expect:
-- {"t": "1970-01-01 09:00:00"}

RESET;
-- expect ok

SET 'table.local-time-zone' = 'UTC';
-- expect ok

SELECT FROM_UNIXTIME(0) AS t;
-- expect:
-- {"t": "1970-01-01 00:00:00"}

CREATE TABLE orders (
  id BIGINT,
  amount DECIMAL(10, 2) NOT NULL,
  tax AS amount * 0.1,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'blackhole');

DESCRIBE orders;
-- expect contains:
-- id | BIGINT | FALSE | PRI(id)
-- amount | DECIMAL(10, 2) | FALSE
-- tax | DECIMAL(12, 3) | FALSE |  | AS `amount` * 0.1
-- ts | TIMESTAMP(3) *ROWTIME* | TRUE |  |  | `ts` - INTERVAL '5' SECOND

DESC orders;
-- expect contains:
-- id | BIGINT | FALSE | PRI(id)

SHOW FUNCTIONS;
-- expect contains:
-- UPPER
-- REGEXP_EXTRACT
-- LISTAGG

SHOW CURRENT CATALOG;
-- expect table:
-- ["default_catalog"]

SHOW CURRENT DATABASE;
-- expect table:
-- ["default_database"]

SHOW CATALOGS;
-- expect table:
-- ["default_catalog"]

SHOW DATABASES;
-- expect table:
-- ["default_database"]
