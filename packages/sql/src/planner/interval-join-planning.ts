/**
 * Recognizes an interval join (Flink's IntervalJoinUtil): a join whose condition bounds one side's
 * time attribute by the other's from both sides — `l.ts BETWEEN r.ts - INTERVAL … AND r.ts +
 * INTERVAL …`, or a pair of `>=` / `>` / `<=` / `<` comparisons — over time attributes of the same
 * kind. Such a join keeps rows only while they can match, and emits inserts only.
 *
 * Invariants: bounds become `lowerMs <= l.time - r.time <= upperMs` with strict comparisons made
 * inclusive by one millisecond; only conjuncts of the form `time [± interval literal]` on each side
 * count as bounds, anything else stays in the remaining condition; when either bound is missing, or
 * the times are of different kinds, it is not an interval join and the caller plans a regular join
 * (as Flink does).
 *
 * Example: `a.ts >= b.ts - INTERVAL '1' HOUR AND a.ts < b.ts` gives lower −3 600 000, upper −1.
 * @module
 */

import type { WindowTimeKind } from "../exec/window/window-specs.ts";
import type { LogicalJoin } from "../plan/logical-join.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { and, conjunctsOf } from "../plan/rex-factory.ts";
import type { LogicalType } from "../types/logical-type.ts";

/** `time + offsetMs` of one side: `index` is an index into the joined row (left then right). */
interface TimeTerm {
  readonly index: number;
  readonly offsetMs: number;
}

interface Split {
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  readonly nullSafe: readonly boolean[];
  readonly rest: RexNode | null;
}

function timeKindOf(type: LogicalType): WindowTimeKind | null {
  return type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ" ? type.timeAttribute : null;
}

function intervalMs(rex: RexNode): number | null {
  return rex.kind === "literal" && rex.type.kind === "INTERVAL_DAY_TIME" && typeof rex.value === "number"
    ? rex.value
    : null;
}

/** `ts`, `ts + INTERVAL …`, `INTERVAL … + ts`, `ts - INTERVAL …` over a time attribute; else null. */
function timeTerm(rex: RexNode, isTime: (index: number) => boolean): TimeTerm | null {
  if (rex.kind === "input-ref") return isTime(rex.index) ? { index: rex.index, offsetMs: 0 } : null;
  if (rex.kind !== "call" || rex.operands.length !== 2) return null;
  const [a, b] = rex.operands as [RexNode, RexNode];
  if (rex.name === "+" || rex.name === "-") {
    const sign = rex.name === "+" ? 1 : -1;
    const ms = intervalMs(b);
    if (ms !== null && a.kind === "input-ref" && isTime(a.index))
      return { index: a.index, offsetMs: sign * ms };
    const first = intervalMs(a);
    if (rex.name === "+" && first !== null && b.kind === "input-ref" && isTime(b.index))
      return { index: b.index, offsetMs: first };
  }
  return null;
}

const REVERSED: Readonly<Record<string, string>> = { ">=": "<=", ">": "<", "<=": ">=", "<": ">" };

/** A physical IntervalJoin for `join`, or null when its condition is no interval condition. */
export function intervalJoinOf(
  join: LogicalJoin,
  left: PhysicalNode,
  right: PhysicalNode,
  split: Split,
): PhysicalNode | null {
  const joinType = join.joinType;
  if (joinType !== "INNER" && joinType !== "LEFT" && joinType !== "RIGHT" && joinType !== "FULL") return null;
  // NULL-safe keys (`IS NOT DISTINCT FROM`) stay with the regular join, which matches NULLs.
  if (split.rest === null || split.nullSafe.some((n) => n)) return null;
  const leftWidth = left.fields.length;
  const typeAt = (index: number): LogicalType =>
    index < leftWidth ? left.fields[index]!.type : right.fields[index - leftWidth]!.type;
  const isTime = (index: number): boolean => timeKindOf(typeAt(index)) !== null;
  let lower = Number.NEGATIVE_INFINITY;
  let upper = Number.POSITIVE_INFINITY;
  let leftTime: number | null = null;
  let rightTime: number | null = null;
  const rest: RexNode[] = [];
  const conjuncts = conjunctsOf(split.rest).flatMap((c) =>
    // `x BETWEEN a AND b` is `x >= a AND x <= b`.
    c.kind === "call" && c.name === "BETWEEN" && c.operands.length === 3
      ? [
          { ...c, name: ">=", operands: [c.operands[0]!, c.operands[1]!] },
          { ...c, name: "<=", operands: [c.operands[0]!, c.operands[2]!] },
        ]
      : [c],
  );
  for (const conjunct of conjuncts) {
    const bound = conjunct.kind === "call" && REVERSED[conjunct.name] !== undefined ? conjunct : null;
    const a = bound === null ? null : timeTerm(bound.operands[0]!, isTime);
    const b = bound === null ? null : timeTerm(bound.operands[1]!, isTime);
    if (bound === null || a === null || b === null || a.index < leftWidth === b.index < leftWidth) {
      rest.push(conjunct);
      continue;
    }
    const [l, r, op] = a.index < leftWidth ? [a, b, bound.name] : [b, a, REVERSED[bound.name]!];
    if ((leftTime !== null && leftTime !== l.index) || (rightTime !== null && rightTime !== r.index)) {
      rest.push(conjunct);
      continue;
    }
    leftTime = l.index;
    rightTime = r.index;
    // l + lo OP r + ro  ⇔  l - r OP ro - lo
    const c = r.offsetMs - l.offsetMs;
    if (op === ">=") lower = Math.max(lower, c);
    else if (op === ">") lower = Math.max(lower, c + 1);
    else if (op === "<=") upper = Math.min(upper, c);
    else upper = Math.min(upper, c - 1);
  }
  if (leftTime === null || rightTime === null || !Number.isFinite(lower) || !Number.isFinite(upper))
    return null;
  const timeKind = timeKindOf(typeAt(leftTime));
  if (timeKind === null || timeKind !== timeKindOf(typeAt(rightTime))) return null;
  const exchange = (input: PhysicalNode, keys: readonly number[]): PhysicalNode => ({
    kind: "Exchange",
    input,
    distribution: keys.length === 0 ? { kind: "single" } : { kind: "hash", keys },
    fields: input.fields,
    traits: null,
  });
  return {
    kind: "IntervalJoin",
    joinType,
    left: exchange(left, split.leftKey),
    right: exchange(right, split.rightKey),
    leftKey: split.leftKey,
    rightKey: split.rightKey,
    leftTimeIndex: leftTime,
    rightTimeIndex: rightTime - leftWidth,
    timeKind,
    lowerMs: lower,
    upperMs: upper,
    nonEquiCondition: rest.length === 0 ? null : and(rest),
    condition: join.condition,
    fields: join.fields,
    traits: null,
  };
}
