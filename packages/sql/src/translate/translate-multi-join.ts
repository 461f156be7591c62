/**
 * Translation of a multi-way join. The DataStream API offers one- and two-input operators only, so
 * the N inputs are each tagged with their index (`tagRow`), unioned into one stream, keyed by the
 * common key of each row's input (`taggedKeySelector`) and read by one keyed `MultiJoinFunction`.
 * This is the single exchange the plan's per-input Exchanges on the common key describe: rows of
 * one key from every input meet in one partition, in one operator, with one state per input.
 *
 * Invariant: input `i` of the plan node is tagged `i`, the index the operator's spec uses.
 * @module
 */

import type {
  Collector,
  GlobalStream,
  NonKeyedPartitionStream,
  TwoInputNonBroadcastStreamProcessFunction,
} from "@weir/api";
import type { RowData } from "../data/row.ts";
import { MultiJoinFunction } from "../exec/multi-join/multi-join-function.ts";
import { taggedKeySelector, tagRow } from "../exec/multi-join/multi-join-spec.ts";
import { compilePredicate } from "../expressions/compile-expression.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import { toChangelogMode } from "../plan/changelog-traits.ts";
import type { PhysicalMultiJoin } from "../plan/physical-multi-join.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";

type RowStream = NonKeyedPartitionStream<RowData> | GlobalStream<RowData>;

/** Translates `node`; `translate` turns an input (below its Exchange) into its stream. */
export function translateMultiJoin(
  node: PhysicalMultiJoin,
  translate: (input: PhysicalNode) => RowStream,
  functionContext: FunctionContext,
  stateTtlMs: number,
): NonKeyedPartitionStream<RowData> {
  const sources = node.inputs.map((input) => (input.kind === "Exchange" ? input.input : input));
  const name = describePhysicalNode(node);
  let union: NonKeyedPartitionStream<RowData> | null = null;
  sources.forEach((source, i) => {
    const stream = tagged(translate(source), i, `${name} (tag input ${i})`);
    union =
      union === null
        ? stream
        : union.connectAndProcess(stream, unionFunction()).withName(`${name} (union input ${i})`);
  });
  const keyTypes = node.commonKey[0]!.map((k) => sources[0]!.fields[k]!.type);
  const fn = new MultiJoinFunction({
    arities: sources.map((s) => s.fields.length),
    joinTypes: node.joinTypes,
    conditions: node.conditions.map((c) => compilePredicate(c, functionContext)),
    inputModes: sources.map((s) => toChangelogMode(s.traits!.kinds, s.traits!.upsertKey)),
    stateTtlMs,
  });
  return union!.keyBy(taggedKeySelector(node.commonKey, keyTypes)).process(fn).withName(name);
}

function tagged(stream: RowStream, input: number, name: string): NonKeyedPartitionStream<RowData> {
  const partitioned = stream.kind === "global" ? stream.shuffle() : stream;
  return partitioned
    .process<RowData>({
      processRecord(record: RowData, output: Collector<RowData>) {
        output.collect(tagRow(input, record));
      },
    })
    .withName(name);
}

function unionFunction(): TwoInputNonBroadcastStreamProcessFunction<RowData, RowData, RowData, never> {
  return {
    processRecordFromFirstInput(record: RowData, output: Collector<RowData>) {
      output.collect(record);
    },
    processRecordFromSecondInput(record: RowData, output: Collector<RowData>) {
      output.collect(record);
    },
  };
}
