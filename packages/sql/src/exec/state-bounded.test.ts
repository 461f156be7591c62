/**
 * Every event-time SQL operator on a long unbounded input keeps its state bounded: 20 000 rows of
 * steadily advancing event time over five keys, with disorder (up to 4 ms) and a 50 ms pause every
 * 200 rows (so sessions close), the watermark trailing the largest time by 10 ms. The whole
 * snapshot — keyed state, non-keyed state, processing-time and event-time timers — is measured as
 * text every 250 rows; the largest size over the last 10 % of the input must stay within 1.5
 * times the largest over 15–25 %. The input repeats its shape every 2 000 rows (pauses every 200
 * rows, 100 ms windows), so both stretches (8 samples each) see the same phases.
 *
 * Why that bound: at a steady rate the live state is what the watermark has not released yet (open
 * windows, rows a frame or interval can still reach, partial matches younger than WITHIN, current
 * versions), which depends on window sizes, watermark lag and key count, not on how many rows came
 * before. Taking the maximum over a whole period of samples absorbs the phase of windows and pauses;
 * what is left is timestamps and row values growing from four to five digits (measured ratios
 * 1.02–1.10). A leak of anything per row, per window or per timer would grow about 4× between the
 * two stretches (the watermark stalled at row 4 000 makes every test here fail with 13–17×), so
 * 1.5× tells them apart with room for the digits.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness, TwoInputHarness } from "@weir/testing";
import type { Row, RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { IntervalJoinFunction } from "./interval-join/interval-join-function.ts";
import { MatchRecognizeFunction } from "./match/match-recognize-function.ts";
import type { MatchExpression, NavigationSpec } from "./match/match-specs.ts";
import { OverAggregateFunction } from "./over/over-aggregate-function.ts";
import type { OverFrame } from "./over/over-specs.ts";
import { TemporalJoinFunction } from "./temporal/temporal-join-function.ts";
import { insert, updateAfter } from "./testing/changelog.ts";
import { call, countAggregate, sumAggregate } from "./testing/test-aggregates.ts";
import { GlobalWindowAggregateFunction } from "./window/global-window-aggregate-function.ts";
import { LocalWindowAggregateFunction } from "./window/local-window-aggregate-function.ts";
import { SessionWindowAggregateFunction } from "./window/session-window-aggregate-function.ts";
import { WindowAggregateFunction } from "./window/window-aggregate-function.ts";
import type { WindowEmitStrategy, WindowingStrategy } from "./window/window-specs.ts";
import { WindowJoinFunction } from "./window-join/window-join-function.ts";
import { WindowRankFunction, type WindowRankSpec } from "./window-rank/window-rank-function.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;
const ROWS = 20_000;
const KEYS = ["k0", "k1", "k2", "k3", "k4"] as const;
const WATERMARK_LAG_MS = 10;
const CALLS = [call("COUNT(*)", countAggregate, []), call("SUM($1)", sumAggregate, [1])];

/** Event time of row i: one ms per row, a 50 ms pause every 200 rows, 0–4 ms out of order. */
function timeOf(i: number): number {
  return 1_000 + i + Math.floor(i / 200) * 50 - ((i * 7) % 5);
}

/** The operator under test, driven one row, one watermark, one snapshot at a time. */
interface Driven {
  /** Feeds row i (event time t, key) to the operator. */
  record(i: number, t: number, key: string): void;
  watermark(w: number): void;
  /** Rows emitted since the last call; clears the output. */
  drain(): number;
  /** The snapshot (keyed and non-keyed state, both kinds of timers) as text length. */
  size(): number;
}

interface Snapshot {
  readonly keyed: unknown;
  readonly operator: unknown;
  readonly timers?: unknown;
  readonly eventTimers?: unknown;
}

function snapshotSize(s: Snapshot): number {
  const all = { keyed: s.keyed, operator: s.operator, timers: s.timers, eventTimers: s.eventTimers };
  return JSON.stringify(all, (_, v) =>
    typeof v === "bigint" ? String(v) : v instanceof Map ? [...v.entries()] : v,
  ).length;
}

interface OneInput {
  processRecord(r: RowData, t: number): void;
  processWatermark(w: ReturnType<typeof EVENT_TIME.newWatermark>): void;
  output(): RowData[];
  clearOutput(): void;
  snapshot(): Snapshot;
}

/** A one-input harness fed `row(i, t, key)`. */
function oneInput(h: OneInput, row: (i: number, t: number, key: string) => RowData): Driven {
  return {
    record: (i, t, key) => h.processRecord(row(i, t, key), t),
    watermark: (w) => h.processWatermark(EVENT_TIME.newWatermark(w)),
    drain: () => {
      const n = h.output().length;
      h.clearOutput();
      return n;
    },
    size: () => snapshotSize(h.snapshot()),
  };
}

interface TwoInput {
  processRecord1(r: RowData, t: number): void;
  processRecord2(r: RowData, t: number): void;
  processWatermark(input: 0 | 1, w: ReturnType<typeof EVENT_TIME.newWatermark>): void;
  output(): RowData[];
  clearOutput(): void;
  snapshot(): Snapshot;
}

/** A two-input harness; `side` picks the input of row i, the watermark goes to both. */
function twoInput(
  h: TwoInput,
  side: (i: number) => 1 | 2,
  left: (i: number, t: number, key: string) => RowData,
  right: (i: number, t: number, key: string) => RowData,
): Driven {
  return {
    record: (i, t, key) => {
      if (side(i) === 1) h.processRecord1(left(i, t, key), t);
      else h.processRecord2(right(i, t, key), t);
    },
    watermark: (w) => {
      h.processWatermark(0, EVENT_TIME.newWatermark(w));
      h.processWatermark(1, EVENT_TIME.newWatermark(w));
    },
    drain: () => {
      const n = h.output().length;
      h.clearOutput();
      return n;
    },
    size: () => snapshotSize(h.snapshot()),
  };
}

/** Runs the long input through `d` and asserts output flowed and the state did not grow. */
function assertBounded(name: string, d: Driven, timeOfRow: (i: number) => number = timeOf): void {
  const empty = d.size();
  const samples: [number, number][] = [];
  let maxTime = Number.NEGATIVE_INFINITY;
  let emitted = 0;
  for (let i = 1; i <= ROWS; i++) {
    const t = timeOfRow(i);
    d.record(i, t, KEYS[i % KEYS.length]!);
    maxTime = Math.max(maxTime, t);
    if (i % 10 === 0) d.watermark(maxTime - WATERMARK_LAG_MS);
    if (i % 100 === 0) emitted += d.drain();
    if (i % 250 === 0) samples.push([i, d.size()]);
  }
  const stretch = (from: number, to: number) =>
    Math.max(...samples.filter(([i]) => i > ROWS * from && i <= ROWS * to).map(([, s]) => s));
  const early = stretch(0.15, 0.25);
  const late = stretch(0.9, 1);
  assert.ok(emitted > 0, `${name}: results are emitted`);
  assert.ok(early > empty, `${name}: state is held while the watermark trails (${early} vs empty ${empty})`);
  assert.ok(
    late <= early * 1.5,
    `${name}: state grew from ${early} to ${late} characters (${samples.map(([, s]) => s).join(", ")})`,
  );
}

const byKey = { keySelector: (row: RowData) => row.fields[0] as string };

/** Input rows [key, 1, t]; COUNT(*), SUM per key and window. */
async function windowAggregate(strategy: WindowingStrategy, emit?: WindowEmitStrategy) {
  const spec = {
    strategy,
    timeIndex: 2,
    timeKind: "rowtime",
    groupKey: [0],
    calls: CALLS,
    stateTtlMs: 0,
  } as const;
  const fn =
    strategy.kind === "SESSION"
      ? new SessionWindowAggregateFunction(spec)
      : new WindowAggregateFunction(emit === undefined ? spec : { ...spec, emit });
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), byKey);
}

const ALIGNED: readonly WindowingStrategy[] = [
  { kind: "TUMBLE", sizeMs: 100, offsetMs: 0 },
  { kind: "HOP", sizeMs: 100, slideMs: 20, offsetMs: 0 },
  { kind: "CUMULATE", maxSizeMs: 100, stepMs: 20, offsetMs: 0 },
];

describe("window aggregation state on a long input", () => {
  for (const strategy of [...ALIGNED, { kind: "SESSION", gapMs: 20 } as const]) {
    test(`${strategy.kind} keeps only open windows`, async () => {
      await using h = await windowAggregate(strategy);
      assertBounded(
        strategy.kind,
        oneInput(h, (_, t, key) => insert(key, 1n, t)),
      );
    });
  }

  for (const strategy of ALIGNED) {
    test(`two-phase ${strategy.kind}: local buffer and global slices stay bounded`, async () => {
      await using local = await OneInputHarness.forFunction(
        new LocalWindowAggregateFunction({ strategy, timeIndex: 2, groupKey: [0], calls: CALLS }),
      );
      const global = new GlobalWindowAggregateFunction({
        strategy,
        keyCount: 1,
        calls: CALLS,
        stateTtlMs: 0,
      });
      await using g = await OneInputHarness.forFunction(
        EventTimeExtension.wrapProcessFunction(global),
        byKey,
      );
      // Partials flushed by a full buffer or a watermark reach the global phase before the watermark.
      const forward = () => {
        for (const partial of local.output()) g.processRecord(partial);
        local.clearOutput();
      };
      assertBounded(`two-phase ${strategy.kind}`, {
        record: (_, t, key) => {
          local.processRecord(insert(key, 1n, t), t);
          forward();
        },
        watermark: (w) => {
          local.processWatermark(EVENT_TIME.newWatermark(w));
          forward();
          g.processWatermark(EVENT_TIME.newWatermark(w));
        },
        drain: () => {
          const n = g.output().length;
          g.clearOutput();
          return n;
        },
        size: () => snapshotSize(local.snapshot()) + snapshotSize(g.snapshot()),
      });
    });
  }

  test("group window with early and late firing frees each window after its allowed lateness", async () => {
    const emit = { earlyFireDelayMs: 0, lateFireDelayMs: 0, allowLatenessMs: 50, generateUpdateBefore: true };
    await using h = await windowAggregate({ kind: "TUMBLE", sizeMs: 100, offsetMs: 0 }, emit);
    // Every 37th row is 80 ms behind: some fall within the allowed lateness (late firing), some not.
    const withLate = (i: number) => timeOf(i) - (i % 37 === 0 ? 80 : 0);
    assertBounded(
      "early/late TUMBLE",
      oneInput(h, (_, t, key) => insert(key, 1n, t)),
      withLate,
    );
  });
});

/** Rows [item, value, window_start, window_end] of TUMBLE 100 ms; partitioned by item and window. */
async function windowRank(spec: Partial<WindowRankSpec>) {
  const fn = new WindowRankFunction({
    orderBy: [{ index: 1, direction: "DESC", nullsFirst: false, type: LogicalTypes.int() }],
    rankType: "ROW_NUMBER",
    rankStart: 1,
    rankEnd: 2,
    outputRankNumber: true,
    windowEndIndex: 3,
    timeKind: "rowtime",
    preferLatest: false,
    ...spec,
  });
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: (row: RowData) => `${row.fields[0]}@${row.fields[3]}`,
  });
}

const windowStart = (t: number) => Math.floor(t / 100) * 100;

describe("window Top-N and deduplication state on a long input", () => {
  test("Top-2 per window keeps only open windows' candidates", async () => {
    await using h = await windowRank({});
    const row = (i: number, t: number, key: string) =>
      insert(key, (i * 31) % 97, windowStart(t), windowStart(t) + 100);
    assertBounded("window Top-N", oneInput(h, row));
  });

  test("keep-last-row deduplication keeps one row per open window", async () => {
    await using h = await windowRank({ rankEnd: 1, outputRankNumber: false, preferLatest: true });
    const row = (_: number, t: number, key: string) => insert(key, t, windowStart(t), windowStart(t) + 100);
    assertBounded("window deduplication", oneInput(h, row));
  });
});

describe("join state on a long input", () => {
  test("window join (TUMBLE 100 ms) keeps only open windows' rows", async () => {
    const fn = new WindowJoinFunction({
      joinType: "INNER",
      leftWindowEndIndex: 2,
      rightWindowEndIndex: 2,
      leftArity: 3,
      rightArity: 3,
      condition: null,
      timeKind: "rowtime",
    });
    const key = (row: RowData) => `${row.fields[0]}@${row.fields[2]}`;
    await using h = await TwoInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
      keySelectors: [key, key],
    });
    const row = (i: number, t: number, k: string) => insert(k, i, windowStart(t) + 100);
    assertBounded(
      "window join",
      twoInput(h, (i) => (i % 2 === 0 ? 1 : 2), row, row),
    );
  });

  test("interval join (l.t BETWEEN r.t - 10 AND r.t + 10) keeps only rows still able to meet", async () => {
    const fn = new IntervalJoinFunction({
      joinType: "LEFT",
      leftKey: [0],
      rightKey: [0],
      leftTimeIndex: 1,
      rightTimeIndex: 1,
      timeKind: "rowtime",
      lowerMs: -10,
      upperMs: 10,
      nonEquiCondition: null,
      leftArity: 2,
      rightArity: 2,
      stateTtlMs: 0,
    });
    const key = (row: RowData) => row.fields[0] as string;
    await using h = await TwoInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
      keySelectors: [key, key],
    });
    const row = (_: number, t: number, k: string) => insert(k, t);
    assertBounded(
      "interval join",
      twoInput(h, (i) => (i % 2 === 0 ? 1 : 2), row, row),
    );
  });

  test("event-time temporal join keeps the current version and unjoined left rows only", async () => {
    const fn = new TemporalJoinFunction({
      joinType: "INNER",
      leftTimeIndex: 2,
      rightTimeIndex: 2,
      rightArity: 3,
      remaining: null,
    });
    await using h = await TwoInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
      keySelectors: [(row: RowData) => row.fields[1] as string, (row: RowData) => row.fields[0] as string],
    });
    // Every fourth row is a new version of its key's rate (the first one an insert), the rest orders.
    const seen = new Set<string>();
    const version = (i: number, t: number, k: string) => {
      const first = !seen.has(k);
      seen.add(k);
      return first ? insert(k, i, t) : updateAfter(k, i, t);
    };
    const order = (i: number, t: number, k: string) => insert(i, k, t);
    assertBounded(
      "temporal join",
      twoInput(h, (i) => (i % 4 === 3 ? 2 : 1), order, version),
    );
  });
});

describe("OVER and MATCH_RECOGNIZE state on a long input", () => {
  for (const frame of [
    { kind: "ROWS", preceding: 5 },
    { kind: "RANGE", precedingMs: 20 },
  ] satisfies OverFrame[]) {
    test(`OVER ${frame.kind} keeps only the rows the frame can still reach`, async () => {
      const fn = new OverAggregateFunction({
        partitionKey: [0],
        timeIndex: 2,
        timeKind: "rowtime",
        frame,
        calls: CALLS,
        stateTtlMs: 0,
      });
      await using h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), byKey);
      assertBounded(
        `OVER ${frame.kind}`,
        oneInput(h, (_, t, key) => insert(key, 1n, t)),
      );
    });
  }

  test("MATCH_RECOGNIZE (A B+? C) WITHIN 50 ms drops partial matches as time passes", async () => {
    const letter = (l: string): MatchExpression => ({ navigations: [], evaluate: (r: Row) => r[1] === l });
    const nav = (navigation: NavigationSpec): MatchExpression => ({
      navigations: [navigation],
      evaluate: (r: Row) => r[4] ?? null,
    });
    const fn = new MatchRecognizeFunction({
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
      withinMs: 50,
      inputWidth: 4,
      stateTtlMs: 0,
    });
    await using h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), byKey);
    // Per key the letters cycle a b b c x a b×33 c (40 letters, 200 rows: the input's period): a
    // match every cycle, and an `a b…` run that only WITHIN ends (its b's span 165 ms > 50 ms).
    const cycle = ["a", "b", "b", "c", "x", "a", ...Array<string>(33).fill("b"), "c"];
    const row = (i: number, t: number, key: string) =>
      insert(key, cycle[Math.floor(i / KEYS.length) % cycle.length]!, t, 0n);
    assertBounded("MATCH_RECOGNIZE", oneInput(h, row));
  });
});
