/**
 * MATCH_RECOGNIZE under the operator harness: event-time rows wait for the watermark and are
 * matched in time order (then ORDER BY order), late rows are dropped, WITHIN discards old partial
 * matches by timer, state is freed once nothing is open, a restored operator finishes the matches
 * it held, processing time matches on arrival, and state stays bounded on a long input. Expected
 * rows are worked out by hand from Flink's semantics.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import type { Row, RowData } from "../../data/row.ts";
import { insert, show } from "../testing/changelog.ts";
import { countAggregate } from "../testing/test-aggregates.ts";
import { MatchRecognizeFunction } from "./match-recognize-function.ts";
import type { MatchExpression, MatchRecognizeSpec, NavigationSpec } from "./match-specs.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

/** Input rows: [key, letter, time, n]. */
const letter = (...letters: string[]): MatchExpression => ({
  navigations: [],
  evaluate: (row: Row) => letters.includes(row[1] as string),
});

const nav = (navigation: NavigationSpec): MatchExpression => ({
  navigations: [navigation],
  evaluate: (row: Row) => row[4] ?? null,
});

/**
 * `PATTERN (A B+? C) DEFINE A AS letter = 'a', B AS letter = 'b', C AS letter = 'c'`,
 * `MEASURES FIRST(A.time), LAST(C.time), COUNT(B.*)`, SKIP PAST LAST ROW.
 */
function spec(overrides: Partial<MatchRecognizeSpec> = {}): MatchRecognizeSpec {
  return {
    partitionKey: [0],
    timeIndex: 2,
    timeKind: "rowtime",
    compareRows: null,
    pattern: [
      { variable: "A", min: 1, max: 1, greedy: false },
      { variable: "B", min: 1, max: null, greedy: false },
      { variable: "C", min: 1, max: 1, greedy: false },
    ],
    conditions: [letter("a"), letter("b"), letter("c")],
    measures: [
      nav({ kind: "first", variable: "A", offset: 0, value: (r) => r[2] ?? null }),
      nav({ kind: "last", variable: "C", offset: 0, value: (r) => r[2] ?? null }),
      nav({ kind: "aggregate", variable: "B", implementation: countAggregate, operands: () => [] }),
    ],
    skip: { kind: "past-last-row" },
    withinMs: null,
    inputWidth: 4,
    stateTtlMs: 0,
    ...overrides,
  };
}

const options = { keySelector: (row: RowData) => row.fields[0] as string };

function harness(s: MatchRecognizeSpec = spec()) {
  return OneInputHarness.forFunction(
    EventTimeExtension.wrapProcessFunction(new MatchRecognizeFunction(s)),
    options,
  );
}

function feed(h: { processRecord(r: RowData, t: number): void }, rows: readonly [string, string, number][]) {
  for (const [k, l, t] of rows) h.processRecord(insert(k, l, t, 0n), t);
}

function stateSize(keyed: unknown): number {
  return JSON.stringify(keyed, (_, v) =>
    typeof v === "bigint" ? String(v) : v instanceof Map ? [...v.entries()] : v,
  ).length;
}

describe("event-time MATCH_RECOGNIZE", () => {
  test("rows arriving out of order are matched in time order once the watermark passes them", async () => {
    await using h = await harness();
    feed(h, [
      ["k", "b", 2],
      ["k", "a", 1],
      ["k", "c", 4],
      ["j", "a", 5],
      ["k", "b", 3],
      ["j", "c", 7],
      ["j", "b", 6],
    ]);
    assert.deepEqual(show(h.output()), [], "nothing before the watermark");
    h.processWatermark(EVENT_TIME.newWatermark(4));
    assert.deepEqual(show(h.output()), ["+I[k, 1, 4, 2]"]);
    h.clearOutput();
    h.processWatermark(EVENT_TIME.newWatermark(10));
    assert.deepEqual(show(h.output()), ["+I[j, 5, 7, 1]"]);
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), [], "no partition state is left");
  });

  test("a row not later than the watermark is dropped, as Flink's CepOperator drops late rows", async () => {
    await using h = await harness();
    feed(h, [
      ["k", "a", 1],
      ["k", "b", 2],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(5));
    feed(h, [["k", "c", 3]]); // late: would have completed a1 b2 c3
    feed(h, [["k", "c", 6]]); // on time: the row after b2 in matching order
    h.processWatermark(EVENT_TIME.newWatermark(10));
    assert.deepEqual(show(h.output()), ["+I[k, 1, 6, 1]"], "the match ends at 6, not at the late 3");
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), [], "nothing is left open");
  });

  test("rows of equal time are matched in the secondary ORDER BY order", async () => {
    // ORDER BY time, n: at time 2 the row with n = 1 (b) comes before n = 2 (c).
    await using h = await harness(
      spec({ compareRows: (x, y) => Number((x[3] as bigint) - (y[3] as bigint)) }),
    );
    h.processRecord(insert("k", "a", 1, 0n), 1);
    h.processRecord(insert("k", "c", 2, 2n), 2);
    h.processRecord(insert("k", "b", 2, 1n), 2);
    h.processWatermark(EVENT_TIME.newWatermark(2));
    assert.deepEqual(show(h.output()), ["+I[k, 1, 2, 1]"]);
  });

  test("WITHIN: a partial match is dropped by timer when the watermark passes its first row + WITHIN", async () => {
    await using h = await harness(spec({ withinMs: 10 }));
    feed(h, [
      ["k", "a", 1],
      ["k", "b", 5],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(5));
    assert.notDeepEqual(Object.values(h.snapshot().keyed).flat(), [], "a1 b5 is open");
    h.processWatermark(EVENT_TIME.newWatermark(11));
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), [], "timed out at 1 + 10 and freed");
    feed(h, [["k", "c", 12]]);
    h.processWatermark(EVENT_TIME.newWatermark(20));
    assert.deepEqual(show(h.output()), []);
  });

  test("WITHIN: a match spanning less than the interval is found", async () => {
    await using h = await harness(spec({ withinMs: 10 }));
    feed(h, [
      ["k", "a", 1],
      ["k", "b", 5],
      ["k", "c", 10],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(20));
    assert.deepEqual(show(h.output()), ["+I[k, 1, 10, 1]"]);
  });

  test("a restored operator finishes the partial match and the rows it was holding", async () => {
    const h = await harness();
    feed(h, [
      ["k", "a", 1],
      ["k", "b", 2],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(2));
    feed(h, [
      ["k", "c", 4],
      ["k", "b", 3],
    ]);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(
      EventTimeExtension.wrapProcessFunction(new MatchRecognizeFunction(spec())),
      snapshot,
      options,
    );
    restored.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(restored.output()), ["+I[k, 1, 4, 2]"]);
  });
});

describe("processing-time MATCH_RECOGNIZE", () => {
  test("rows are matched on arrival; WITHIN is measured on the operator's clock", async () => {
    await using h = await harness(spec({ timeKind: "proctime", withinMs: 100 }));
    h.advanceProcessingTime(1_000);
    feed(h, [["k", "a", 0]]);
    h.advanceProcessingTime(1_050);
    feed(h, [
      ["k", "b", 0],
      ["k", "c", 0],
    ]);
    assert.deepEqual(show(h.output()), ["+I[k, 0, 0, 1]"]);
    h.clearOutput();
    feed(h, [["k", "a", 0]]);
    h.advanceProcessingTime(1_200);
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), [], "the open match timed out and was freed");
  });
});

describe("MATCH_RECOGNIZE state on a long input", () => {
  test("state stays bounded while the watermark advances over 20 000 rows", async () => {
    // Letters cycle a b b c x: one match per 5 rows per key; the x rows open nothing.
    await using h = await harness(spec({ withinMs: 50 }));
    const cycle = ["a", "b", "b", "c", "x", "a", "b"];
    const sizes: number[] = [];
    let matches = 0;
    for (let t = 1; t <= 20_000; t++) {
      const key = t % 2 === 0 ? "p" : "q";
      h.processRecord(insert(key, cycle[Math.floor(t / 2) % cycle.length]!, t, 0n), t);
      if (t % 10 === 0) h.processWatermark(EVENT_TIME.newWatermark(t - 5));
      if (t % 100 === 0) {
        matches += h.output().length;
        h.clearOutput();
      }
      if (t % 1_000 === 0) sizes.push(stateSize(h.snapshot().keyed));
    }
    assert.ok(matches > 2_000, `matches are found (${matches})`);
    // The size moves with the phase of the cycle; it must not trend up with the rows seen.
    const early = Math.max(...sizes.slice(0, 5));
    const late = Math.max(...sizes.slice(-5));
    assert.ok(early > 0, "rows waiting for the watermark are held");
    assert.ok(late <= early * 1.5, `state grew from ${early} to ${late} characters (${sizes.join(", ")})`);
  });
});
