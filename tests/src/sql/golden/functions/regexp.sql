-- Regular-expression functions (Java regex syntax): REGEXP, REGEXP_REPLACE, REGEXP_EXTRACT (group
-- index 1-based, 0 = the whole match, NULL when there is no match), SIMILAR TO. Expected values
-- from Flink's function reference examples ('foothebar' / 'foo(.*?)(bar)', 'foobar' / 'oo|ar');
-- DuckDB's REGEXP_EXTRACT returns '' (not NULL) on no match, so those differ there.
CREATE TEMPORARY VIEW r (s) AS VALUES ('foothebar'), ('abc123def45'), (CAST(NULL AS STRING));

SELECT REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2) AS e2, REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 1) AS e1,
  REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 0) AS e0;
-- expect:
-- {"e2": "bar", "e1": "the", "e0": "foothebar"}

SELECT s, REGEXP_EXTRACT(s, '[0-9]+', 0) AS digits FROM r;
-- expect:
-- {"s": "foothebar", "digits": null}
-- {"s": "abc123def45", "digits": "123"}
-- {"s": null, "digits": null}

-- REGEXP_REPLACE replaces every match (DuckDB replaces the first unless given 'g').
SELECT REGEXP_REPLACE('foobar', 'oo|ar', '') AS r1, REGEXP_REPLACE('abc123def45', '[0-9]+', '#') AS r2,
  REGEXP_REPLACE('2020-01-15', '(\d+)-(\d+)-(\d+)', '$3/$2/$1') AS r3;
-- expect:
-- {"r1": "fb", "r2": "abc#def#", "r3": "15/01/2020"}

SELECT s, REGEXP(s, '^[a-z]+$') AS letters, REGEXP(s, '\d') AS has_digit FROM r;
-- expect:
-- {"s": "foothebar", "letters": true, "has_digit": false}
-- {"s": "abc123def45", "letters": false, "has_digit": true}
-- {"s": null, "letters": null, "has_digit": null}

SELECT COUNT(*) AS n FROM r WHERE REGEXP(s, 'o{2}');
-- expect:
-- {"n": 1}

SELECT REGEXP_REPLACE(s, '(?i)FOO', 'x') AS ci FROM r WHERE s IS NOT NULL;
-- expect:
-- {"ci": "xthebar"}
-- {"ci": "abc123def45"}
