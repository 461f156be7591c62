/**
 * The physical multi-way join (Flink's StreamPhysicalMultiJoin, `table.optimizer.multi-join.enabled`):
 * a left-deep chain of 3+ regular INNER / LEFT joins whose equi-conditions share a common key, run
 * as ONE operator that keeps each input's rows once, keyed by that key, and no intermediate join
 * result.
 *
 * Invariants: `inputs[i]` is an Exchange hashing on `commonKey[i]` (every input has the same number
 * of key fields, of the same types, so equal keys meet in one partition); `joinTypes[d - 1]` and
 * `conditions[d - 1]` join input `d` to the inputs before it, the condition referring to the
 * concatenated row of inputs `0..d` (so its equalities to the common key hold for every row of a
 * partition, and the rest is checked per combination); output rows are the inputs' fields in input
 * order, the inputs after a LEFT join nullable.
 *
 * Example, `a JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k AND c.z > a.x`:
 * ```text
 * MultiJoin(commonJoinKey=[k], joinTypes=[INNER, LEFT], inputUniqueKeys=[noUniqueKey, noUniqueKey, noUniqueKey],
 *   joinConditions=[=(k, k0), AND(=(k0, k1), >(z, x))], select=[k,x,k0,y,k1,z])
 * :- Exchange(distribution=[hash[k]])   (a)
 * :- Exchange(distribution=[hash[k]])   (b)
 * +- Exchange(distribution=[hash[k]])   (c)
 * ```
 * @module
 */

import type { RowField } from "../types/logical-type.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

/** The join types a multi-way join combines (Flink's rule takes INNER and LEFT joins only). */
export type MultiJoinType = "INNER" | "LEFT";

export interface PhysicalMultiJoin {
  readonly kind: "MultiJoin";
  readonly inputs: readonly PhysicalNode[];
  /** `joinTypes[d - 1]` joins input `d`; one fewer than `inputs`. */
  readonly joinTypes: readonly MultiJoinType[];
  /** `conditions[d - 1]`: the whole ON condition of input `d`, over inputs `0..d` concatenated. */
  readonly conditions: readonly RexNode[];
  /** `commonKey[i]`: the fields of input `i` that form the common join key, in the same order. */
  readonly commonKey: readonly (readonly number[])[];
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
}
