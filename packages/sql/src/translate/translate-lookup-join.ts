/**
 * Translation of a {@link PhysicalLookupJoin}: the table connector's lookup (behind the generic
 * partial cache when the table asks for one) run by {@link LookupJoinFunction} under `processAsync`,
 * in place (no exchange: each left row is looked up where it is).
 *
 * Session options, as Flink's: `table.exec.async-lookup.buffer-capacity` (lookups in flight per
 * subtask, default 100) and `table.exec.async-lookup.timeout` (default 3 min, after which the job
 * fails naming the operator). Output keeps the input order, so updates of one key stay in order.
 * @module
 */

import type { GlobalStream, NonKeyedPartitionStream } from "@weir/api";
import { parseDurationMs } from "../connectors/connector-options.ts";
import type { TableLookup } from "../connectors/table-connector.ts";
import type { RowData } from "../data/row.ts";
import { lookupCacheOptions, PartialLookupCache } from "../exec/lookup/lookup-cache.ts";
import { LookupJoinFunction } from "../exec/lookup/lookup-join-function.ts";
import {
  compileJoinPredicate,
  compilePredicate,
  compileProjection,
} from "../expressions/compile-expression.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import type { PhysicalLookupJoin } from "../plan/physical-lookup-join.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";
import { connectorOf, physicalRowType } from "../planner/source-description.ts";

type RowStream = NonKeyedPartitionStream<RowData> | GlobalStream<RowData>;

function configNumber(
  config: ReadonlyMap<string, string>,
  key: string,
  fallback: number,
  duration: boolean,
): number {
  const raw = config.get(key);
  if (raw === undefined) return fallback;
  const value = duration ? parseDurationMs(raw) : Number(raw);
  if (value === null || !Number.isInteger(value) || value <= 0) {
    throw new Error(
      `Invalid value for '${key}': '${raw}' (expected a positive ${duration ? "duration" : "integer"})`,
    );
  }
  return value;
}

export function translateLookupJoin(
  node: PhysicalLookupJoin,
  input: RowStream,
  config: ReadonlyMap<string, string>,
  functionContext: FunctionContext,
): RowStream {
  const keyIndices = node.keys.map((k) => k.column);
  let lookup: TableLookup = connectorOf(node.table).createLookup!({
    table: node.table,
    physicalType: physicalRowType(node.table),
    keyIndices,
    config,
  });
  const cache = lookupCacheOptions(node.table);
  if (cache !== null) {
    lookup = new PartialLookupCache(
      lookup,
      keyIndices.map((i) => node.tableFields[i]!.type),
      cache,
    );
  }
  const leftWidth = node.input.fields.length;
  const fn = new LookupJoinFunction({
    lookup,
    leftKeys: compileProjection(
      node.keys.map((k) => k.left),
      functionContext,
    ),
    joinType: node.joinType,
    rightArity: node.fields.length - leftWidth,
    tableCondition:
      node.tableCondition === null ? null : compilePredicate(node.tableCondition, functionContext),
    tableProjection:
      node.tableProjection === null ? null : compileProjection(node.tableProjection, functionContext),
    remaining:
      node.remaining === null ? null : compileJoinPredicate(node.remaining, leftWidth, functionContext),
  });
  const options = {
    ordered: true,
    capacity: configNumber(config, "table.exec.async-lookup.buffer-capacity", 100, false),
    timeoutMs: configNumber(config, "table.exec.async-lookup.timeout", 180_000, true),
  };
  const name = describePhysicalNode(node);
  if (input.kind === "global") return input.processAsync(fn, options).withName(name);
  return input.processAsync(fn, options).withName(name);
}
