/**
 * Decorrelation of a scalar subquery that aggregates, the most common correlated form:
 * `(SELECT COUNT(*) FROM orders o WHERE o.cid = c.id)`. The correlated equalities become group
 * keys of the aggregate (`GROUP BY o.cid`), and the subquery is left-joined on them; a group that
 * does not exist means "no rows", so calls whose empty value is not NULL (COUNT → 0) are patched
 * with that value (the classic "COUNT bug" of decorrelation).
 *
 * Invariant: for every outer row the value equals the subquery evaluated for that row, provided
 * the correlated conditions are equalities between an inner expression and outer columns, which is
 * the shape this handles (others are refused with a clear error by the caller).
 *
 * Example: `aggregate(group {}, COUNT()) ← project() ← filter(=($1, $cor.$0)) ← scan(orders)`
 * becomes `project(COUNT, key) ← aggregate(group {0}, COUNT()) ← project($1) ← scan(orders)`,
 * joined on `outer.$0 = key`, with COALESCE(value, 0) in the outer query.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { FunctionCatalog, ScalarFunctionDefinition } from "../functions/function-definition.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { and, conjunctsOf, inputRef, literal } from "../plan/rex-factory.ts";
import { containsCorrelatedRef, rewriteInputRefs } from "../plan/rex-visit.ts";
import { typeCall } from "./convert-expression.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export interface DecorrelatedAggregate {
  /** Value first, then the group keys. */
  readonly right: LogicalNode;
  /** Pairs `outer expression = key index in right` (outer expressions still hold correlated refs). */
  readonly keys: readonly { readonly outer: RexNode; readonly key: number }[];
  /** Turns the joined value into the subquery's value (patching empty groups). */
  readonly wrap: (value: RexNode) => RexNode;
}

const shift = (rex: RexNode, by: number): RexNode =>
  rewriteInputRefs(rex, (i, ref) => ({ ...ref, index: i + by }) as RexNode);

/** Null when `inner` is not a correlated global aggregate (the caller tries other shapes). */
export function decorrelateAggregate(
  inner: LogicalNode,
  functions: FunctionCatalog,
  span: Span,
): DecorrelatedAggregate | null {
  const output = inner.kind === "project" ? inner : null;
  const aggregate = output === null ? inner : output.input;
  if (aggregate.kind !== "aggregate" || aggregate.groupKey.length > 0) return null;
  const pre = aggregate.input.kind === "project" ? aggregate.input : null;
  const filter = pre === null ? aggregate.input : pre.input;
  if (filter.kind !== "filter" || !containsCorrelatedRef(filter.condition)) return null;
  const refused = (): never => {
    throw new SqlValidationError(
      span,
      "This correlated subquery is not supported yet: an aggregating subquery may only be correlated by equalities in its WHERE clause",
    );
  };
  const innerKeys: RexNode[] = [];
  const outerKeys: RexNode[] = [];
  const rest: RexNode[] = [];
  for (const conjunct of conjunctsOf(filter.condition)) {
    if (!containsCorrelatedRef(conjunct)) {
      rest.push(conjunct);
      continue;
    }
    if (conjunct.kind !== "call" || conjunct.name !== "=") return refused();
    const [a, b] = conjunct.operands as [RexNode, RexNode];
    if (containsCorrelatedRef(a) && !containsCorrelatedRef(b) && onlyCorrelated(a)) {
      outerKeys.push(a);
      innerKeys.push(b);
    } else if (containsCorrelatedRef(b) && !containsCorrelatedRef(a) && onlyCorrelated(b)) {
      outerKeys.push(b);
      innerKeys.push(a);
    } else return refused();
  }
  if (output?.exprs.some(containsCorrelatedRef) === true || pre?.exprs.some(containsCorrelatedRef) === true) {
    return refused();
  }
  const below: LogicalNode = rest.length === 0 ? filter.input : { ...filter, condition: and(rest) };
  const base = below.fields;
  const preExprs = pre === null ? base.map((f, i) => inputRef(i, f.type)) : pre.exprs;
  const preFields = pre === null ? base : pre.fields;
  const k = innerKeys.length;
  const keyFields = innerKeys.map((e, i) => ({ name: `$k${i}`, type: e.type }));
  const grouped: LogicalNode = {
    kind: "aggregate",
    input: {
      kind: "project",
      input: below,
      exprs: [...innerKeys, ...preExprs],
      fields: [...keyFields, ...preFields],
    },
    groupKey: innerKeys.map((_, i) => i),
    calls: aggregate.calls.map((c) => ({
      ...c,
      args: c.args.map((a) => a + k),
      filterArg: c.filterArg === null ? null : c.filterArg + k,
    })),
    fields: [...keyFields, ...aggregate.fields],
  };
  const value = output === null ? inputRef(k, aggregate.fields[0]!.type) : shift(output.exprs[0]!, k);
  const right: LogicalNode = {
    kind: "project",
    input: grouped,
    exprs: [value, ...keyFields.map((f, i) => inputRef(i, f.type))],
    fields: [{ name: (output ?? aggregate).fields[0]!.name, type: value.type }, ...keyFields],
  };
  // A missing group is the subquery over no rows: each call then has its empty accumulator's value.
  const emptyValues = aggregate.calls.map((c) => {
    const implementation = c.definition.create(c.argTypes, c.type);
    return implementation.getValue(implementation.createAccumulator());
  });
  const direct = value.kind === "input-ref" && value.index >= k ? value.index - k : null;
  let wrap = (v: RexNode): RexNode => v;
  if (direct !== null) {
    const empty = emptyValues[direct];
    if (empty !== null && empty !== undefined) {
      const coalesce = functions.lookup("COALESCE") as ScalarFunctionDefinition;
      const type = aggregate.calls[direct]!.type;
      wrap = (v) => ({ ...typeCall(coalesce, [v, literal(empty, type)]), type });
    }
  } else if (emptyValues.some((e) => e !== null)) {
    return refused();
  }
  return { right, keys: outerKeys.map((outer, i) => ({ outer, key: 1 + i })), wrap };
}

function onlyCorrelated(rex: RexNode): boolean {
  switch (rex.kind) {
    case "correlated-ref":
    case "literal":
      return true;
    case "input-ref":
      return false;
    case "cast":
      return onlyCorrelated(rex.operand);
    case "call":
      return rex.operands.every(onlyCorrelated);
  }
}
