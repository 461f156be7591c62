/**
 * What every step of validation and planning reads: the session's catalog, the function catalog
 * (built-ins plus user functions), the function context (time zone) and the configuration.
 *
 * Invariant: planning reads these and nothing else (no clock, no randomness), so the same script
 * plans to the same tree in every worker.
 * @module
 */

import type { SessionCatalog } from "../catalog/session-catalog.ts";
import type { FunctionCatalog, FunctionContext } from "../functions/function-definition.ts";

export interface PlannerContext {
  readonly catalog: SessionCatalog;
  readonly functions: FunctionCatalog;
  readonly functionContext: FunctionContext;
  readonly config: ReadonlyMap<string, string>;
  /** Hands out correlation ids for subquery scopes; deterministic per statement. */
  nextCorrelationId(): number;
}
