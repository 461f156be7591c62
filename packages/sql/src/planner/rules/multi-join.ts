/**
 * The multi-way join rule (Flink's JoinToMultiJoinRule with `table.optimizer.multi-join.enabled`):
 * a regular INNER or LEFT join whose left input is a regular INNER / LEFT join (or already a
 * multi-way join) becomes one {@link PhysicalMultiJoin} with one more input, when all inputs share a
 * common join key. Applied bottom-up while physical joins are built, so a chain of N joins grows
 * one input at a time; a two-input join stays a binary Join.
 *
 * What is not merged, as in Flink: FULL, SEMI and ANTI joins, interval, temporal, lookup and window
 * joins (they are planned as their own operators before this rule sees them), and a join whose
 * right input is itself a join (only left-deep chains are flattened). A RIGHT join at the bottom
 * of a chain is turned into a LEFT join with its inputs swapped, as Flink does; a RIGHT join above
 * it would make the chain right-deep and stays binary. A chain without a common key stays binary
 * joins.
 *
 * Common key (invariant the operator relies on): every row of every output combination has the
 * same key value. Level by level, a key column survives only if level `d`'s ON condition equates a
 * field of input `d` with a field already in that column; an equality between two earlier inputs
 * is not used, because under a LEFT join it does not hold for the NULL-padded combinations.
 *
 * A projection between the joins (column pruning puts one there) is looked through: the multi-way
 * join outputs all inputs' fields and a Calc on top selects what the join above produced.
 * @module
 */

import type { MultiJoinType, PhysicalMultiJoin } from "../../plan/physical-multi-join.ts";
import type { PhysicalJoin, PhysicalNode } from "../../plan/physical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { conjunctsOf, inputRef } from "../../plan/rex-factory.ts";
import { rewriteInputRefs } from "../../plan/rex-visit.ts";
import { sameTypeIgnoringNullability } from "../../types/type-coercion.ts";

interface Chain {
  readonly inputs: readonly PhysicalNode[];
  readonly joinTypes: readonly MultiJoinType[];
  readonly conditions: readonly RexNode[];
  /** The chain's joined row: the inputs' fields in input order. */
  readonly fields: PhysicalNode["fields"];
  /** Field i of the planned join below is the chain's field `order[i]`; null when the same. */
  readonly order: readonly number[] | null;
}

/**
 * `join` (a binary regular join just planned) merged with the join chain below its left input, or
 * null when it cannot be merged.
 */
export function multiJoinOf(join: PhysicalJoin): PhysicalNode | null {
  if (!isMultiJoinType(join.joinType)) return null;
  const seen = throughProjection(withoutExchange(join.left));
  const chain = chainOf(seen.base);
  if (chain === null) return null;
  const leftWidth = join.left.fields.length;
  const chainWidth = chain.fields.length;
  // The join's left field i is the chain's field `map[i]`.
  const map = Array.from({ length: leftWidth }, (_, i) => {
    const baseIndex = seen.projection === null ? i : seen.projection[i]!;
    return chain.order === null ? baseIndex : chain.order[baseIndex]!;
  });
  const condition = rewriteInputRefs(join.condition, (index, ref) =>
    index < leftWidth ? inputRef(map[index]!, ref.type) : inputRef(chainWidth + index - leftWidth, ref.type),
  );
  const right = withoutExchange(join.right);
  const inputs = [...chain.inputs, right];
  const conditions = [...chain.conditions, condition];
  const commonKey = commonKeyOf(
    inputs.map((i) => i.fields.length),
    conditions,
  );
  if (commonKey === null) return null;
  const rightFields = join.fields.slice(leftWidth);
  const multiJoin: PhysicalMultiJoin = {
    kind: "MultiJoin",
    inputs: inputs.map((input, i) => ({
      kind: "Exchange",
      input,
      distribution: { kind: "hash", keys: commonKey[i]! },
      fields: input.fields,
      traits: null,
    })),
    joinTypes: [...chain.joinTypes, join.joinType as MultiJoinType],
    conditions,
    commonKey,
    fields: [...chain.fields, ...rightFields],
    traits: null,
  };
  if (map.length === chainWidth && map.every((m, i) => m === i)) return multiJoin;
  const projection = [
    ...map.map((i) => inputRef(i, chain.fields[i]!.type)),
    ...rightFields.map((f, j) => inputRef(chainWidth + j, f.type)),
  ];
  return { kind: "Calc", input: multiJoin, projection, condition: null, fields: join.fields, traits: null };
}

function isMultiJoinType(type: PhysicalJoin["joinType"]): type is MultiJoinType {
  return type === "INNER" || type === "LEFT";
}

function withoutExchange(node: PhysicalNode): PhysicalNode {
  return node.kind === "Exchange" ? node.input : node;
}

/** A Calc that only selects fields (no condition, no computation) is looked through. */
function throughProjection(node: PhysicalNode): { base: PhysicalNode; projection: number[] | null } {
  if (node.kind !== "Calc" || node.condition !== null || node.projection === null) {
    return { base: node, projection: null };
  }
  const projection: number[] = [];
  for (const expr of node.projection) {
    if (expr.kind !== "input-ref") return { base: node, projection: null };
    projection.push(expr.index);
  }
  return { base: node.input, projection };
}

function chainOf(node: PhysicalNode): Chain | null {
  if (node.kind === "MultiJoin") {
    return {
      inputs: node.inputs.map(withoutExchange),
      joinTypes: node.joinTypes,
      conditions: node.conditions,
      fields: node.fields,
      order: null,
    };
  }
  if (node.kind !== "Join") return null;
  const left = withoutExchange(node.left);
  const right = withoutExchange(node.right);
  if (isMultiJoinType(node.joinType)) {
    return {
      inputs: [left, right],
      joinTypes: [node.joinType],
      conditions: [node.condition],
      fields: node.fields,
      order: null,
    };
  }
  if (node.joinType !== "RIGHT") return null;
  // `l RIGHT JOIN r ON c` is `r LEFT JOIN l ON c` with the fields swapped (Flink's
  // FlinkRightJoinToLeftJoinRule): the chain starts with r.
  const leftWidth = left.fields.length;
  const rightWidth = right.fields.length;
  const order = node.fields.map((_, i) => (i < leftWidth ? rightWidth + i : i - leftWidth));
  const fields = [...node.fields.slice(leftWidth), ...node.fields.slice(0, leftWidth)];
  const condition = rewriteInputRefs(node.condition, (index, ref) => inputRef(order[index]!, ref.type));
  return { inputs: [right, left], joinTypes: ["LEFT"], conditions: [condition], fields, order };
}

/**
 * The common key's fields per input (`widths[i]` fields each; `conditions[d - 1]` over inputs
 * `0..d`), or null when no key column reaches every input. Example: widths [2, 2, 2] and conditions
 * [`$0 = $2`, `$2 = $4 AND $5 > $1`] give [[0], [0], [0]].
 */
export function commonKeyOf(widths: readonly number[], conditions: readonly RexNode[]): number[][] | null {
  const offsets: number[] = [];
  let offset = 0;
  for (const width of widths) {
    offsets.push(offset);
    offset += width;
  }
  // Each column: the global field indices it holds, one per input so far.
  let columns: number[][] = Array.from({ length: widths[0]! }, (_, i) => [i]);
  for (let d = 1; d < widths.length; d++) {
    const start = offsets[d]!;
    const end = start + widths[d]!;
    const pairs = equalities(conditions[d - 1]!);
    const next: number[][] = [];
    for (const column of columns) {
      for (const [a, b] of pairs) {
        const other =
          column.includes(a) && b >= start && b < end
            ? b
            : column.includes(b) && a >= start && a < end
              ? a
              : -1;
        if (other >= 0) {
          next.push([...column, other]);
          break;
        }
      }
    }
    if (next.length === 0) return null;
    columns = next;
  }
  return widths.map((_, i) => columns.map((column) => column[i]! - offsets[i]!));
}

/** `a = b` / `a IS NOT DISTINCT FROM b` conjuncts between two fields of one type. */
function equalities(condition: RexNode): [number, number][] {
  const pairs: [number, number][] = [];
  for (const conjunct of conjunctsOf(condition)) {
    if (conjunct.kind !== "call" || (conjunct.name !== "=" && conjunct.name !== "IS NOT DISTINCT FROM"))
      continue;
    const [a, b] = conjunct.operands;
    if (a?.kind !== "input-ref" || b?.kind !== "input-ref") continue;
    // Keys hash by their value in their type's representation: only identical types may meet.
    if (!sameTypeIgnoringNullability(a.type, b.type)) continue;
    pairs.push([a.index, b.index]);
  }
  return pairs;
}
