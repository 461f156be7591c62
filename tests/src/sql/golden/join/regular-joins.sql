-- Regular joins: inner, left, right, full, non-equi conditions, self joins, null-safe keys, and
-- joins over updating inputs (an aggregate on one side sends retractions the join must follow).
-- NULL keys never match with `=`; they do with IS NOT DISTINCT FROM. Expected rows worked out by
-- hand and cross-checked in DuckDB 1.x.
-- parallelism: 2
CREATE TEMPORARY VIEW emp (eid, name, dept) AS VALUES
  (1, 'ann', 10), (2, 'bob', 20), (3, 'cy', 10), (4, 'dee', CAST(NULL AS INT)), (5, 'eli', 40);
CREATE TEMPORARY VIEW dept (did, dname) AS VALUES
  (10, 'eng'), (20, 'ops'), (30, 'hr'), (CAST(NULL AS INT), 'none');
CREATE TEMPORARY VIEW loc (ldid, city) AS VALUES (10, 'oslo'), (20, 'rome'), (20, 'nice');

SELECT name, dname FROM emp JOIN dept ON emp.dept = dept.did;
-- expect:
-- {"name": "ann", "dname": "eng"}
-- {"name": "bob", "dname": "ops"}
-- {"name": "cy", "dname": "eng"}

SELECT name, dname FROM emp LEFT JOIN dept ON emp.dept = dept.did;
-- expect:
-- {"name": "ann", "dname": "eng"}
-- {"name": "bob", "dname": "ops"}
-- {"name": "cy", "dname": "eng"}
-- {"name": "dee", "dname": null}
-- {"name": "eli", "dname": null}

SELECT name, dname FROM emp RIGHT JOIN dept ON emp.dept = dept.did;
-- expect:
-- {"name": "ann", "dname": "eng"}
-- {"name": "bob", "dname": "ops"}
-- {"name": "cy", "dname": "eng"}
-- {"name": null, "dname": "hr"}
-- {"name": null, "dname": "none"}

SELECT name, dname, did FROM emp FULL OUTER JOIN dept ON emp.dept = dept.did;
-- expect:
-- {"name": "ann", "dname": "eng", "did": 10}
-- {"name": "bob", "dname": "ops", "did": 20}
-- {"name": "cy", "dname": "eng", "did": 10}
-- {"name": "dee", "dname": null, "did": null}
-- {"name": "eli", "dname": null, "did": null}
-- {"name": null, "dname": "hr", "did": 30}
-- {"name": null, "dname": "none", "did": null}

SELECT name, dname FROM emp JOIN dept ON emp.dept = dept.did AND emp.eid > 1;
-- expect:
-- {"name": "bob", "dname": "ops"}
-- {"name": "cy", "dname": "eng"}

-- A condition in ON of an outer join keeps the unmatched rows; the same condition in WHERE drops them.
SELECT name, dname FROM emp LEFT JOIN dept ON emp.dept = dept.did AND dept.dname = 'eng';
-- expect:
-- {"name": "ann", "dname": "eng"}
-- {"name": "bob", "dname": null}
-- {"name": "cy", "dname": "eng"}
-- {"name": "dee", "dname": null}
-- {"name": "eli", "dname": null}

SELECT name, dname FROM emp LEFT JOIN dept ON emp.dept = dept.did WHERE dept.dname = 'eng';
-- expect:
-- {"name": "ann", "dname": "eng"}
-- {"name": "cy", "dname": "eng"}

SELECT a.name AS first_name, b.name AS second_name FROM emp a JOIN emp b ON a.dept = b.dept AND a.eid < b.eid;
-- expect:
-- {"first_name": "ann", "second_name": "cy"}

SELECT name, dname FROM emp JOIN dept ON emp.dept IS NOT DISTINCT FROM dept.did;
-- expect:
-- {"name": "ann", "dname": "eng"}
-- {"name": "bob", "dname": "ops"}
-- {"name": "cy", "dname": "eng"}
-- {"name": "dee", "dname": "none"}

SELECT name FROM emp, dept WHERE emp.dept = dept.did AND dname = 'ops';
-- expect:
-- {"name": "bob"}

SELECT name, dname, city FROM emp JOIN dept ON emp.dept = dept.did JOIN loc ON loc.ldid = dept.did;
-- expect:
-- {"name": "ann", "dname": "eng", "city": "oslo"}
-- {"name": "cy", "dname": "eng", "city": "oslo"}
-- {"name": "bob", "dname": "ops", "city": "rome"}
-- {"name": "bob", "dname": "ops", "city": "nice"}

SELECT d.dname, c.n FROM (SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept) AS c JOIN dept AS d ON c.dept = d.did;
-- expect:
-- {"dname": "eng", "n": 2}
-- {"dname": "ops", "n": 1}

SELECT d.dname, c.n FROM dept AS d LEFT JOIN (SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept) AS c ON c.dept = d.did;
-- expect:
-- {"dname": "eng", "n": 2}
-- {"dname": "ops", "n": 1}
-- {"dname": "hr", "n": null}
-- {"dname": "none", "n": null}

SELECT c.dept, c.n, l.k FROM (SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept) AS c
FULL JOIN (SELECT ldid, COUNT(*) AS k FROM loc GROUP BY ldid) AS l ON c.dept = l.ldid;
-- expect:
-- {"dept": 10, "n": 2, "k": 1}
-- {"dept": 20, "n": 1, "k": 2}
-- {"dept": 40, "n": 1, "k": null}
-- {"dept": null, "n": 1, "k": null}

SELECT dname, COUNT(name) AS staff FROM dept LEFT JOIN emp ON emp.dept = dept.did GROUP BY dname;
-- expect:
-- {"dname": "eng", "staff": 2}
-- {"dname": "ops", "staff": 1}
-- {"dname": "hr", "staff": 0}
-- {"dname": "none", "staff": 0}
