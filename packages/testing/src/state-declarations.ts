/**
 * The state declarations a harness hands its operator: a function's `usesStates()`, checked by the
 * same rules the job graph applies, so a declaration the graph builder would refuse fails in the
 * harness too, with an {@link InvalidJobError}.
 * @module
 */

import type { ProcessFunction, StateDeclaration } from "@weir/api";
import { InvalidJobError } from "@weir/runtime/testing";

/** `usesStates()`, checked by the same rules the job graph applies (FLIP-433 declare-first). */
export function declaredStates(
  fn: ProcessFunction,
  name: string,
  allowBroadcast: boolean,
): readonly StateDeclaration[] {
  const declared = fn.usesStates?.() ?? [];
  if (!Array.isArray(declared)) {
    throw new InvalidJobError(`"${name}": usesStates() must return an array of state declarations`);
  }
  const seen = new Set<string>();
  for (const declaration of declared as readonly StateDeclaration[]) {
    if (declaration === null || typeof declaration !== "object" || typeof declaration.name !== "string") {
      throw new InvalidJobError(`"${name}": usesStates() returned something that is not a state declaration`);
    }
    if (seen.has(declaration.name)) {
      throw new InvalidJobError(`"${name}": state "${declaration.name}" is declared twice`);
    }
    seen.add(declaration.name);
    if (declaration.kind === "broadcast" && !allowBroadcast) {
      throw new InvalidJobError(
        `"${name}": broadcast state "${declaration.name}" needs a function connected to a broadcast stream`,
      );
    }
  }
  return declared;
}
