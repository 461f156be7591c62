/**
 * Physical planning and EXPLAIN text of MATCH_RECOGNIZE: the logical match becomes Flink's Match
 * behind an exchange on its partition key (one global partition when there is none, as Flink runs
 * an unpartitioned MATCH_RECOGNIZE with parallelism 1). The insert-only check of its input is in
 * `over-aggregate-planning.ts` (Flink's StreamPhysicalMatch refuses updates).
 *
 * Invariant: the physical node keeps the logical node's row (partition columns, then measures).
 *
 * Example: `Match(partitionBy=[symbol], orderBy=[rowtime ASC], measures=[LAST(B.price, 0) AS p],
 * rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP PAST LAST ROW], pattern=[(A B)],
 * define=[{B=>(price, LAST(A.price, 0))}])`.
 * @module
 */

import type { SkipStrategy } from "../exec/match/match-specs.ts";
import { formatRex } from "../plan/format-rex.ts";
import type { LogicalMatch, MatchDescription, MatchRex, PhysicalMatch } from "../plan/match-nodes.ts";
import type { PhysicalNode } from "../plan/physical-node.ts";
import type { RowField } from "../types/logical-type.ts";

export function physicalMatch(node: LogicalMatch, input: PhysicalNode): PhysicalMatch {
  const keys = node.match.partitionKey;
  return {
    kind: "Match",
    input: {
      kind: "Exchange",
      input,
      distribution: keys.length === 0 ? { kind: "single" } : { kind: "hash", keys },
      fields: input.fields,
      traits: null,
    },
    match: node.match,
    fields: node.fields,
    traits: null,
  };
}

function skipText(skip: SkipStrategy): string {
  switch (skip.kind) {
    case "past-last-row":
      return "SKIP PAST LAST ROW";
    case "to-next-row":
      return "SKIP TO NEXT ROW";
    case "to-first":
      return `SKIP TO FIRST ${skip.variable}`;
    case "to-last":
      return `SKIP TO LAST ${skip.variable}`;
  }
}

function matchRexText(expr: MatchRex, inputNames: readonly string[]): string {
  return formatRex(expr.rex, [...inputNames, ...expr.navigations.map((n) => n.display)]);
}

function parts(
  match: MatchDescription,
  input: readonly RowField[],
  fields: readonly RowField[],
): [string, string][] {
  const names = input.map((f) => f.name);
  const result: [string, string][] = [];
  if (match.partitionKey.length > 0)
    result.push(["partitionBy", match.partitionKey.map((k) => names[k]!).join(", ")]);
  result.push(["orderBy", match.orderBy.map((s) => `${names[s.index]!} ${s.direction}`).join(", ")]);
  const offset = match.partitionKey.length;
  result.push([
    "measures",
    match.measures.map((m, i) => `${matchRexText(m.expr, names)} AS ${fields[offset + i]!.name}`).join(", "),
  ]);
  result.push(
    ["rowsPerMatch", "ONE ROW PER MATCH"],
    ["after", skipText(match.skip)],
    ["pattern", match.patternText],
  );
  if (match.withinMs !== null) result.push(["within", `${match.withinMs}ms`]);
  const defines = match.definitions.flatMap((d, i) =>
    d === null ? [] : [`${match.pattern[i]!.variable}=${matchRexText(d, names)}`],
  );
  result.push(["define", `{${defines.join(", ")}}`]);
  return result;
}

function render(name: string, all: readonly (readonly [string, string])[]): string {
  return `${name}(${all.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}

export function matchText(node: PhysicalMatch, changelogMode: string | null): string {
  const all = parts(node.match, node.input.fields, node.fields);
  if (changelogMode !== null) all.push(["changelogMode", changelogMode]);
  return render("Match", all);
}

export function logicalMatchText(node: LogicalMatch): string {
  return render("LogicalMatch", parts(node.match, node.input.fields, node.fields));
}
