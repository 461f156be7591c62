/**
 * Micro-benchmark of the OVER aggregation and the interval join through the operator harness (one
 * thread, manual clock: the figures measure the operators, the heap state backend and the harness):
 * `SUM(v), COUNT(*) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)`
 * and an inner interval join `l.ts BETWEEN r.ts - 5 AND r.ts + 5` on 1 000 keys, the watermark
 * advancing every 1 000 records. Run: `node packages/sql/src/exec/over/over-interval.bench.ts`.
 * @module
 */

import { EventTimeExtension } from "@weir/api";
import { OneInputHarness, TwoInputHarness } from "@weir/testing";
import { type RowData, RowKind } from "../../data/row.ts";
import { COUNT, SUM } from "../../functions/aggregate-count-sum-avg.ts";
import type { AggregateFunctionDefinition } from "../../functions/function-definition.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import { IntervalJoinFunction } from "../interval-join/interval-join-function.ts";
import type { AggregateCallSpec } from "../operator-specs.ts";
import { OverAggregateFunction } from "./over-aggregate-function.ts";

const RECORDS = 300_000;
const KEYS = 1_000;
const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

function builtinCall(definition: AggregateFunctionDefinition<unknown>, args: number[]): AggregateCallSpec {
  const types = args.map(() => LogicalTypes.bigint());
  const { result } = definition.inferType(types);
  return {
    display: definition.name,
    implementation: definition.create(types, result),
    args,
    distinct: false,
    filterArg: null,
    resultType: result,
  };
}

function report(name: string, records: number, ms: number, outputs: number): void {
  const perSecond = Math.round(records / (ms / 1000)).toLocaleString("en");
  console.log(
    `${name}: ${records} records in ${ms.toFixed(0)} ms = ${perSecond} records/s (${outputs} output records)`,
  );
}

// Row i: key i % KEYS, value i, time i ms (in order, so nothing is late).
const rows: RowData[] = [];
for (let i = 0; i < RECORDS; i++) rows.push({ kind: RowKind.INSERT, fields: [`k${i % KEYS}`, BigInt(i), i] });
const key = (row: RowData) => row.fields[0] as string;

{
  const fn = new OverAggregateFunction({
    partitionKey: [0],
    timeIndex: 2,
    timeKind: "rowtime",
    frame: { kind: "ROWS", preceding: 10 },
    calls: [
      builtinCall(SUM as AggregateFunctionDefinition<unknown>, [1]),
      builtinCall(COUNT as AggregateFunctionDefinition<unknown>, []),
    ],
    stateTtlMs: 0,
  });
  const h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: key,
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
  report("OVER ROWS 10 PRECEDING, SUM + COUNT", RECORDS, performance.now() - start, outputs);
  await h.close();
}

{
  const fn = new IntervalJoinFunction({
    joinType: "INNER",
    leftKey: [0],
    rightKey: [0],
    leftTimeIndex: 2,
    rightTimeIndex: 2,
    timeKind: "rowtime",
    lowerMs: -5_000,
    upperMs: 5_000,
    nonEquiCondition: null,
    leftArity: 3,
    rightArity: 3,
    stateTtlMs: 0,
  });
  const h = await TwoInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelectors: [key, key],
  });
  // Both sides of pair i/2 share key (i/2) % KEYS: each key sees a row a side every 2 s.
  const pairs: RowData[] = [];
  for (let i = 0; i < RECORDS; i += 2) {
    const fields = [`k${(i / 2) % KEYS}`, BigInt(i), i];
    pairs.push({ kind: RowKind.INSERT, fields }, { kind: RowKind.INSERT, fields: [...fields] });
  }
  let outputs = 0;
  const start = performance.now();
  for (let i = 0; i < RECORDS; i += 2) {
    h.processRecord1(pairs[i]!, i);
    h.processRecord2(pairs[i + 1]!, i);
    if (i % 1_000 === 998) {
      h.processWatermark(0, EVENT_TIME.newWatermark(i));
      h.processWatermark(1, EVENT_TIME.newWatermark(i));
      outputs += h.output().length;
      h.clearOutput();
    }
  }
  report(
    "interval join ±5 s, 1 000 keys (records of both sides)",
    RECORDS,
    performance.now() - start,
    outputs + h.output().length,
  );
  await h.close();
}
