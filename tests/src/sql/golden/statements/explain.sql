-- EXPLAIN: the plan text names each physical node as Flink does and, with CHANGELOG_MODE, the
-- changelog mode of each node (I = insert, UB/UA = update before/after, D = delete). Only key
-- fragments are checked: section titles, node names, and the modes an operator must produce.
CREATE TEMPORARY VIEW t (k, v) AS VALUES ('a', 1), ('b', 2), ('a', 3);

EXPLAIN SELECT k, v + 1 AS w FROM t WHERE v > 1;
-- expect contains:
-- == Abstract Syntax Tree ==
-- == Optimized Physical Plan ==
-- Calc(
-- Values(

EXPLAIN CHANGELOG_MODE SELECT k, COUNT(*) AS n FROM t GROUP BY k;
-- expect contains:
-- GroupAggregate(
-- changelogMode=[I]
-- changelogMode=[I,UB,UA]

EXPLAIN CHANGELOG_MODE SELECT n, COUNT(*) AS c FROM (SELECT k, COUNT(*) AS n FROM t GROUP BY k) GROUP BY n;
-- expect contains:
-- GroupAggregate(
-- changelogMode=[I,UB,UA,D]

EXPLAIN SELECT a.k FROM t AS a JOIN t AS b ON a.k = b.k;
-- expect contains:
-- Join(
-- Exchange(distribution=[hash[k]])

EXPLAIN SELECT k, v FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM t) WHERE rn <= 1;
-- expect contains:
-- Rank(

EXPLAIN SELECT k FROM t UNION ALL SELECT k FROM t;
-- expect contains:
-- Union(

EXPLAIN SELECT k FROM t ORDER BY v DESC LIMIT 1;
-- expect contains:
-- SortLimit(

EXPLAIN PLAN FOR SELECT k FROM t WHERE v > 1;
-- expect contains:
-- == Optimized Physical Plan ==
-- Calc(

EXPLAIN CHANGELOG_MODE SELECT a.k, b.n FROM t AS a JOIN (SELECT k, COUNT(*) AS n FROM t GROUP BY k) AS b ON a.k = b.k;
-- expect contains:
-- Join(
-- changelogMode=[I,UB,UA]
