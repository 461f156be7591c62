/**
 * Join key extraction (Flink's JoinPushExpressionsRule): an equality between an expression of
 * the left input and an expression of the right input (`CAST(l.a AS BIGINT) = r.b`,
 * `UPPER(l.s) = r.s`) becomes an equality of two fields, computed by projections below the join, so
 * the join can be keyed (hashed) on it instead of running as a single-partition nested loop.
 *
 * Invariants: both extracted keys have exactly the same type (their common type), so equal SQL
 * values hash to the same partition; a projection above the join restores the original output
 * fields, so the rule never changes the join's output.
 * @module
 */

import type { LogicalJoin } from "../../plan/logical-join.ts";
import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { and, call, conjunctsOf, inputRef } from "../../plan/rex-factory.ts";
import { collectInputRefs, rewriteInputRefs } from "../../plan/rex-visit.ts";
import type { LogicalType } from "../../types/logical-type.ts";
import { commonType, sameTypeIgnoringNullability } from "../../types/type-coercion.ts";
import { castTo } from "../convert-expression.ts";

function onlyBelow(rex: RexNode, from: number, to: number): boolean {
  const refs = collectInputRefs(rex, new Set());
  return refs.size > 0 && [...refs].every((r) => r >= from && r < to);
}

export function joinKeyExtractionRule(node: LogicalNode): LogicalNode {
  // A temporal join's right keys must stay plain columns of the table (they are looked up).
  if (node.kind !== "join" || node.temporal !== undefined) return node;
  const join: LogicalJoin = node;
  const leftWidth = join.left.fields.length;
  const rightWidth = join.right.fields.length;
  const total = leftWidth + rightWidth;
  const leftExtra: RexNode[] = [];
  const rightExtra: RexNode[] = [];
  // A key that is already a field is used in place; anything else is appended to its side.
  const keyField = (rex: RexNode, extra: RexNode[], width: number): number => {
    if (rex.kind === "input-ref") return rex.index;
    extra.push(rex);
    return width + extra.length - 1;
  };
  const pairs: { left: number; right: number; name: string; type: LogicalType }[] = [];
  const rest: RexNode[] = [];
  for (const conjunct of conjunctsOf(join.condition)) {
    if (conjunct.kind === "call" && (conjunct.name === "=" || conjunct.name === "IS NOT DISTINCT FROM")) {
      let [a, b] = conjunct.operands as [RexNode, RexNode];
      if (onlyBelow(a, leftWidth, total) && onlyBelow(b, 0, leftWidth)) [a, b] = [b, a];
      if (onlyBelow(a, 0, leftWidth) && onlyBelow(b, leftWidth, total)) {
        const plain =
          a.kind === "input-ref" && b.kind === "input-ref" && sameTypeIgnoringNullability(a.type, b.type);
        const common = commonType([a.type, b.type]);
        if (!plain && common !== null) {
          const leftKey = castTo(a, { ...common, nullable: a.type.nullable } as LogicalType);
          const rightKey = rewriteInputRefs(
            castTo(b, { ...common, nullable: b.type.nullable } as LogicalType),
            (i, ref) => ({ ...ref, index: i - leftWidth }) as RexNode,
          );
          pairs.push({
            left: keyField(leftKey, leftExtra, leftWidth),
            right: keyField(rightKey, rightExtra, rightWidth),
            name: conjunct.name,
            type: conjunct.type,
          });
          continue;
        }
      }
    }
    rest.push(conjunct);
  }
  if (pairs.length === 0 || (leftExtra.length === 0 && rightExtra.length === 0)) return node;
  const extend = (input: LogicalNode, extra: readonly RexNode[]): LogicalNode =>
    extra.length === 0
      ? input
      : {
          kind: "project",
          input,
          exprs: [...input.fields.map((f, i) => inputRef(i, f.type)), ...extra],
          fields: [
            ...input.fields,
            ...extra.map((e, i) => ({ name: `$f${input.fields.length + i}`, type: e.type })),
          ],
        };
  const left = extend(join.left, leftExtra);
  const right = extend(join.right, rightExtra);
  const newLeftWidth = left.fields.length;
  // Original right fields move right by the number of extra left fields.
  const shift = (rex: RexNode): RexNode =>
    rewriteInputRefs(rex, (i, ref) =>
      i >= leftWidth ? ({ ...ref, index: i + leftExtra.length } as RexNode) : ref,
    );
  const condition = and([
    ...pairs.map((p) =>
      call(
        p.name,
        [
          inputRef(p.left, left.fields[p.left]!.type),
          inputRef(newLeftWidth + p.right, right.fields[p.right]!.type),
        ],
        p.type,
      ),
    ),
    ...rest.map(shift),
  ]);
  const semi = join.joinType === "SEMI" || join.joinType === "ANTI";
  const joined: LogicalNode = {
    ...join,
    left,
    right,
    condition,
    fields: semi
      ? left.fields
      : [
          ...left.fields.map((f, i) => (i < leftWidth ? join.fields[i]! : f)),
          ...right.fields.map((f, i) => (i < rightWidth ? join.fields[leftWidth + i]! : f)),
        ],
  };
  const keep = semi
    ? join.fields.map((f, i) => inputRef(i, f.type))
    : join.fields.map((f, i) => inputRef(i < leftWidth ? i : i + leftExtra.length, f.type));
  return { kind: "project", input: joined, exprs: keep, fields: join.fields };
}
