/**
 * Changelog-mode inference over the physical plan (Flink's FlinkChangelogModeInferenceProgram):
 * bottom-up, which row kinds each node can emit and by which key its updates are keyed; top-down,
 * whether each update-producing node must emit UPDATE_BEFORE rows, which only consumers that cannot
 * work from upserts need (a retracting aggregate, a join, the collect sink of a SELECT; not a sink
 * whose primary key is the update key). Then the sink's acceptance is checked, with Flink's error.
 *
 * Invariants: a pass-through node (Calc, Exchange, WatermarkAssigner, Union, Sink) emits exactly the
 * kinds of its inputs; a node that produces updates emits UPDATE_BEFORE exactly when its consumer
 * asked for it; an insert-only stream never reaches an operator configured for updates.
 *
 * Worked example: `INSERT INTO s SELECT k, COUNT(*) FROM t GROUP BY k` where `s` has PRIMARY KEY
 * (k): the aggregate's upsert key [0] reaches the sink as its key, so the aggregate emits `[I,UA]`;
 * without the primary key the sink needs retractions and it emits `[I,UB,UA]`.
 * @module
 */

import type { Span } from "../ast/span.ts";
import {
  fromChangelogMode,
  INSERT_ONLY_KINDS,
  isInsertOnly,
  type ModifyKinds,
} from "../plan/changelog-traits.ts";
import {
  type PhysicalNode,
  type PhysicalTraits,
  physicalInputs,
  withPhysicalInputs,
} from "../plan/physical-node.ts";
import { describePhysicalNode } from "./explain-plan.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { emitProducesUpdates, windowAggregateKey } from "./window-emit-options.ts";

const ALL_KINDS: ModifyKinds = { insert: true, updateBefore: true, updateAfter: true, delete: true };
const NO_DELETE: ModifyKinds = { insert: true, updateBefore: true, updateAfter: true, delete: false };

/** Annotates every node with its traits; `needsUpdateBefore` is what the root's consumer needs. */
export function inferChangelog(root: PhysicalNode, needsUpdateBefore: boolean): PhysicalNode {
  const produced = annotate(root);
  return decide(produced, needsUpdateBefore);
}

/** Bottom-up: kinds assuming every updating node emits UPDATE_BEFORE (the most a consumer sees). */
function annotate(node: PhysicalNode): PhysicalNode {
  const inputs = physicalInputs(node).map(annotate);
  const withInputs = withPhysicalInputs(node, inputs);
  return {
    ...withInputs,
    traits: producedTraits(
      withInputs,
      inputs.map((i) => i.traits!),
    ),
  } as PhysicalNode;
}

function updating(traits: PhysicalTraits): boolean {
  return !isInsertOnly(traits.kinds);
}

function producedTraits(node: PhysicalNode, inputs: readonly PhysicalTraits[]): PhysicalTraits {
  const first = inputs[0];
  switch (node.kind) {
    case "TableSourceScan":
      return {
        kinds: fromChangelogMode(node.sourceMode),
        upsertKey: node.sourceMode.kind === "upsert" ? node.sourceMode.upsertKey : null,
      };
    case "Values":
      return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
    case "WatermarkAssigner":
    case "Exchange":
    case "Sink":
      return first!;
    case "Expand":
      return { kinds: first!.kinds, upsertKey: null };
    case "Calc": {
      if (first!.upsertKey === null || node.projection === null) return first!;
      const mapped = first!.upsertKey.map((k) =>
        node.projection!.findIndex((e) => e.kind === "input-ref" && e.index === k),
      );
      return { kinds: first!.kinds, upsertKey: mapped.some((m) => m < 0) ? null : mapped };
    }
    case "ChangelogNormalize":
      return { kinds: ALL_KINDS, upsertKey: node.key };
    case "GroupAggregate": {
      if (node.phase === "local") return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
      return { kinds: updating(first!) ? ALL_KINDS : NO_DELETE, upsertKey: node.groupKey.map((_, i) => i) };
    }
    case "Join": {
      const anyUpdating = inputs.some(updating);
      const insertOnly = !anyUpdating && (node.joinType === "INNER" || node.joinType === "SEMI");
      return { kinds: insertOnly ? INSERT_ONLY_KINDS : ALL_KINDS, upsertKey: null };
    }
    case "MultiJoin": {
      // As a chain of binary joins: inserts only when every input is and every join is INNER.
      const insertOnly = !inputs.some(updating) && node.joinTypes.every((t) => t === "INNER");
      return { kinds: insertOnly ? INSERT_ONLY_KINDS : ALL_KINDS, upsertKey: null };
    }
    case "Rank": {
      const key =
        node.rankEnd === 1 && !node.outputRankNumber
          ? node.partitionKey
          : node.outputRankNumber
            ? [...node.partitionKey, node.fields.length - 1]
            : null;
      // Without the rank number a row only enters (+I) or leaves (-D) the range.
      const kinds = node.outputRankNumber ? ALL_KINDS : { ...INSERT_ONLY_KINDS, delete: true };
      return { kinds, upsertKey: key };
    }
    case "Deduplicate": {
      const insertOnly = !node.keepLastRow && !node.rowtime && !updating(first!);
      if (insertOnly) return { kinds: INSERT_ONLY_KINDS, upsertKey: node.key };
      return { kinds: updating(first!) ? ALL_KINDS : NO_DELETE, upsertKey: node.key };
    }
    case "Union": {
      const kinds = inputs.reduce<ModifyKinds>(
        (acc, t) => ({
          insert: acc.insert || t.kinds.insert,
          updateBefore: acc.updateBefore || t.kinds.updateBefore,
          updateAfter: acc.updateAfter || t.kinds.updateAfter,
          delete: acc.delete || t.kinds.delete,
        }),
        { insert: false, updateBefore: false, updateAfter: false, delete: false },
      );
      return { kinds, upsertKey: null };
    }
    case "SetOperation":
      return { kinds: ALL_KINDS, upsertKey: node.fields.map((_, i) => i) };
    case "SortLimit":
      return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
    case "Correlate":
      // Stateless per row: each change yields the function's rows with its kind.
      return { kinds: first!.kinds, upsertKey: null };
    case "LookupJoin":
      // Each left row is joined as it comes, keeping its kind; a key may match several rows.
      return { kinds: first!.kinds, upsertKey: null };
    case "TemporalJoin":
      // Each (insert-only) left row is emitted once, when the watermark passes it.
      return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
    case "WindowRank":
    case "WindowJoin":
      // Each window's rows are emitted once, when the window closes.
      return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
    case "WindowAggregate":
    case "AssigningWindowAggregate":
      // Early / late firing (legacy group windows) updates a window's result: keyed by group + window.
      if (emitProducesUpdates(node.emit)) return { kinds: NO_DELETE, upsertKey: windowAggregateKey(node) };
      return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
    case "WindowTableFunction":
    case "OverAggregate":
    case "IntervalJoin":
    case "Match":
      // Both take only inserts (checked when planning) and emit each row or window result once.
      return { kinds: INSERT_ONLY_KINDS, upsertKey: null };
  }
}

/** True for nodes that create updates themselves (rather than passing their input's through). */
function generatesUpdates(node: PhysicalNode): boolean {
  switch (node.kind) {
    case "GroupAggregate":
      return node.phase !== "local";
    case "Join":
    case "MultiJoin":
    case "Rank":
    case "Deduplicate":
    case "SetOperation":
    case "ChangelogNormalize":
      return true;
    case "WindowAggregate":
    case "AssigningWindowAggregate":
      return emitProducesUpdates(node.emit);
    default:
      return false;
  }
}

/** Top-down: drops UPDATE_BEFORE where no consumer needs it. */
function decide(node: PhysicalNode, needsUpdateBefore: boolean): PhysicalNode {
  const consumesRetractions =
    generatesUpdates(node) ||
    node.kind === "SortLimit" ||
    (node.kind === "GroupAggregate" && node.phase === "local");
  const inputNeeds = consumesRetractions ? true : needsUpdateBefore;
  const inputs = physicalInputs(node).map((i) => decide(i, inputNeeds));
  const rebuilt = withPhysicalInputs(node, inputs);
  const traits = node.traits!;
  let kinds = traits.kinds;
  if (generatesUpdates(node)) {
    kinds = { ...kinds, updateBefore: kinds.updateAfter && needsUpdateBefore };
  } else if (
    node.kind === "TableSourceScan" ||
    node.kind === "Values" ||
    node.kind === "SortLimit" ||
    node.kind === "GroupAggregate" ||
    node.kind === "TemporalJoin"
  ) {
    // Sources emit what they declare; sort-limit and local aggregates emit inserts.
  } else {
    kinds = { ...kinds, updateBefore: inputs.some((i) => i.traits!.kinds.updateBefore) };
  }
  return { ...rebuilt, traits: { ...traits, kinds } } as PhysicalNode;
}

/**
 * The first node below `node` (through pass-through nodes) that turns inserts into updates, as
 * Flink names it in "doesn't support consuming update changes which is produced by node …".
 */
export function updateProducer(node: PhysicalNode): PhysicalNode {
  for (const input of physicalInputs(node)) {
    if (input.traits !== null && updating(input.traits)) {
      const below = updateProducer(input);
      return below;
    }
  }
  return node;
}

/** Flink's refusal of an updating query by an insert-only sink. */
export function checkSinkAccepts(
  sinkName: string,
  input: PhysicalNode,
  acceptedModes: readonly string[],
  span: Span,
): void {
  if (input.traits === null || isInsertOnly(input.traits.kinds)) return;
  if (acceptedModes.includes("retract") || acceptedModes.includes("upsert")) return;
  const producer = updateProducer(input);
  throw new SqlValidationError(
    span,
    `Table sink '${sinkName}' doesn't support consuming update changes which is produced by node ${describePhysicalNode(producer)}`,
  );
}
