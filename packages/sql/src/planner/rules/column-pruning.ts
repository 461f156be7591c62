/**
 * Column pruning (Calcite's RelFieldTrimmer, as Flink runs it): works out top-down which fields
 * each node's consumer reads, removes unread expressions from projections and unread aggregate
 * calls, and puts a projection under each join input that keeps only the fields the join and its
 * consumers read, so join state and exchanges carry no dead columns.
 *
 * Invariants: the root keeps its fields exactly (all of them are read); every rewritten node keeps
 * at least the fields asked of it, and reports where each kept field moved (`mapping`), so parents
 * rewrite their references; nodes whose layout must stay whole (set operations, sort, ranking,
 * watermark assigner, VALUES, scans) keep every field.
 * @module
 */

import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { inputRef } from "../../plan/rex-factory.ts";
import { collectInputRefs, rewriteInputRefs } from "../../plan/rex-visit.ts";

interface Pruned {
  readonly node: LogicalNode;
  /** Old field index → new field index, for every field kept. */
  readonly mapping: ReadonlyMap<number, number>;
}

const identity = (node: LogicalNode): Pruned => ({
  node,
  mapping: new Map(node.fields.map((_, i) => [i, i])),
});

const allOf = (node: LogicalNode): Set<number> => new Set(node.fields.map((_, i) => i));

function remap(rex: RexNode, mapping: ReadonlyMap<number, number>): RexNode {
  return rewriteInputRefs(rex, (i, ref) => {
    const to = mapping.get(i);
    if (to === undefined) throw new Error(`column pruning lost field ${i}`);
    return to === i ? ref : ({ ...ref, index: to } as RexNode);
  });
}

/** Keeps exactly `required` (sorted) of a pruned node, with a projection when it has more. */
function narrowTo(pruned: Pruned, required: ReadonlySet<number>): Pruned {
  const wanted = [...required].sort((a, b) => a - b);
  const positions = wanted.map((i) => pruned.mapping.get(i)!);
  if (positions.length === pruned.node.fields.length && positions.every((p, i) => p === i)) return pruned;
  const fields = positions.map((p) => pruned.node.fields[p]!);
  return {
    node: {
      kind: "project",
      input: pruned.node,
      exprs: positions.map((p, i) => inputRef(p, fields[i]!.type)),
      fields,
    },
    mapping: new Map(wanted.map((old, i) => [old, i])),
  };
}

function prune(node: LogicalNode, required: ReadonlySet<number>): Pruned {
  switch (node.kind) {
    case "project": {
      const kept = node.exprs.map((_, i) => i).filter((i) => required.has(i));
      const needed = new Set<number>();
      for (const i of kept) collectInputRefs(node.exprs[i]!, needed);
      const input = prune(node.input, needed);
      return {
        node: {
          kind: "project",
          input: input.node,
          exprs: kept.map((i) => remap(node.exprs[i]!, input.mapping)),
          fields: kept.map((i) => node.fields[i]!),
        },
        mapping: new Map(kept.map((old, i) => [old, i])),
      };
    }
    case "filter": {
      const needed = collectInputRefs(node.condition, new Set(required));
      const input = prune(node.input, needed);
      return {
        node: {
          kind: "filter",
          input: input.node,
          condition: remap(node.condition, input.mapping),
          fields: input.node.fields,
        },
        mapping: input.mapping,
      };
    }
    case "join": {
      const leftWidth = node.left.fields.length;
      const needed = collectInputRefs(node.condition, new Set(required));
      // An event-time temporal join reads its period (the left rowtime) and the versioned table's
      // rowtime even when nothing selects them; a lookup join (proctime) reads neither.
      const period = node.temporal?.period;
      const rowtimePeriod =
        period !== undefined && "timeAttribute" in period.type && period.type.timeAttribute === "rowtime";
      if (rowtimePeriod) {
        collectInputRefs(period, needed);
        node.right.fields.forEach((f, i) => {
          if ("timeAttribute" in f.type && f.type.timeAttribute === "rowtime") needed.add(leftWidth + i);
        });
      }
      const semi = node.joinType === "SEMI" || node.joinType === "ANTI";
      const leftNeeded = new Set([...needed].filter((i) => i < leftWidth));
      const rightNeeded = new Set([...needed].filter((i) => i >= leftWidth).map((i) => i - leftWidth));
      const left = narrowTo(prune(node.left, leftNeeded), leftNeeded);
      const right = narrowTo(prune(node.right, rightNeeded), rightNeeded);
      const newLeftWidth = left.node.fields.length;
      const mapping = new Map<number, number>();
      for (const [old, to] of left.mapping) mapping.set(old, to);
      for (const [old, to] of right.mapping) mapping.set(old + leftWidth, to + newLeftWidth);
      const condition = remap(node.condition, mapping);
      const fields = semi ? left.node.fields : [...left.node.fields, ...right.node.fields];
      // A pruned processing-time period keeps its old index: only its type is used from then on.
      const temporal =
        period === undefined ? {} : { temporal: { period: rowtimePeriod ? remap(period, mapping) : period } };
      return {
        node: { ...node, left: left.node, right: right.node, condition, fields, ...temporal },
        mapping: semi ? left.mapping : mapping,
      };
    }
    case "aggregate": {
      const groupCount = node.groupKey.length;
      const calls = node.calls.map((c, i) => ({ c, i })).filter(({ i }) => required.has(groupCount + i));
      const needed = new Set(node.groupKey);
      for (const { c } of calls) {
        for (const a of c.args) needed.add(a);
        if (c.filterArg !== null) needed.add(c.filterArg);
      }
      const input = prune(node.input, needed);
      const at = (i: number): number => input.mapping.get(i)!;
      const mapping = new Map<number, number>(node.groupKey.map((_, i) => [i, i]));
      for (const [j, { i }] of calls.entries()) mapping.set(groupCount + i, groupCount + j);
      return {
        node: {
          ...node,
          input: input.node,
          groupKey: node.groupKey.map(at),
          calls: calls.map(({ c }) => ({
            ...c,
            args: c.args.map(at),
            filterArg: c.filterArg === null ? null : at(c.filterArg),
          })),
          fields: [
            ...node.fields.slice(0, groupCount),
            ...calls.map(({ i }) => node.fields[groupCount + i]!),
          ],
        },
        mapping,
      };
    }
    case "union": {
      const inputs = node.inputs.map((input) => narrowTo(prune(input, required), required));
      const first = inputs[0]!;
      return {
        node: { ...node, inputs: inputs.map((i) => i.node), fields: first.node.fields },
        mapping: first.mapping,
      };
    }
    case "expand": {
      const needed = new Set<number>();
      for (const row of node.projections) for (const e of row) collectInputRefs(e, needed);
      const input = prune(node.input, needed);
      const projections = node.projections.map((row) => row.map((e) => remap(e, input.mapping)));
      return identity({ ...node, input: input.node, projections });
    }
    case "scan":
    case "values":
      return identity(node);
    case "set-operation":
      return identity({
        ...node,
        left: prune(node.left, allOf(node.left)).node,
        right: prune(node.right, allOf(node.right)).node,
      });
    default:
      // Sort, ranking and watermark nodes keep their input whole (their fields are its fields).
      return identity({ ...node, input: prune(node.input, allOf(node.input)).node } as LogicalNode);
  }
}

/** Prunes every column the plan's output does not need. */
export function pruneColumns(root: LogicalNode): LogicalNode {
  return prune(root, allOf(root)).node;
}
