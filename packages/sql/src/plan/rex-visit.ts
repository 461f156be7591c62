/**
 * Structural operations on rex trees that rules need: rewriting input references, finding which
 * inputs an expression reads, structural equality.
 *
 * Invariant: rewriting returns new nodes and never mutates its argument; nodes that do not change
 * are returned as they are, so callers may compare by identity to see whether anything changed.
 * @module
 */

import type { RexNode } from "./rex.ts";

/** Replaces every input reference with `map(ref)`; other nodes are rebuilt only when needed. */
export function rewriteInputRefs(rex: RexNode, map: (index: number, rex: RexNode) => RexNode): RexNode {
  switch (rex.kind) {
    case "input-ref":
      return map(rex.index, rex);
    case "literal":
    case "correlated-ref":
      return rex;
    case "cast": {
      const operand = rewriteInputRefs(rex.operand, map);
      return operand === rex.operand ? rex : { ...rex, operand };
    }
    case "call": {
      let changed = false;
      const operands = rex.operands.map((o) => {
        const next = rewriteInputRefs(o, map);
        if (next !== o) changed = true;
        return next;
      });
      return changed ? { ...rex, operands } : rex;
    }
  }
}

/** Adds `delta` to every input reference index. */
export function shiftInputRefs(rex: RexNode, delta: number): RexNode {
  if (delta === 0) return rex;
  return rewriteInputRefs(rex, (index, ref) => ({ ...ref, index: index + delta }) as RexNode);
}

/** Replaces references by the expressions they point to (inlining a projection). */
export function substituteInputs(rex: RexNode, exprs: readonly RexNode[]): RexNode {
  return rewriteInputRefs(rex, (index) => exprs[index]!);
}

/** Adds the input indices `rex` reads to `into`. */
export function collectInputRefs(rex: RexNode, into: Set<number>): Set<number> {
  switch (rex.kind) {
    case "input-ref":
      into.add(rex.index);
      break;
    case "cast":
      collectInputRefs(rex.operand, into);
      break;
    case "call":
      for (const o of rex.operands) collectInputRefs(o, into);
      break;
    default:
      break;
  }
  return into;
}

export function containsCorrelatedRef(rex: RexNode): boolean {
  switch (rex.kind) {
    case "correlated-ref":
      return true;
    case "cast":
      return containsCorrelatedRef(rex.operand);
    case "call":
      return rex.operands.some(containsCorrelatedRef);
    default:
      return false;
  }
}

/** Structural equality, including types (so `CAST(a AS INT)` and `a` differ). */
export function rexEquals(a: RexNode, b: RexNode): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "input-ref":
      return a.index === (b as typeof a).index;
    case "correlated-ref":
      return a.index === (b as typeof a).index && a.correlationId === (b as typeof a).correlationId;
    case "literal":
      return literalKey(a.value) === literalKey((b as typeof a).value) && a.type.kind === b.type.kind;
    case "cast": {
      const other = b as typeof a;
      return (
        a.safe === other.safe &&
        JSON.stringify(a.type) === JSON.stringify(other.type) &&
        rexEquals(a.operand, other.operand)
      );
    }
    case "call": {
      const other = b as typeof a;
      return (
        a.name === other.name &&
        a.operands.length === other.operands.length &&
        a.operands.every((o, i) => rexEquals(o, other.operands[i]!))
      );
    }
  }
}

function literalKey(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `x${Array.from(value).join(",")}`;
  if (value instanceof Map)
    return `m${JSON.stringify([...value.entries()].map(([k, v]) => [literalKey(k), literalKey(v)]))}`;
  if (Array.isArray(value)) return `a[${value.map(literalKey).join(",")}]`;
  return JSON.stringify(value) ?? "undefined";
}
