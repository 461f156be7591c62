-- Errors in DDL and in the tables it defines, each reported with the position of the offending
-- text. Messages follow Flink's wording where the golden substring quotes it.
CREATE TABLE people (name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '1');
CREATE TABLE s (a INT, a STRING) WITH ('connector' = 'blackhole');
-- expect error: line 4, column 24: column

CREATE TABLE bad (a INT) WITH ('connector' = 'no-such-connector');
SELECT a FROM bad;
-- expect error: no-such-connector

CREATE TABLE dg (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '1', 'no.such.option' = 'x');
SELECT a FROM dg;
-- expect error: no.such.option

CREATE TABLE fs (a INT) WITH ('connector' = 'filesystem', 'format' = 'csv');
SELECT a FROM fs;
-- expect error: path

CREATE VIEW w AS SELECT nope FROM people;
-- expect error: line 19, column 25: Column 'nope' not found

CREATE TABLE pk (a INT, b INT, PRIMARY KEY (c) NOT ENFORCED) WITH ('connector' = 'blackhole');
-- expect error: c
