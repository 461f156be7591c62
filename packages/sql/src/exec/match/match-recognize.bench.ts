/**
 * Micro-benchmark of MATCH_RECOGNIZE through the operator harness (one thread, manual clock: the
 * figures measure the operator, the heap state backend and the harness): the V shape
 * `PATTERN (S D+ U) DEFINE D AS D.price < LAST(D.price, 1) OR (LAST(D.price, 1) IS NULL AND
 * D.price < S.price), U AS U.price > LAST(D.price, 0)` WITHIN 1 minute, SKIP PAST LAST ROW, over
 * 1 000 keys with a saw-tooth price per key, the watermark advancing every 1 000 records.
 * Run: `node packages/sql/src/exec/match/match-recognize.bench.ts`.
 * @module
 */

import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import { MatchRecognizeFunction } from "./match-recognize-function.ts";

const RECORDS = 300_000;
const KEYS = 1_000;
const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

// Row i: key i % KEYS, price falling for 4 rows then rising (per key), time i ms.
const rows: RowData[] = [];
for (let i = 0; i < RECORDS; i++) {
  const step = Math.floor(i / KEYS) % 6;
  rows.push({ kind: RowKind.INSERT, fields: [`k${i % KEYS}`, step < 5 ? 100 - step : 200, i] });
}

const price = (row: Row) => row[1] ?? null;
const fn = new MatchRecognizeFunction({
  partitionKey: [0],
  timeIndex: 2,
  timeKind: "rowtime",
  compareRows: null,
  pattern: [
    { variable: "S", min: 1, max: 1, greedy: false },
    { variable: "D", min: 1, max: null, greedy: true },
    { variable: "U", min: 1, max: 1, greedy: false },
  ],
  conditions: [
    null,
    {
      // match row: [k, price, ts, LAST(D.price, 1), S.price]
      navigations: [
        { kind: "last", variable: "D", offset: 1, value: price },
        { kind: "last", variable: "S", offset: 0, value: price },
      ],
      evaluate: (r) =>
        r[3] === null ? (r[1] as number) < (r[4] as number) : (r[1] as number) < (r[3] as number),
    },
    {
      navigations: [{ kind: "last", variable: "D", offset: 0, value: price }],
      evaluate: (r) => (r[1] as number) > (r[3] as number),
    },
  ],
  measures: [
    {
      navigations: [{ kind: "first", variable: "S", offset: 0, value: (r) => r[2] ?? null }],
      evaluate: (r) => r[3] ?? null,
    },
    {
      navigations: [{ kind: "last", variable: "U", offset: 0, value: (r) => r[2] ?? null }],
      evaluate: (r) => r[3] ?? null,
    },
  ],
  skip: { kind: "past-last-row" },
  withinMs: 60_000,
  inputWidth: 3,
  stateTtlMs: 0,
});
const h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
  keySelector: (row: RowData) => row.fields[0] as string,
});
let outputs = 0;
const start = performance.now();
for (let i = 0; i < RECORDS; i++) {
  h.processRecord(rows[i]!, i);
  if (i % 1_000 === 999) {
    h.processWatermark(EVENT_TIME.newWatermark(i));
    outputs += h.output().length;
    h.clearOutput();
  }
}
h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
outputs += h.output().length;
const ms = performance.now() - start;
const perSecond = Math.round(RECORDS / (ms / 1000)).toLocaleString("en");
console.log(
  `MATCH_RECOGNIZE V shape, 1 000 keys: ${RECORDS} records in ${ms.toFixed(0)} ms = ${perSecond} records/s (${outputs} matches)`,
);
await h.close();
