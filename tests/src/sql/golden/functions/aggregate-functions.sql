-- Aggregate functions beyond COUNT/SUM/MIN/MAX: LISTAGG (default separator ','), STDDEV_*,
-- VAR_*, FIRST_VALUE / LAST_VALUE (NULLs are skipped), COLLECT (a multiset, shown as an object
-- of counts), DISTINCT aggregates, JSON_ARRAYAGG. One subtask and a VALUES input keep the arrival
-- order, which LISTAGG, FIRST_VALUE and LAST_VALUE depend on. Expected values by hand
-- (variance of {1, 3}: population 1, sample 2); the statistics cross-checked in DuckDB 1.x.
CREATE TEMPORARY VIEW g (k, v, s, d) AS VALUES
  ('a', 1, 'x', 1.0e0), ('a', 3, 'y', 3.0e0), ('a', CAST(NULL AS INT), 'x', CAST(NULL AS DOUBLE)),
  ('b', 5, 'z', 2.0e0), ('b', 5, CAST(NULL AS STRING), 4.0e0);

SELECT k, LISTAGG(s) AS l FROM g GROUP BY k;
-- expect:
-- {"k": "a", "l": "x,y,x"}
-- {"k": "b", "l": "z"}

SELECT LISTAGG(s, '|') AS l FROM g WHERE k = 'a';
-- expect:
-- {"l": "x|y|x"}

SELECT k, STDDEV_POP(d) AS sp, STDDEV_SAMP(d) AS ss, VAR_POP(d) AS vp, VAR_SAMP(d) AS vs FROM g GROUP BY k;
-- expect:
-- {"k": "a", "sp": 1, "ss": 1.4142135623730951, "vp": 1, "vs": 2}
-- {"k": "b", "sp": 1, "ss": 1.4142135623730951, "vp": 1, "vs": 2}

SELECT k, FIRST_VALUE(v) AS f, LAST_VALUE(v) AS l, FIRST_VALUE(s) AS fs, LAST_VALUE(s) AS ls FROM g GROUP BY k;
-- expect:
-- {"k": "a", "f": 1, "l": 3, "fs": "x", "ls": "x"}
-- {"k": "b", "f": 5, "l": 5, "fs": "z", "ls": "z"}

SELECT k, COLLECT(s) AS c FROM g GROUP BY k;
-- expect:
-- {"k": "a", "c": {"x": 2, "y": 1}}
-- {"k": "b", "c": {"z": 1}}

SELECT k, COUNT(DISTINCT v) AS cd, SUM(DISTINCT v) AS sd, AVG(DISTINCT v) AS ad, COUNT(DISTINCT s) AS cs FROM g GROUP BY k;
-- expect:
-- {"k": "a", "cd": 2, "sd": 4, "ad": 2, "cs": 2}
-- {"k": "b", "cd": 1, "sd": 5, "ad": 5, "cs": 1}

SELECT k, SUM(d) AS sd, AVG(d) AS ad, MAX(s) AS ms, MIN(d) AS md FROM g GROUP BY k;
-- expect:
-- {"k": "a", "sd": 4, "ad": 2, "ms": "y", "md": 1}
-- {"k": "b", "sd": 6, "ad": 3, "ms": "z", "md": 2}

SELECT k, JSON_ARRAYAGG(s) AS j FROM g GROUP BY k;
-- expect:
-- {"k": "a", "j": "[\"x\",\"y\",\"x\"]"}
-- {"k": "b", "j": "[\"z\"]"}

SELECT COUNT(*) AS n, COUNT(1) AS n1, COUNT(v) AS nv, COUNT(DISTINCT k) AS nk FROM g;
-- expect:
-- {"n": 5, "n1": 5, "nv": 4, "nk": 2}
