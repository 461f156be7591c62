/**
 * What every translation step shares: the context it reads, the stream shapes it builds, and the
 * way an operator is named and added after its input.
 *
 * Invariant: each operator is named with its plan node's EXPLAIN line (`named`), so logs and
 * failures name the plan node.
 * @module
 */

import type {
  ExecutionEnvironment,
  GlobalStream,
  KeyedPartitionStream,
  KeyValue,
  NonKeyedPartitionStream,
  OneInputStreamProcessFunction,
} from "@weir/api";
import type { RowData } from "../data/row.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import { toChangelogMode } from "../plan/changelog-traits.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";
import type { PlannerOptions } from "../planner/planner-options.ts";

export interface TranslationContext {
  readonly env: ExecutionEnvironment;
  readonly config: ReadonlyMap<string, string>;
  readonly functionContext: FunctionContext;
  readonly options: PlannerOptions;
}

export type RowStream = NonKeyedPartitionStream<RowData> | GlobalStream<RowData>;
export type KeyedRows = KeyedPartitionStream<KeyValue, RowData>;

/** Builds the streams of a node's inputs, so a translation step can recurse without owning the plan walk. */
export interface InputTranslator {
  translate(node: PhysicalNode): RowStream;
  /** The input of a keyed operator: its Exchange turned into `keyBy` on `keys`. */
  keyed(node: PhysicalNode, keys: readonly number[]): KeyedRows;
}

export function modeOf(node: PhysicalNode) {
  return toChangelogMode(node.traits!.kinds, node.traits!.upsertKey);
}

export function named<S extends { withName(name: string): S }>(stream: S, node: PhysicalNode): S {
  return stream.withName(describePhysicalNode(node));
}

export function processOne(
  input: RowStream,
  fn: OneInputStreamProcessFunction<RowData, RowData, never>,
  node: PhysicalNode,
): RowStream {
  // Two branches because `process` is typed per stream kind; the calls are the same.
  if (input.kind === "global") return named(input.process(fn), node);
  return named(input.process(fn), node);
}
