/**
 * A global aggregation (no GROUP BY) over empty input yields one row in batch mode: `COUNT(*)` 0,
 * `SUM(x)` NULL, as the SQL standard (and Flink's batch planner) say; a streaming aggregation emits
 * nothing until a row arrives. The streaming operators are reused in batch mode, so this rule gives
 * the batch plan its row: a one-row VALUES left-joined to the aggregate, each call's field replaced
 * by the value of an empty accumulator when the aggregate produced no row.
 *
 * Invariant: exactly one output row in batch mode, equal to the aggregate's row when there is one.
 * @module
 */

import type { FunctionCatalog, ScalarFunctionDefinition } from "../../functions/function-definition.ts";
import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { inputRef, literal, TRUE_LITERAL } from "../../plan/rex-factory.ts";
import { typeCall } from "../convert-expression.ts";

export function batchGlobalAggregateRule(functions: FunctionCatalog) {
  const coalesce = functions.lookup("COALESCE") as ScalarFunctionDefinition;
  return (node: LogicalNode): LogicalNode => {
    if (node.kind !== "aggregate" || node.groupKey.length > 0 || node.calls.length === 0) return node;
    const one: LogicalNode = { kind: "values", rows: [[]], fields: [] };
    const padded = node.fields.map((f) => ({ name: f.name, type: { ...f.type, nullable: true } }));
    const join: LogicalNode = {
      kind: "join",
      joinType: "LEFT",
      left: one,
      right: node,
      condition: TRUE_LITERAL,
      fields: padded,
    };
    const exprs: RexNode[] = node.calls.map((call, i) => {
      const implementation = call.definition.create(call.argTypes, call.type);
      const empty = implementation.getValue(implementation.createAccumulator());
      const ref = inputRef(i, padded[i]!.type);
      if (empty === null) return ref;
      const filled = typeCall(coalesce, [ref, literal(empty, call.type)]);
      return { ...filled, type: call.type };
    });
    return { kind: "project", input: join, exprs, fields: node.fields };
  };
}
