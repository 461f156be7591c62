-- Validation errors: each names what is wrong and where (line, column of the offending name or
-- expression). Message substrings are Flink's (Calcite's) wording: "Object 'x' not found",
-- "Column 'x' not found in any table", "No match found for function signature", "Cannot apply",
-- "is not being grouped", "is ambiguous", "Column count mismatch". Positions worked out by hand.
CREATE TEMPORARY VIEW t (k, v, s) AS VALUES ('a', 1, 'x'), ('b', 2, 'y');
CREATE TEMPORARY VIEW u (k, w) AS VALUES ('a', 10);

SELECT * FROM nope;
-- expect error: line 8, column 15: Object 'nope' not found

SELECT k, missing FROM t;
-- expect error: line 11, column 11: Column 'missing' not found in any table

SELECT NO_SUCH_FUNCTION(v) FROM t;
-- expect error: line 14, column 8: No match found for function signature NO_SUCH_FUNCTION

SELECT s + 1 AS bad FROM t WHERE
  v > 0;
-- expect error: line 17, column 8: Cannot apply '+' to arguments of type

SELECT k, v FROM t GROUP BY k;
-- expect error: line 21, column 11: Expression 'v' is not being grouped

SELECT k FROM t JOIN u ON t.k = u.k;
-- expect error: line 24, column 8: Column 'k' is ambiguous

SELECT k FROM t UNION ALL SELECT k, w FROM u;
-- expect error: Column count mismatch

SELECT k FROM t WHERE COUNT(*) > 1;
-- expect error: line 30, column 23: Aggregate expression is illegal in WHERE clause

SELECT UPPER(k, s) FROM t;
-- expect error: line 33, column 8: Invalid number of arguments to function 'UPPER'

SELECT k FROM t WHERE v;
-- expect error: line 36, column 23: WHERE clause must be a condition

SELECT t.nope FROM t;
-- expect error: Column 'nope' not found in table 't'

SELECT x.k FROM t;
-- expect error: line 42, column 8: Table 'x' not found

SELECT CAST(s AS NO_SUCH_TYPE) FROM t;
-- expect error: line 45, column 18: NO_SUCH_TYPE

SELECT k, COUNT(*) FROM t GROUP BY k HAVING v > 1;
-- expect error: line 48, column 45: Expression 'v' is not being grouped

SELECT k FROM t ORDER BY nope LIMIT 1;
-- expect error: line 51, column 26: Column 'nope' not found

SELECT SUM(s) FROM t;
-- expect error: line 54, column 8: Cannot apply 'SUM' to arguments of type

SELECT k FROM t WHERE k IN (SELECT k, w FROM u);
-- expect error: Values passed to IN operator must have compatible types
