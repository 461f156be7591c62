-- JSON functions. Expected values from Flink's function reference examples
-- (docs/data/sql_functions.yml: IS JSON, JSON_EXISTS, JSON_VALUE, JSON_QUERY, JSON_OBJECT,
-- JSON_ARRAY, JSON_STRING); generated JSON text is compact (no spaces), as Flink's serializer
-- writes it. DuckDB's JSON functions have other names and semantics, so there is no cross-check.
CREATE TEMPORARY VIEW docs (id, j) AS VALUES
  (1, '{"a": 1, "b": {"c": "x"}, "arr": [10, 20]}'), (2, '{"a": "two"}'), (3, 'not json'), (4, CAST(NULL AS STRING));

SELECT '1' IS JSON AS a, '[]' IS JSON AS b, '{}' IS JSON AS c, '"abc"' IS JSON AS d, 'abc' IS JSON AS e,
  '1' IS JSON SCALAR AS f, '1' IS JSON ARRAY AS g, '{}' IS JSON OBJECT AS h, '{}' IS JSON SCALAR AS i;
-- expect:
-- {"a": true, "b": true, "c": true, "d": true, "e": false, "f": true, "g": false, "h": true, "i": false}

SELECT JSON_EXISTS('{"a": true}', '$.a') AS e1, JSON_EXISTS('{"a": true}', '$.b') AS e2,
  JSON_EXISTS('{"a": [{ "b": 1 }]}', '$.a[0].b') AS e3, JSON_EXISTS('{"a": true}', 'strict $.b' TRUE ON ERROR) AS e4,
  JSON_EXISTS('{"a": true}', 'strict $.b' FALSE ON ERROR) AS e5;
-- expect:
-- {"e1": true, "e2": false, "e3": true, "e4": true, "e5": false}

SELECT JSON_VALUE('{"a": true}', '$.a') AS v1, JSON_VALUE('{"a": true}', '$.a' RETURNING BOOLEAN) AS v2,
  JSON_VALUE('{"a": true}', 'lax $.b' DEFAULT FALSE ON EMPTY) AS v3,
  JSON_VALUE('{"a.b": [0.998,0.996]}', '$.["a.b"][0]' RETURNING DOUBLE) AS v4;
-- expect:
-- {"v1": "true", "v2": true, "v3": "false", "v4": 0.998}

SELECT id, JSON_VALUE(j, '$.a') AS a, JSON_VALUE(j, '$.b.c') AS c, JSON_VALUE(j, '$.arr[1]' RETURNING INT) AS `second` FROM docs;
-- expect:
-- {"id": 1, "a": "1", "c": "x", "second": 20}
-- {"id": 2, "a": "two", "c": null, "second": null}
-- {"id": 3, "a": null, "c": null, "second": null}
-- {"id": 4, "a": null, "c": null, "second": null}

SELECT JSON_QUERY('{ "a": { "b": 1 } }', '$.a') AS q1, JSON_QUERY('[1, 2]', '$') AS q2,
  JSON_QUERY('{"a":[{"c":"c1"},{"c":"c2"}]}', 'lax $.a[*].c') AS q3, JSON_QUERY('{}', '$' WITH CONDITIONAL ARRAY WRAPPER) AS q4,
  JSON_QUERY('[1, 2]', '$' WITH UNCONDITIONAL ARRAY WRAPPER) AS q5, JSON_QUERY(CAST(NULL AS STRING), '$') AS q6;
-- expect:
-- {"q1": "{\"b\":1}", "q2": "[1,2]", "q3": "[\"c1\",\"c2\"]", "q4": "[{}]", "q5": "[[1,2]]", "q6": null}

SELECT JSON_OBJECT() AS o1, JSON_OBJECT('K1' VALUE 'V1', 'K2' VALUE 'V2') AS o2,
  JSON_OBJECT(KEY 'K1' VALUE CAST(NULL AS STRING) NULL ON NULL) AS o3,
  JSON_OBJECT(KEY 'K1' VALUE CAST(NULL AS STRING) ABSENT ON NULL) AS o4,
  JSON_OBJECT(KEY 'K1' VALUE JSON_OBJECT(KEY 'K2' VALUE 'V')) AS o5;
-- expect:
-- {"o1": "{}", "o2": "{\"K1\":\"V1\",\"K2\":\"V2\"}", "o3": "{\"K1\":null}", "o4": "{}", "o5": "{\"K1\":{\"K2\":\"V\"}}"}

SELECT JSON_ARRAY() AS a1, JSON_ARRAY(1, '2') AS a2, JSON_ARRAY(CAST(NULL AS STRING) NULL ON NULL) AS a3,
  JSON_ARRAY(CAST(NULL AS STRING) ABSENT ON NULL) AS a4, JSON_ARRAY(JSON_ARRAY(1)) AS a5;
-- expect:
-- {"a1": "[]", "a2": "[1,\"2\"]", "a3": "[null]", "a4": "[]", "a5": "[[1]]"}

SELECT id, JSON_OBJECT('id' VALUE id, 'ok' VALUE j IS JSON) AS o FROM docs WHERE id <= 3;
-- expect:
-- {"id": 1, "o": "{\"id\":1,\"ok\":true}"}
-- {"id": 2, "o": "{\"id\":2,\"ok\":true}"}
-- {"id": 3, "o": "{\"id\":3,\"ok\":false}"}

SELECT JSON_STRING(1) AS s1, JSON_STRING(TRUE) AS s2, JSON_STRING('Hello, World!') AS s3, JSON_STRING(ARRAY[1, 2]) AS s4,
  JSON_STRING(CAST(NULL AS INT)) AS s5;
-- expect:
-- {"s1": "1", "s2": "true", "s3": "\"Hello, World!\"", "s4": "[1,2]", "s5": null}
