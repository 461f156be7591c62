-- String functions. Expected values from Flink's function reference (docs/data/sql_functions.yml
-- examples: CONCAT_WS skips NULLs, LPAD/RPAD truncate, REPLACE is non-overlapping, SPLIT_INDEX is
-- zero-based and NULL when out of range, INITCAP, OVERLAY, LOCATE, INSTR, LEFT/RIGHT); portable
-- ones cross-checked in DuckDB 1.x. Positions are 1-based.
CREATE TEMPORARY VIEW w (s, t) AS VALUES ('Hello World', 'o'), ('  padded  ', ' '), (CAST(NULL AS STRING), 'x');

SELECT UPPER(s) AS u, LOWER(s) AS l, CHAR_LENGTH(s) AS n, CHARACTER_LENGTH(s) AS n2 FROM w;
-- expect:
-- {"u": "HELLO WORLD", "l": "hello world", "n": 11, "n2": 11}
-- {"u": "  PADDED  ", "l": "  padded  ", "n": 10, "n2": 10}
-- {"u": null, "l": null, "n": null, "n2": null}

-- CONCAT is NULL when any argument is NULL (DuckDB's CONCAT skips NULLs instead).
SELECT s || '!' AS e, CONCAT(s, '-', t) AS c, CONCAT_WS('~', 'AA', s, 'BB') AS ws FROM w;
-- expect:
-- {"e": "Hello World!", "c": "Hello World-o", "ws": "AA~Hello World~BB"}
-- {"e": "  padded  !", "c": "  padded  - ", "ws": "AA~  padded  ~BB"}
-- {"e": null, "c": null, "ws": "AA~BB"}

SELECT TRIM(s) AS b, LTRIM(s) AS l, RTRIM(s) AS r, TRIM(LEADING ' ' FROM s) AS lt, TRIM(BOTH 'd' FROM 'ddaddd') AS x
FROM w WHERE s LIKE '%padded%';
-- expect:
-- {"b": "padded", "l": "padded  ", "r": "  padded", "lt": "padded  ", "x": "a"}

SELECT SUBSTRING(s FROM 7) AS a, SUBSTRING(s FROM 1 FOR 5) AS b, SUBSTR(s, 2, 3) AS c, POSITION(t IN s) AS p
FROM w WHERE s LIKE 'H%';
-- expect:
-- {"a": "World", "b": "Hello", "c": "ell", "p": 5}

SELECT REPLACE('hello world', 'world', 'flink') AS r1, REPLACE('ababab', 'abab', 'z') AS r2,
  REPEAT('ab', 3) AS rp, REVERSE('abc') AS rv;
-- expect:
-- {"r1": "hello flink", "r2": "zab", "rp": "ababab", "rv": "cba"}

SELECT LPAD('hi', 4, '??') AS l1, LPAD('hi', 1, '??') AS l2, RPAD('hi', 4, '??') AS r1, RPAD('hi', 1, '??') AS r2;
-- expect:
-- {"l1": "??hi", "l2": "h", "r1": "hi??", "r2": "h"}

SELECT SPLIT_INDEX('Jack,John,Mary', ',', 2) AS s1, SPLIT_INDEX('Jack,John,Mary', ',', 3) AS s2,
  SPLIT_INDEX('Jack,John,Mary', ',', -1) AS s3, SPLIT_INDEX('a::b', '::', 1) AS s4;
-- expect:
-- {"s1": "Mary", "s2": null, "s3": null, "s4": "b"}

SELECT INITCAP('hello wORLD foo-bar') AS i, OVERLAY('xxxxxtest' PLACING 'xxxx' FROM 6) AS o1,
  OVERLAY('xxxxxtest' PLACING 'xxxx' FROM 6 FOR 2) AS o2;
-- expect:
-- {"i": "Hello World Foo-Bar", "o1": "xxxxxxxxx", "o2": "xxxxxxxxxst"}

SELECT LOCATE('o', 'Hello World') AS l1, LOCATE('o', 'Hello World', 6) AS l2, LOCATE('z', 'abc') AS l3,
  INSTR('Hello World', 'World') AS i1, LEFT('Hello', 2) AS lf, RIGHT('Hello', 3) AS rt;
-- expect:
-- {"l1": 5, "l2": 8, "l3": 0, "i1": 7, "lf": "He", "rt": "llo"}

SELECT ASCII('abc') AS a, CHR(97) AS c, TO_BASE64('hello world') AS b64, FROM_BASE64('aGVsbG8gd29ybGQ=') AS raw;
-- expect:
-- {"a": 97, "c": "a", "b64": "aGVsbG8gd29ybGQ=", "raw": "hello world"}

SELECT MD5('abc') AS m, SHA256('abc') AS s;
-- expect:
-- {"m": "900150983cd24fb0d6963f7d28e17f72", "s": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}

SELECT CHAR_LENGTH('héllo') AS n, UPPER('straße') AS u, SUBSTRING('héllo' FROM 2 FOR 2) AS sub;
-- expect:
-- {"n": 5, "u": "STRASSE", "sub": "él"}

SELECT s, CHAR_LENGTH(TRIM(s)) AS n FROM w WHERE TRIM(s) <> '' ORDER BY s LIMIT 5;
-- expect ordered:
-- {"s": "  padded  ", "n": 6}
-- {"s": "Hello World", "n": 11}

SELECT PARSE_URL('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'HOST') AS h,
  PARSE_URL('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'QUERY', 'k1') AS q;
-- expect:
-- {"h": "facebook.com", "q": "v1"}
