/**
 * Printing calls written with a SQL/JSON function's own syntax (see `JsonCallClauses`).
 *
 * Invariant: the output parses back to the same call: JSON_OBJECT / JSON_OBJECTAGG entries are
 * always written `KEY k VALUE v` (so a key can never be read as the column `key`), and the
 * optional words are always written in one canonical form (`WITH UNCONDITIONAL ARRAY WRAPPER`).
 * @module
 */

import type { CallExpression, JsonBehavior, JsonCallClauses } from "../ast/expressions.ts";
import { printExpression, printOrderItem } from "./expressions.ts";
import { printDataType } from "./types.ts";

/** What goes between the parentheses of a JSON call. */
export function printJsonArguments(call: CallExpression, json: JsonCallClauses): string {
  const upper = call.name.parts[0]!.value.toUpperCase();
  const args = call.args.map((arg) => printExpression(arg as Parameters<typeof printExpression>[0]));
  const parts: string[] = [];
  if (upper === "JSON_OBJECT" || upper === "JSON_OBJECTAGG") {
    const entries: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) entries.push(`KEY ${args[i]} VALUE ${args[i + 1]}`);
    if (entries.length > 0) parts.push(entries.join(", "));
  } else if (args.length > 0) {
    parts.push(args.join(", "));
  }
  if (json.orderBy.length > 0) parts.push(`ORDER BY ${json.orderBy.map(printOrderItem).join(", ")}`);
  if (json.returning !== null) parts.push(`RETURNING ${printDataType(json.returning)}`);
  if (json.wrapper !== null) parts.push(`${json.wrapper} ARRAY WRAPPER`);
  if (json.onEmpty !== null) parts.push(`${printBehavior(json.onEmpty)} ON EMPTY`);
  if (json.onError !== null) parts.push(`${printBehavior(json.onError)} ON ERROR`);
  if (json.onNull !== null) parts.push(`${json.onNull} ON NULL`);
  return parts.join(" ");
}

function printBehavior(behavior: JsonBehavior): string {
  return behavior.value === null ? behavior.behavior : `DEFAULT ${printExpression(behavior.value)}`;
}
