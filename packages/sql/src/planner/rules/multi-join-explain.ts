/**
 * EXPLAIN text of a multi-way join, in the shape Flink prints StreamPhysicalMultiJoin:
 * `MultiJoin(commonJoinKey=[k], joinTypes=[INNER, LEFT], inputUniqueKeys=[noUniqueKey, (id), …],
 * joinConditions=[=(k, k0), AND(=(k0, k1), >(z, x))], select=[k,x,k0,y,k1,z])`.
 *
 * Invariant: names are the joined row's field names made unique as Calcite does (`k`, `k0`, `k1`),
 * so every condition reads unambiguously; a condition of input `d` is printed over the names of
 * inputs `0..d`, which are the first names of the joined row. Unlike Flink, no `rowType=[…]`.
 * @module
 */

import { formatRex } from "../../plan/format-rex.ts";
import type { PhysicalMultiJoin } from "../../plan/physical-multi-join.ts";

export function multiJoinText(node: PhysicalMultiJoin, changelogMode: string | null): string {
  const names = uniqueNames(node.fields.map((f) => f.name));
  let offset = 0;
  const uniqueKeys = node.inputs.map((input) => {
    const key = input.traits?.upsertKey ?? null;
    const own = names.slice(offset, offset + input.fields.length);
    offset += input.fields.length;
    return key === null || key.length === 0 ? "noUniqueKey" : `(${key.map((k) => own[k]).join(", ")})`;
  });
  const parts: [string, string][] = [
    ["commonJoinKey", node.commonKey[0]!.map((k) => names[k]).join(", ")],
    ["joinTypes", node.joinTypes.join(", ")],
    ["inputUniqueKeys", uniqueKeys.join(", ")],
    ["joinConditions", node.conditions.map((c) => formatRex(c, names)).join(", ")],
    ["select", names.join(",")],
  ];
  if (changelogMode !== null) parts.push(["changelogMode", changelogMode]);
  return `MultiJoin(${parts.map(([k, v]) => `${k}=[${v}]`).join(", ")})`;
}

/** Calcite's uniquify: a repeated name gets the first free suffix 0, 1, … (`k`, `k0`, `k1`). */
function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let i = 0; taken.has(unique); i++) unique = `${name}${i}`;
    taken.add(unique);
    return unique;
  });
}
