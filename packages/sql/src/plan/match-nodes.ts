/**
 * The MATCH_RECOGNIZE plan nodes (Calcite's LogicalMatch, Flink's StreamPhysicalMatch) and the
 * rex form of what DEFINE conditions and MEASURES read from a match.
 *
 * Invariants: the row is the partition key columns, then one field per measure (ONE ROW PER
 * MATCH); a {@link MatchRex} is a rex over the "match row" — the input row (DEFINE: the row under
 * test; MEASURES: the match's last row) followed by one value per navigation — so the expression
 * compiler handles it as any row expression; navigation operands are rexes over one input row.
 * The physical node's input is an Exchange hashing on the partition key (single partition when
 * there is none); input and output are insert-only.
 *
 * Example, `MEASURES LAST(B.price) AS p` over `Ticker(symbol, price, rowtime)`:
 * `measures: [{ name: "p", expr: { rex: $3, navigations: [last(B, 0, $1)] } }]`.
 * @module
 */

import type { PatternElement, SkipStrategy } from "../exec/match/match-specs.ts";
import type { SortField } from "../exec/operator-specs.ts";
import type { WindowTimeKind } from "../exec/window/window-specs.ts";
import type { AggregateFunctionDefinition } from "../functions/function-definition.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

/** A value read from the match; see `NavigationSpec` in `../exec/match/match-specs.ts`. */
export type MatchNavigation =
  | {
      readonly kind: "first" | "last" | "prev";
      readonly variable: string | null;
      readonly offset: number;
      /** Over one input row. */
      readonly value: RexNode;
      /** As written, for EXPLAIN: `LAST(B.price, 1)`. */
      readonly display: string;
    }
  | {
      readonly kind: "aggregate";
      readonly variable: string | null;
      readonly definition: AggregateFunctionDefinition;
      /** Over one input row, already cast to `argTypes`. */
      readonly operands: readonly RexNode[];
      readonly argTypes: readonly LogicalType[];
      readonly type: LogicalType;
      readonly display: string;
    }
  | { readonly kind: "match-rowtime"; readonly display: string }
  | { readonly kind: "match-proctime"; readonly display: string };

export interface MatchRex {
  readonly rex: RexNode;
  readonly navigations: readonly MatchNavigation[];
}

/** Everything MATCH_RECOGNIZE says, resolved; shared by the logical and physical nodes. */
export interface MatchDescription {
  readonly partitionKey: readonly number[];
  /** ORDER BY: the time attribute first (ascending), then any further keys. */
  readonly orderBy: readonly SortField[];
  readonly timeKind: WindowTimeKind;
  readonly measures: readonly { readonly name: string; readonly expr: MatchRex }[];
  readonly pattern: readonly PatternElement[];
  /** The PATTERN clause as written, for EXPLAIN: `(A B+? C)`. */
  readonly patternText: string;
  /** Per pattern element: its DEFINE condition, or null when the variable has none (always true). */
  readonly definitions: readonly (MatchRex | null)[];
  readonly skip: SkipStrategy;
  readonly withinMs: number | null;
}

export interface LogicalMatch extends LogicalNodeBase {
  readonly kind: "match";
  readonly input: LogicalNode;
  readonly match: MatchDescription;
}

export interface PhysicalMatch {
  readonly kind: "Match";
  readonly input: PhysicalNode;
  readonly match: MatchDescription;
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
}
