/**
 * The multi-way join rule: which join chains become one MultiJoin with
 * `table.optimizer.multi-join.enabled`, and which stay binary joins, as Flink's
 * JoinToMultiJoinRule decides (INNER and LEFT only, a common key, no time-bounded joins). Plans
 * are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RexNode } from "../../plan/rex.ts";
import { inputRef } from "../../plan/rex-factory.ts";
import type { LogicalType } from "../../types/logical-type.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import { physicalPlan, sessionOf } from "../testing/planner-fixtures.ts";
import { commonKeyOf } from "./multi-join.ts";

const DDL = `
CREATE TABLE a (k BIGINT, x STRING) WITH ('connector' = 'datagen');
CREATE TABLE b (k BIGINT, y STRING) WITH ('connector' = 'datagen');
CREATE TABLE c (k BIGINT, z STRING) WITH ('connector' = 'datagen');
CREATE TABLE d (id BIGINT, k BIGINT, w STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-test');
CREATE TABLE e (k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
CREATE TABLE f (k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
`;

const ON = { "table.optimizer.multi-join.enabled": "true" };

describe("multi-way join planning", () => {
  const session = sessionOf(DDL, ON);

  it("a 3-way INNER / LEFT chain on one key is one MultiJoin over the three inputs, hashed on the key", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN CHANGELOG_MODE SELECT a.x, b.y, c.z FROM a JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k AND c.z > a.x",
      ),
      [
        "Calc(select=[x, y, z], changelogMode=[I,UB,UA,D])",
        "+- MultiJoin(commonJoinKey=[k], joinTypes=[INNER, LEFT], inputUniqueKeys=[noUniqueKey, noUniqueKey, noUniqueKey], joinConditions=[=(k, k0), AND(=(k0, k1), >(z, x))], select=[k,x,k0,y,k1,z], changelogMode=[I,UB,UA,D])",
        "   :- Exchange(distribution=[hash[k]], changelogMode=[I])",
        "   :  +- TableSourceScan(table=[[default_catalog, default_database, a]], fields=[k, x], changelogMode=[I])",
        "   :- Exchange(distribution=[hash[k]], changelogMode=[I])",
        "   :  +- TableSourceScan(table=[[default_catalog, default_database, b]], fields=[k, y], changelogMode=[I])",
        "   +- Exchange(distribution=[hash[k]], changelogMode=[I])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, c]], fields=[k, z], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("4 inputs through pruning projections and an updating input; INNER only and insert-only inputs stay insert-only", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN CHANGELOG_MODE SELECT a.x, d.w FROM a JOIN b ON a.k = b.k JOIN c ON b.k = c.k JOIN d ON c.k = d.k WHERE b.y <> 'q'",
      ),
      [
        "Calc(select=[x, w], changelogMode=[I,UB,UA,D])",
        "+- MultiJoin(commonJoinKey=[k], joinTypes=[INNER, INNER, INNER], inputUniqueKeys=[noUniqueKey, noUniqueKey, noUniqueKey, noUniqueKey], joinConditions=[=(k, k0), =(k0, k1), =(k1, k2)], select=[k,x,k0,k1,k2,w], changelogMode=[I,UB,UA,D])",
        "   :- Exchange(distribution=[hash[k]], changelogMode=[I])",
        "   :  +- TableSourceScan(table=[[default_catalog, default_database, a]], fields=[k, x], changelogMode=[I])",
        "   :- Exchange(distribution=[hash[k]], changelogMode=[I])",
        "   :  +- Calc(select=[k], where=[<>(y, 'q')], changelogMode=[I])",
        "   :     +- TableSourceScan(table=[[default_catalog, default_database, b]], fields=[k, y], changelogMode=[I])",
        "   :- Exchange(distribution=[hash[k]], changelogMode=[I])",
        "   :  +- Calc(select=[k], changelogMode=[I])",
        "   :     +- TableSourceScan(table=[[default_catalog, default_database, c, project=[k]]], fields=[k, z], changelogMode=[I])",
        "   +- Exchange(distribution=[hash[k]], changelogMode=[I,UB,UA,D])",
        "      +- Calc(select=[k, w], changelogMode=[I,UB,UA,D])",
        "         +- ChangelogNormalize(key=[id], changelogMode=[I,UB,UA,D])",
        "            +- Exchange(distribution=[hash[id]], changelogMode=[I,UA,D])",
        "               +- TableSourceScan(table=[[default_catalog, default_database, d, project=[k, w]]], fields=[id, k, w], changelogMode=[I,UA,D])",
      ].join("\n"),
    );
    const insertOnly = physicalPlan(
      session,
      "EXPLAIN CHANGELOG_MODE SELECT a.x FROM a JOIN b ON a.k = b.k JOIN c ON c.k = a.k",
    );
    assert.match(
      insertOnly,
      /^Calc\(select=\[x\], changelogMode=\[I\]\)\n\+- MultiJoin\(commonJoinKey=\[k\], joinTypes=\[INNER, INNER\]/,
    );
  });

  it("falls back to binary joins: option off, two inputs, a RIGHT join above the chain, FULL joins, no common key, interval joins", () => {
    const off = sessionOf(DDL);
    const startsWithJoin = (s: typeof session, sql: string) => {
      const plan = physicalPlan(s, `EXPLAIN ${sql}`);
      assert.ok(!plan.includes("MultiJoin"), `${sql}\n${plan}`);
    };
    startsWithJoin(off, "SELECT * FROM a JOIN b ON a.k = b.k JOIN c ON b.k = c.k");
    startsWithJoin(session, "SELECT * FROM a JOIN b ON a.k = b.k");
    startsWithJoin(session, "SELECT * FROM a JOIN b ON a.k = b.k RIGHT JOIN c ON b.k = c.k");
    startsWithJoin(session, "SELECT * FROM a JOIN b ON a.k = b.k FULL JOIN c ON b.k = c.k");
    startsWithJoin(session, "SELECT * FROM a JOIN b ON a.k = b.k JOIN c ON b.y = c.z");
    // The third join's key equates two earlier inputs, not c: c shares no key column.
    startsWithJoin(session, "SELECT * FROM a JOIN b ON a.k = b.k JOIN c ON a.k = b.k AND c.z = a.x");
    startsWithJoin(
      session,
      "SELECT * FROM e JOIN f ON e.k = f.k AND e.ts BETWEEN f.ts - INTERVAL '1' SECOND AND f.ts JOIN a ON a.k = e.k",
    );
  });

  it("a RIGHT join at the bottom runs as a LEFT join with its inputs swapped; a Calc restores the order", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN SELECT a.x, c.z FROM a RIGHT JOIN b ON a.k = b.k LEFT JOIN c ON a.k = c.k",
      ),
      [
        "Calc(select=[x, z])",
        "+- MultiJoin(commonJoinKey=[k], joinTypes=[LEFT, LEFT], inputUniqueKeys=[noUniqueKey, noUniqueKey, noUniqueKey], joinConditions=[=(k0, k), =(k0, k1)], select=[k,k0,x,k1,z])",
        "   :- Exchange(distribution=[hash[k]])",
        "   :  +- Calc(select=[k])",
        "   :     +- TableSourceScan(table=[[default_catalog, default_database, b, project=[k]]], fields=[k, y])",
        "   :- Exchange(distribution=[hash[k]])",
        "   :  +- TableSourceScan(table=[[default_catalog, default_database, a]], fields=[k, x])",
        "   +- Exchange(distribution=[hash[k]])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, c]], fields=[k, z])",
      ].join("\n"),
    );
  });

  it("a chain above a non-mergeable join merges from there on, the FULL join one input keyed by b.k", () => {
    const plan = physicalPlan(
      session,
      "EXPLAIN SELECT * FROM a FULL JOIN b ON a.k = b.k JOIN c ON c.k = b.k JOIN d ON d.k = c.k",
    );
    assert.equal(
      plan,
      [
        "MultiJoin(commonJoinKey=[k0], joinTypes=[INNER, INNER], inputUniqueKeys=[noUniqueKey, noUniqueKey, (id)], joinConditions=[=(k1, k0), =(k2, k1)], select=[k,x,k0,y,k1,z,id,k2,w])",
        ":- Exchange(distribution=[hash[k]])",
        ":  +- Join(joinType=[FullOuterJoin], where=[=(k, k)], select=[k, x, k, y])",
        ":     :- Exchange(distribution=[hash[k]])",
        ":     :  +- TableSourceScan(table=[[default_catalog, default_database, a]], fields=[k, x])",
        ":     +- Exchange(distribution=[hash[k]])",
        ":        +- TableSourceScan(table=[[default_catalog, default_database, b]], fields=[k, y])",
        ":- Exchange(distribution=[hash[k]])",
        ":  +- TableSourceScan(table=[[default_catalog, default_database, c]], fields=[k, z])",
        "+- Exchange(distribution=[hash[k]])",
        "   +- ChangelogNormalize(key=[id])",
        "      +- Exchange(distribution=[hash[id]])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, d]], fields=[id, k, w])",
      ].join("\n"),
    );
  });
});

describe("commonKeyOf", () => {
  const big = LogicalTypes.bigint();
  const str = LogicalTypes.string();
  const ref = (i: number, type: LogicalType = big): RexNode => inputRef(i, type);
  const eq = (l: RexNode, r: RexNode): RexNode => ({
    kind: "call",
    name: "=",
    operands: [l, r],
    type: LogicalTypes.boolean(),
  });
  const and = (...cs: RexNode[]): RexNode => ({
    kind: "call",
    name: "AND",
    operands: cs,
    type: LogicalTypes.boolean(),
  });

  it("follows a key through the chain, transitively, per input", () => {
    // [k, x] [y, k] [k, z]: a.k = b.k, then b.k = c.k.
    assert.deepEqual(commonKeyOf([2, 2, 2], [eq(ref(0), ref(3)), eq(ref(3), ref(4))]), [[0], [1], [0]]);
    // Two key columns survive when every level equates both.
    assert.deepEqual(
      commonKeyOf(
        [2, 2, 2],
        [and(eq(ref(0), ref(2)), eq(ref(1), ref(3))), and(eq(ref(4), ref(2)), eq(ref(5), ref(1)))],
      ),
      [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
    );
  });

  it("no key: a level that does not equate its input with the key, or fields of different types", () => {
    assert.equal(commonKeyOf([2, 2, 2], [eq(ref(0), ref(2)), eq(ref(1), ref(5))]), null);
    assert.equal(
      commonKeyOf([2, 2, 2], [eq(ref(0), ref(2)), and(eq(ref(0), ref(2)), eq(ref(5, str), ref(1, str)))]),
      null,
    );
    assert.equal(commonKeyOf([2, 2], [eq(ref(0, big), ref(3, LogicalTypes.int()))]), null);
  });
});
