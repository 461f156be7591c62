-- INSERT INTO a filesystem sink table, then read the table back (the job of an INSERT ends when
-- its bounded input ends, and the files are complete then). Also a statement set writing two
-- tables in one job, datagen as a bounded source, and the blackhole and print sinks.
-- Expected rows worked out by hand from data/people.csv.
CREATE TABLE people (id INT, name STRING, age INT, balance DECIMAL(10, 2)) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/people.csv', 'format' = 'csv');
CREATE TABLE adults_csv (name STRING, age INT) WITH (
  'connector' = 'filesystem', 'path' = '${sink}/adults_csv', 'format' = 'csv');
CREATE TABLE adults_json (name STRING, next_age INT, balance DECIMAL(10, 2)) WITH (
  'connector' = 'filesystem', 'path' = '${sink}/adults_json', 'format' = 'json');
CREATE TABLE young (name STRING) WITH ('connector' = 'filesystem', 'path' = '${sink}/young', 'format' = 'csv');
CREATE TABLE elders (name STRING) WITH ('connector' = 'filesystem', 'path' = '${sink}/elders', 'format' = 'json');
CREATE TABLE seq (x INT) WITH (
  'connector' = 'datagen', 'number-of-rows' = '5', 'fields.x.kind' = 'sequence', 'fields.x.start' = '1',
  'fields.x.end' = '5');
CREATE TABLE nowhere (x INT) WITH ('connector' = 'blackhole');
CREATE TABLE console (x INT) WITH ('connector' = 'print');

INSERT INTO adults_csv SELECT name, age FROM people WHERE age >= 30;
-- expect ok

INSERT INTO adults_json SELECT name, age + 1, balance FROM people WHERE age < 30;
-- expect ok

EXECUTE STATEMENT SET BEGIN
INSERT INTO young SELECT name FROM people WHERE age < 28;
INSERT INTO elders SELECT name FROM people WHERE age >= 28;
END;
-- expect ok

INSERT INTO nowhere SELECT x FROM seq;
-- expect ok

INSERT INTO console SELECT x FROM seq WHERE x > 4;
-- expect ok

SELECT name, age FROM adults_csv;
-- expect:
-- {"name": "alice", "age": 30}
-- {"name": "carol", "age": 35}

SELECT name, next_age, balance FROM adults_json;
-- expect:
-- {"name": "bob", "next_age": 26, "balance": "0.25"}
-- {"name": "dave", "next_age": 26, "balance": "2.75"}

SELECT name FROM young;
-- expect:
-- {"name": "bob"}
-- {"name": "dave"}

SELECT name FROM elders;
-- expect:
-- {"name": "alice"}
-- {"name": "carol"}

SELECT x, x * x AS sq FROM seq;
-- expect:
-- {"x": 1, "sq": 1}
-- {"x": 2, "sq": 4}
-- {"x": 3, "sq": 9}
-- {"x": 4, "sq": 16}
-- {"x": 5, "sq": 25}

CREATE TABLE young2 (name STRING) WITH ('connector' = 'filesystem', 'path' = '${sink}/young2', 'format' = 'csv');
CREATE TABLE old2 (name STRING) WITH ('connector' = 'filesystem', 'path' = '${sink}/old2', 'format' = 'csv');

BEGIN STATEMENT SET;
INSERT INTO young2 SELECT UPPER(name) FROM people WHERE age < 26;
INSERT INTO old2 SELECT UPPER(name) FROM people WHERE age > 32;
END;
-- expect ok

INSERT INTO young2 VALUES ('ZED'), ('YAN');
-- expect ok

SELECT name FROM young2;
-- expect:
-- {"name": "BOB"}
-- {"name": "DAVE"}
-- {"name": "ZED"}
-- {"name": "YAN"}

SELECT name FROM old2;
-- expect:
-- {"name": "CAROL"}
