/**
 * The logical aggregate: `GROUP BY` keys plus aggregate calls over input fields.
 *
 * Invariant: output row = the group key fields (in `groupKey` order) then one field per call; call
 * arguments are input field indices (the validator projects expression arguments first), so
 * `SUM(a + 1)` becomes a project computing `a + 1` below the aggregate.
 * @module
 */

import type { AggregateFunctionDefinition } from "../functions/function-definition.ts";
import type { LogicalType } from "../types/logical-type.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";

export interface AggregateCall {
  /** Canonical upper-case name, e.g. `COUNT`. */
  readonly name: string;
  readonly definition: AggregateFunctionDefinition;
  readonly args: readonly number[];
  /** Types of `args` as the function receives them. */
  readonly argTypes: readonly LogicalType[];
  readonly distinct: boolean;
  /** Input field holding the `FILTER (WHERE …)` condition, or null. */
  readonly filterArg: number | null;
  readonly type: LogicalType;
}

export interface LogicalAggregate extends LogicalNodeBase {
  readonly kind: "aggregate";
  readonly input: LogicalNode;
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCall[];
}
