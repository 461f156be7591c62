/**
 * Property: joins with WHERE conditions give SQL's answer whatever filter pushdown, join key
 * extraction and column pruning do to the plan. Random small tables (with NULLs), a random join
 * type and a random three-valued predicate are run as a job and compared with a direct evaluation
 * of the SQL semantics in this file (nested loops, NULL-padded outer rows, UNKNOWN filtered out).
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import fc from "fast-check";
import { materializeChangelog } from "../client/changelog-materializer.ts";
import { SQL_JOB_MODULE, takeResultSink } from "../job/sql-job.ts";

type Value = number | null;
type Row4 = [Value, Value, Value, Value];
type Truth = boolean | null;
type Predicate =
  | { kind: "compare"; column: number; op: "=" | "<>" | "<" | ">"; value: number }
  | { kind: "is-null"; column: number; negated: boolean }
  | { kind: "and" | "or"; left: Predicate; right: Predicate }
  | { kind: "not"; operand: Predicate };

const COLUMNS = ["l.k", "l.x", "r.k", "r.y"];

const predicate: fc.Arbitrary<Predicate> = fc.letrec<{ p: Predicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constant("compare" as const),
      column: fc.integer({ min: 0, max: 3 }),
      op: fc.constantFrom("=" as const, "<>" as const, "<" as const, ">" as const),
      value: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({
      kind: fc.constant("is-null" as const),
      column: fc.integer({ min: 0, max: 3 }),
      negated: fc.boolean(),
    }),
    fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: tie("p"), right: tie("p") }),
    fc.record({ kind: fc.constant("not" as const), operand: tie("p") }),
  ),
})).p;

function sql(p: Predicate): string {
  switch (p.kind) {
    case "compare":
      return `${COLUMNS[p.column]} ${p.op} ${p.value}`;
    case "is-null":
      return `${COLUMNS[p.column]} IS ${p.negated ? "NOT " : ""}NULL`;
    case "and":
    case "or":
      return `(${sql(p.left)} ${p.kind.toUpperCase()} ${sql(p.right)})`;
    case "not":
      return `NOT (${sql(p.operand)})`;
  }
}

function evaluate(p: Predicate, row: Row4): Truth {
  switch (p.kind) {
    case "compare": {
      const v = row[p.column]!;
      if (v === null) return null;
      return p.op === "="
        ? v === p.value
        : p.op === "<>"
          ? v !== p.value
          : p.op === "<"
            ? v < p.value
            : v > p.value;
    }
    case "is-null":
      return (row[p.column] === null) !== p.negated;
    case "and": {
      const a = evaluate(p.left, row);
      const b = evaluate(p.right, row);
      if (a === false || b === false) return false;
      return a === null || b === null ? null : true;
    }
    case "or": {
      const a = evaluate(p.left, row);
      const b = evaluate(p.right, row);
      if (a === true || b === true) return true;
      return a === null || b === null ? null : false;
    }
    case "not": {
      const a = evaluate(p.operand, row);
      return a === null ? null : !a;
    }
  }
}

type JoinType = "JOIN" | "LEFT JOIN" | "RIGHT JOIN" | "FULL JOIN";

function expected(left: Value[][], right: Value[][], join: JoinType, where: Predicate): Row4[] {
  const rows: Row4[] = [];
  const rightMatched = new Set<number>();
  for (const l of left) {
    let matched = false;
    right.forEach((r, j) => {
      if (l[0] !== null && r[0] !== null && l[0] === r[0]) {
        rows.push([l[0]!, l[1]!, r[0]!, r[1]!]);
        matched = true;
        rightMatched.add(j);
      }
    });
    if (!matched && (join === "LEFT JOIN" || join === "FULL JOIN")) rows.push([l[0]!, l[1]!, null, null]);
  }
  if (join === "RIGHT JOIN" || join === "FULL JOIN") {
    right.forEach((r, j) => {
      if (!rightMatched.has(j)) rows.push([null, null, r[0]!, r[1]!]);
    });
  }
  return rows.filter((row) => evaluate(where, row) === true);
}

const value = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 4 });
const table = fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 5 });

function valuesSql(rows: readonly (readonly Value[])[]): string {
  return rows
    .map((r) => `(${r.map((v) => (v === null ? "CAST(NULL AS INT)" : String(v))).join(", ")})`)
    .join(", ");
}

const key = (row: readonly unknown[]): string => JSON.stringify(row);

test("joins with WHERE conditions match SQL semantics", async () => {
  await fc.assert(
    fc.asyncProperty(
      table,
      table,
      fc.constantFrom<JoinType>("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"),
      predicate,
      async (left, right, join, where) => {
        const script = `SELECT l.k, l.x, r.k AS rk, r.y FROM (VALUES ${valuesSql(left)}) AS l(k, x)
          ${join} (VALUES ${valuesSql(right)}) AS r(k, y) ON l.k = r.k WHERE ${sql(where)}`;
        const runId = randomUUID();
        const result = await runJob(SQL_JOB_MODULE, {
          params: { script, statementIndex: 0, config: {}, runId },
        });
        const rows = materializeChangelog(result.collected(takeResultSink(runId)!));
        assert.deepEqual(rows.map(key).sort(), expected(left, right, join, where).map(key).sort(), script);
      },
    ),
    { numRuns: 12 },
  );
});
