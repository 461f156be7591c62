/**
 * Physical planning of OVER aggregations: the logical over-aggregate becomes Flink's OverAggregate
 * behind an exchange on its partition key (a single partition when it has none), and after
 * changelog inference every operator that needs insert-only input (OVER aggregations, interval
 * joins, window Top-N, window joins) is checked to get it, with Flink's error naming the node that
 * produces the updates — at planning, so EXPLAIN and validation refuse the query too.
 *
 * Invariant: the physical node keeps the logical node's row (input fields, then one per call).
 * @module
 */

import type { Span } from "../ast/span.ts";
import { isInsertOnly, type ModifyKinds } from "../plan/changelog-traits.ts";
import type { LogicalOverAggregate } from "../plan/logical-over-nodes.ts";
import { type PhysicalNode, physicalInputs } from "../plan/physical-node.ts";
import { updateProducer } from "./changelog-inference.ts";
import { describePhysicalNode } from "./explain-plan.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export function physicalOverAggregate(node: LogicalOverAggregate, input: PhysicalNode): PhysicalNode {
  return {
    kind: "OverAggregate",
    input: {
      kind: "Exchange",
      input,
      distribution:
        node.partitionKey.length === 0 ? { kind: "single" } : { kind: "hash", keys: node.partitionKey },
      fields: input.fields,
      traits: null,
    },
    partitionKey: node.partitionKey,
    timeIndex: node.timeIndex,
    timeKind: node.timeKind,
    frame: node.frame,
    calls: node.calls,
    fields: node.fields,
    traits: null,
  };
}

/** Operators that take only inserts, by the name Flink's error gives them. */
const INSERT_ONLY_CONSUMERS: Readonly<Partial<Record<PhysicalNode["kind"], string>>> = {
  OverAggregate: "StreamPhysicalOverAggregate",
  IntervalJoin: "StreamPhysicalIntervalJoin",
  Match: "StreamPhysicalMatch",
  WindowRank: "StreamPhysicalWindowRank",
  WindowJoin: "StreamPhysicalWindowJoin",
};

/**
 * Throws Flink's error when an insert-only operator of the (changelog-annotated) plan reads
 * updates, e.g. `StreamPhysicalOverAggregate doesn't support consuming update changes which is
 * produced by node GroupAggregate(groupBy=[k], select=[k, COUNT(*) AS c])`. As Flink, the message
 * names the kinds the input adds beyond inserts: "update", "delete" or "update and delete".
 */
export function checkInsertOnlyInputs(node: PhysicalNode, span: Span): void {
  const inputs = physicalInputs(node);
  for (const input of inputs) checkInsertOnlyInputs(input, span);
  const name = INSERT_ONLY_CONSUMERS[node.kind];
  if (name === undefined) return;
  for (const input of inputs) {
    if (input.traits === null || isInsertOnly(input.traits.kinds)) continue;
    throw new SqlValidationError(
      span,
      `${name} doesn't support consuming ${changeKinds(input.traits.kinds)} changes which is produced by node ${describePhysicalNode(updateProducer(input))}`,
    );
  }
}

/** Flink's `diffString`: the non-insert kinds, in ModifyKind order, joined by " and ". */
function changeKinds(kinds: ModifyKinds): string {
  const names: string[] = [];
  if (kinds.updateAfter || kinds.updateBefore) names.push("update");
  if (kinds.delete) names.push("delete");
  return names.join(" and ");
}
