-- The filesystem connector as a bounded source, in CSV and JSON-lines formats (a missing or null
-- JSON field reads as NULL; JSON timestamps in Flink's SQL format "yyyy-MM-dd HH:mm:ss").
-- Expected rows worked out by hand from the data files in data/.
-- parallelism: 2
CREATE TABLE people (id INT, name STRING, age INT, balance DECIMAL(10, 2)) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/people.csv', 'format' = 'csv');
CREATE TABLE events (usr STRING, url STRING, ts TIMESTAMP(3), score DOUBLE) WITH (
  'connector' = 'filesystem', 'path' = '${data}/data/events.jsonl', 'format' = 'json');

SELECT id, name, age, balance FROM people;
-- expect:
-- {"id": 1, "name": "alice", "age": 30, "balance": "1.50"}
-- {"id": 2, "name": "bob", "age": 25, "balance": "0.25"}
-- {"id": 3, "name": "carol", "age": 35, "balance": "10.00"}
-- {"id": 4, "name": "dave", "age": 25, "balance": "2.75"}

SELECT age, COUNT(*) AS n, SUM(balance) AS total FROM people GROUP BY age;
-- expect:
-- {"age": 30, "n": 1, "total": "1.50"}
-- {"age": 25, "n": 2, "total": "3.00"}
-- {"age": 35, "n": 1, "total": "10.00"}

SELECT usr, url, ts, score FROM events WHERE usr <> 'u1';
-- expect:
-- {"usr": "u2", "url": "/b", "ts": "2020-04-15 08:00:02.000", "score": null}
-- {"usr": "u3", "url": "/a", "ts": "2020-04-15 08:00:03.000", "score": null}
-- {"usr": "u2", "url": "/d", "ts": "2020-04-15 08:00:09.000", "score": 4}

SELECT usr, COUNT(*) AS n, SUM(score) AS total, MAX(ts) AS last_seen FROM events GROUP BY usr;
-- expect:
-- {"usr": "u1", "n": 3, "total": 4.5, "last_seen": "2020-04-15 08:00:05.000"}
-- {"usr": "u2", "n": 2, "total": 4, "last_seen": "2020-04-15 08:00:09.000"}
-- {"usr": "u3", "n": 1, "total": null, "last_seen": "2020-04-15 08:00:03.000"}

SELECT p.name, e.url FROM events AS e JOIN people AS p ON e.usr = CONCAT('u', CAST(p.id AS STRING)) WHERE e.score > 1;
-- expect:
-- {"name": "alice", "url": "/a"}
-- {"name": "alice", "url": "/c"}
-- {"name": "bob", "url": "/d"}

-- Computed columns are evaluated on top of the physical row; the filesystem source offers the file
-- name as a metadata column ('file.name', as Flink's filesystem connector does).
CREATE TABLE people2 (
  id INT, name STRING, age INT, balance DECIMAL(10, 2),
  next_age AS age + 1,
  label AS UPPER(name) || '#' || CAST(id AS STRING),
  fname STRING METADATA FROM 'file.name' VIRTUAL
) WITH ('connector' = 'filesystem', 'path' = '${data}/data/people.csv', 'format' = 'csv');

SELECT id, next_age, label, fname FROM people2 WHERE id <= 2;
-- expect:
-- {"id": 1, "next_age": 31, "label": "ALICE#1", "fname": "people.csv"}
-- {"id": 2, "next_age": 26, "label": "BOB#2", "fname": "people.csv"}

SELECT next_age, COUNT(*) AS n FROM people2 GROUP BY next_age HAVING COUNT(*) > 1;
-- expect:
-- {"next_age": 26, "n": 2}
