/**
 * Micro-benchmark of the SQL operators through the operator harness (one thread, manual clock, so
 * the figures measure the operators, the heap state backend and the harness, not exchanges):
 * group aggregation (COUNT(*), SUM(v) with the built-in aggregates) insert-only, with retraction and
 * with mini-batch, and a regular join. Run: `node packages/sql/src/exec/operators.bench.ts`.
 * @module
 */

import { OneInputHarness, TwoInputHarness } from "@weir/testing";
import { INSERT_ONLY, RETRACT, type RowData, RowKind } from "../data/row.ts";
import { COUNT, SUM } from "../functions/aggregate-count-sum-avg.ts";
import type { AggregateFunctionDefinition } from "../functions/function-definition.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { GroupAggregateFunction } from "./group-aggregate-function.ts";
import { JoinFunction } from "./join-function.ts";
import { keySelectorFor } from "./key-selector.ts";
import type { AggregateCallSpec } from "./operator-specs.ts";

const RECORDS = 300_000;
const GROUPS = 1_000;

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

const inserts: RowData[] = [];
const insertsAndRetractions: RowData[] = [];
for (let i = 0; i < RECORDS; i++) {
  inserts.push({ kind: RowKind.INSERT, fields: [`k${i % GROUPS}`, BigInt(i)] });
  // Every other record retracts the row before it.
  const j = i % 2 === 0 ? i : i - 1;
  insertsAndRetractions.push({
    kind: i % 2 === 0 ? RowKind.INSERT : RowKind.DELETE,
    fields: [`k${j % GROUPS}`, BigInt(j)],
  });
}

for (const [name, input, retracting, miniBatch] of [
  ["group aggregate, insert-only", inserts, false, false],
  ["group aggregate, with retraction", insertsAndRetractions, true, false],
  ["group aggregate, insert-only, mini-batch 1000", inserts, false, true],
] as const) {
  const fn = new GroupAggregateFunction({
    groupKey: [0],
    calls: [
      builtinCall(COUNT as AggregateFunctionDefinition<unknown>, []),
      builtinCall(SUM as AggregateFunctionDefinition<unknown>, [1]),
    ],
    inputMode: retracting ? RETRACT : INSERT_ONLY,
    generateUpdateBefore: true,
    miniBatch: { enabled: miniBatch, size: 1000, latencyMs: 1000 },
    twoPhase: false,
    stateTtlMs: 0,
  });
  const h = await OneInputHarness.forFunction(fn, {
    keySelector: keySelectorFor([0], [LogicalTypes.string()]),
  });
  const start = performance.now();
  for (const record of input) h.processRecord(record);
  h.endInput();
  report(name, input.length, performance.now() - start, h.output().length);
  await h.close();
}

const JOIN_KEYS = 50_000;
const JOIN_RECORDS = 200_000;
for (const joinType of ["INNER", "LEFT"] as const) {
  const fn = new JoinFunction({
    joinType,
    leftKey: [0],
    rightKey: [0],
    nullSafe: [false],
    nonEquiCondition: null,
    leftArity: 2,
    rightArity: 2,
    leftMode: INSERT_ONLY,
    rightMode: INSERT_ONLY,
    miniBatch: { enabled: false, size: 1, latencyMs: 1 },
    stateTtlMs: 0,
  });
  const key = keySelectorFor([0], [LogicalTypes.bigint()]);
  const h = await TwoInputHarness.forFunction(fn, { keySelectors: [key, key] });
  const start = performance.now();
  // The first pass of keys goes left, the next right, and so on: each right row meets a left row.
  for (let i = 0; i < JOIN_RECORDS; i++) {
    const record: RowData = { kind: RowKind.INSERT, fields: [BigInt(i % JOIN_KEYS), `v${i}`] };
    if (Math.floor(i / JOIN_KEYS) % 2 === 0) h.processRecord1(record);
    else h.processRecord2(record);
  }
  report(`${joinType} join, ${JOIN_KEYS} keys`, JOIN_RECORDS, performance.now() - start, h.output().length);
  await h.close();
}
