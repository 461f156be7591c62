-- Three-valued logic: AND, OR, NOT, IS [NOT] TRUE / FALSE / UNKNOWN, over every combination of
-- TRUE, FALSE and UNKNOWN. Truth tables from the SQL standard (and Flink's function reference);
-- cross-checked in DuckDB 1.x.
CREATE TEMPORARY VIEW t (p, q) AS VALUES
  (TRUE, TRUE), (TRUE, FALSE), (TRUE, CAST(NULL AS BOOLEAN)),
  (FALSE, FALSE), (FALSE, CAST(NULL AS BOOLEAN)), (CAST(NULL AS BOOLEAN), CAST(NULL AS BOOLEAN));

SELECT p, q, p AND q AS a, p OR q AS o FROM t;
-- expect:
-- {"p": true, "q": true, "a": true, "o": true}
-- {"p": true, "q": false, "a": false, "o": true}
-- {"p": true, "q": null, "a": null, "o": true}
-- {"p": false, "q": false, "a": false, "o": false}
-- {"p": false, "q": null, "a": false, "o": null}
-- {"p": null, "q": null, "a": null, "o": null}

SELECT p, NOT p AS np, p IS TRUE AS t, p IS FALSE AS f, p IS UNKNOWN AS u FROM t WHERE q IS NULL;
-- expect:
-- {"p": true, "np": false, "t": true, "f": false, "u": false}
-- {"p": false, "np": true, "t": false, "f": true, "u": false}
-- {"p": null, "np": null, "t": false, "f": false, "u": true}

SELECT q, q IS NOT TRUE AS nt, q IS NOT FALSE AS nf, q IS NOT UNKNOWN AS nu FROM t WHERE p IS TRUE;
-- expect:
-- {"q": true, "nt": false, "nf": true, "nu": true}
-- {"q": false, "nt": true, "nf": false, "nu": true}
-- {"q": null, "nt": true, "nf": true, "nu": false}

SELECT COUNT(*) AS n FROM t WHERE p OR q;
-- expect:
-- {"n": 3}

SELECT COUNT(*) AS n FROM t WHERE NOT (p AND q);
-- expect:
-- {"n": 3}

SELECT COUNT(*) AS n FROM t WHERE (p AND q) IS NOT TRUE;
-- expect:
-- {"n": 5}

SELECT TRUE AND CAST(NULL AS BOOLEAN) AS a, FALSE AND CAST(NULL AS BOOLEAN) AS b, TRUE OR CAST(NULL AS BOOLEAN) AS c,
  NOT CAST(NULL AS BOOLEAN) AS d;
-- expect:
-- {"a": null, "b": false, "c": true, "d": null}
