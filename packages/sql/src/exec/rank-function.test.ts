import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness } from "@weir/testing";
import fc from "fast-check";
import { INSERT_ONLY, RETRACT, type Row, type RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { keySelectorFor } from "./key-selector.ts";
import type { RankSpec } from "./operator-specs.ts";
import { RankFunction } from "./rank-function.ts";
import { insert, materialize, remove, show, showRow } from "./testing/changelog.ts";

// Rows: [partition, name, score]; ORDER BY score DESC.
function spec(overrides: Partial<RankSpec> = {}): RankSpec {
  return {
    partitionKey: [0],
    orderBy: [{ index: 2, direction: "DESC", nullsFirst: false, type: LogicalTypes.bigint() }],
    rankType: "ROW_NUMBER",
    rankStart: 1,
    rankEnd: 2,
    outputRankNumber: true,
    inputMode: RETRACT,
    generateUpdateBefore: true,
    stateTtlMs: 0,
    ...overrides,
  };
}

async function harness(s: RankSpec) {
  return OneInputHarness.forFunction(new RankFunction(s), {
    keySelector: keySelectorFor(s.partitionKey, [LogicalTypes.string()]),
  });
}

describe("RankFunction", () => {
  test("ROW_NUMBER with the rank number: ranks shift as rows enter and leave", async () => {
    await using h = await harness(spec());
    for (const r of [
      insert("p", "a", 5n),
      insert("p", "b", 7n),
      insert("p", "c", 1n),
      remove("p", "b", 7n),
    ]) {
      h.processRecord(r);
    }
    assert.deepEqual(show(h.output()), [
      "+I[p, a, 5, 1]",
      "-U[p, a, 5, 1]",
      "+U[p, b, 7, 1]",
      "+I[p, a, 5, 2]",
      "-U[p, b, 7, 1]",
      "+U[p, a, 5, 1]",
      "-U[p, a, 5, 2]",
      "+U[p, c, 1, 2]",
    ]);
  });

  test("without the rank number: the row pushed out is deleted, the new one inserted", async () => {
    await using h = await harness(spec({ outputRankNumber: false, inputMode: INSERT_ONLY }));
    for (const r of [
      insert("p", "a", 5n),
      insert("p", "b", 7n),
      insert("p", "c", 6n),
      insert("p", "d", 1n),
    ]) {
      h.processRecord(r);
    }
    assert.deepEqual(show(h.output()), ["+I[p, a, 5]", "+I[p, b, 7]", "-D[p, a, 5]", "+I[p, c, 6]"]);
  });

  test("upsert output sends +U for a rank whose row changed", async () => {
    await using h = await harness(spec({ rankEnd: 1, generateUpdateBefore: false }));
    for (const r of [insert("p", "a", 5n), insert("p", "b", 7n)]) h.processRecord(r);
    assert.deepEqual(show(h.output()), ["+I[p, a, 5, 1]", "+U[p, b, 7, 1]"]);
  });

  test("RANK gives ties one rank and skips; DENSE_RANK does not skip", async () => {
    const rows = [insert("p", "a", 9n), insert("p", "b", 9n), insert("p", "c", 8n)];
    await using rank = await harness(spec({ rankType: "RANK", rankEnd: 3 }));
    for (const r of rows) rank.processRecord(r);
    assert.deepEqual(materialize(rank.output()), ["p, a, 9, 1", "p, b, 9, 1", "p, c, 8, 3"]);
    await using dense = await harness(spec({ rankType: "DENSE_RANK", rankEnd: 2 }));
    for (const r of rows) dense.processRecord(r);
    assert.deepEqual(materialize(dense.output()), ["p, a, 9, 1", "p, b, 9, 1", "p, c, 8, 2"]);
  });

  test("rankStart > 1 shows only the ranks from there", async () => {
    await using h = await harness(spec({ rankStart: 2, rankEnd: 3 }));
    for (const r of [insert("p", "a", 1n), insert("p", "b", 2n), insert("p", "c", 3n)]) h.processRecord(r);
    assert.deepEqual(materialize(h.output()), ["p, a, 1, 3", "p, b, 2, 2"]);
  });

  test("the sorted rows survive a snapshot: a retraction after restore brings the next row up", async () => {
    const s = spec({ rankEnd: 1 });
    const h = await harness(s);
    for (const r of [insert("p", "a", 5n), insert("p", "b", 7n)]) h.processRecord(r);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(new RankFunction(s), snapshot, {
      keySelector: keySelectorFor([0], [LogicalTypes.string()]),
    });
    restored.processRecord(remove("p", "b", 7n));
    assert.deepEqual(show(restored.output()), ["-U[p, b, 7, 1]", "+U[p, a, 5, 1]"]);
  });

  test("an empty or inverted rank range is refused", () => {
    assert.throws(
      () => new RankFunction(spec({ rankStart: 3, rankEnd: 2 })),
      /1 <= start <= end, got 3\.\.2/,
    );
  });

  test("partitions rank separately", async () => {
    await using h = await harness(spec({ rankEnd: 1 }));
    for (const r of [insert("p", "a", 1n), insert("q", "b", 0n)]) h.processRecord(r);
    assert.deepEqual(show(h.output()), ["+I[p, a, 1, 1]", "+I[q, b, 0, 1]"]);
  });
});

/** Oracle: ROW_NUMBER over the final rows, ties in arrival order. */
function expectedTopN(rows: readonly Row[], n: number): string[] {
  const byPartition = new Map<string, Row[]>();
  for (const row of rows)
    byPartition.set(row[0] as string, [...(byPartition.get(row[0] as string) ?? []), row]);
  const out: string[] = [];
  for (const list of byPartition.values()) {
    const sorted = list
      .map((row, i) => ({ row, i }))
      .sort((a, b) =>
        a.row[2] === b.row[2] ? a.i - b.i : (b.row[2] as bigint) > (a.row[2] as bigint) ? 1 : -1,
      );
    sorted.slice(0, n).forEach(({ row }) => {
      out.push(showRow(row));
    });
  }
  return out.sort();
}

describe("RankFunction properties", () => {
  test("ROW_NUMBER <= 3 without rank numbers: materialized output is the top 3 of the final rows", async () => {
    const steps = fc.array(
      fc.record({
        retract: fc.boolean(),
        p: fc.constantFrom("p", "q"),
        score: fc.bigInt({ min: 0n, max: 6n }),
        pick: fc.nat(),
      }),
      { maxLength: 50 },
    );
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        await using h = await harness(spec({ rankEnd: 3, outputRankNumber: false }));
        const live: Row[] = [];
        let serial = 0;
        for (const step of plan) {
          let record: RowData;
          if (step.retract && live.length > 0) {
            const [row] = live.splice(step.pick % live.length, 1);
            record = remove(...row!);
          } else {
            // Unique names: with ties the oracle and the operator agree on arrival order.
            const row: Row = [step.p, `r${serial++}`, step.score];
            live.push(row);
            record = insert(...row);
          }
          h.processRecord(record);
        }
        assert.deepEqual(materialize(h.output()), expectedTopN(live, 3));
      }),
      { numRuns: 150 },
    );
  });
});

describe("RankFunction insert-only trimming", () => {
  for (const rankType of ["ROW_NUMBER", "RANK", "DENSE_RANK"] as const) {
    test(`${rankType}: keeping only visible-capable rows gives the same result as keeping all`, async () => {
      const scores = fc.array(fc.bigInt({ min: 0n, max: 4n }), { maxLength: 40 });
      await fc.assert(
        fc.asyncProperty(scores, async (values) => {
          const base = { rankType, rankStart: 2, rankEnd: 3 } as const;
          await using trimmed = await harness(spec({ ...base, inputMode: INSERT_ONLY }));
          await using kept = await harness(spec({ ...base, inputMode: RETRACT }));
          values.forEach((score, i) => {
            trimmed.processRecord(insert("p", `r${i}`, score));
            kept.processRecord(insert("p", `r${i}`, score));
          });
          assert.deepEqual(show(trimmed.output()), show(kept.output()));
        }),
        { numRuns: 100 },
      );
    });
  }
});
