/**
 * GROUPING SETS, ROLLUP and CUBE, planned as Flink plans them: an Expand node emits each input row
 * once per grouping set (grouping columns outside the set NULL, plus a grouping-set id), one group
 * aggregation is keyed by the grouping columns and that id, and a projection drops the id.
 *
 * Invariant: a GROUP BY clause means the cross product of its elements' sets, as in SQL:
 * `GROUP BY a, ROLLUP(b, c)` is the sets (a, b, c), (a, b), (a); `CUBE(b, c)` is (b, c), (b), (c),
 * (); a parenthesized list `(a, b)` is one unit. The output layout is the same as a plain GROUP BY
 * over all grouping columns (grouping columns, then aggregate calls), so the SELECT list is
 * converted the same way.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { GroupingElement } from "../ast/queries.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef, literal } from "../plan/rex-factory.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";

/** The grouping sets of a GROUP BY clause as lists of expressions; null for a plain GROUP BY. */
export function groupingSetsOf(elements: readonly GroupingElement[]): Expression[][] | null {
  const plain = elements.every(
    (e) =>
      e.kind !== "grouping-sets" &&
      e.kind !== "rollup" &&
      e.kind !== "cube" &&
      e.kind !== "empty-grouping-set",
  );
  if (plain) return null;
  let sets: Expression[][] = [[]];
  for (const element of elements) {
    const options = setsOfElement(element);
    sets = sets.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
  }
  return sets;
}

/** `(a, b)` is one unit of two columns; anything else one column. */
function unit(expr: Expression): Expression[] {
  return expr.kind === "row" && !expr.keyword ? [...expr.values] : [expr];
}

function setsOfElement(element: GroupingElement): Expression[][] {
  switch (element.kind) {
    case "empty-grouping-set":
      return [[]];
    case "grouping-sets":
      return element.sets.flatMap(setsOfElement);
    case "rollup": {
      const units = element.items.map(unit);
      const sets: Expression[][] = [];
      for (let n = units.length; n >= 0; n--) sets.push(units.slice(0, n).flat());
      return sets;
    }
    case "cube": {
      const units = element.items.map(unit);
      const sets: Expression[][] = [];
      // Largest sets first, as Calcite lists them; bit i of the mask keeps unit i.
      for (let mask = (1 << units.length) - 1; mask >= 0; mask--) {
        sets.push(units.filter((_, i) => (mask & (1 << (units.length - 1 - i))) !== 0).flat());
      }
      return sets;
    }
    default:
      return [unit(element)];
  }
}

/**
 * Expand → aggregate keyed by (grouping columns, set id) → projection without the id. `pre` holds
 * the grouping columns first (`groupCount` of them), then the aggregate arguments.
 */
export function aggregateGroupingSets(
  pre: LogicalNode,
  groupCount: number,
  sets: readonly (readonly number[])[],
  calls: readonly AggregateCall[],
  callFields: readonly RowField[],
): LogicalNode {
  const inSome = (i: number): boolean => sets.every((s) => s.includes(i));
  const preFields = pre.fields;
  const groupFields: RowField[] = preFields.slice(0, groupCount).map((f, i) => ({
    name: f.name,
    type: inSome(i) ? f.type : ({ ...f.type, nullable: true } as LogicalType),
  }));
  const idType: LogicalType = { kind: "BIGINT", nullable: false };
  const projections: RexNode[][] = sets.map((set, id) => [
    ...groupFields.map((f, i) => (set.includes(i) ? inputRef(i, preFields[i]!.type) : literal(null, f.type))),
    literal(BigInt(id), idType),
    ...preFields.slice(groupCount).map((f, j) => inputRef(groupCount + j, f.type)),
  ]);
  const expandFields: RowField[] = [
    ...groupFields,
    { name: "$e", type: idType },
    ...preFields.slice(groupCount),
  ];
  const expand: LogicalNode = { kind: "expand", input: pre, projections, fields: expandFields };
  const shift = (i: number): number => (i >= groupCount ? i + 1 : i);
  const aggregate: LogicalNode = {
    kind: "aggregate",
    input: expand,
    groupKey: [...groupFields.map((_, i) => i), groupCount],
    calls: calls.map((c) => ({
      ...c,
      args: c.args.map(shift),
      filterArg: c.filterArg === null ? null : shift(c.filterArg),
    })),
    fields: [...groupFields, { name: "$e", type: idType }, ...callFields],
  };
  const fields = [...groupFields, ...callFields];
  const exprs = fields.map((f, i) => inputRef(i < groupCount ? i : i + 1, f.type));
  return { kind: "project", input: aggregate, exprs, fields };
}
