/**
 * The watermark declarations of a job, by identifier. Built once per job graph from every
 * function's and source's `declareWatermarks()`, plus the event-time extension's two built-in
 * declarations; conflicting declarations of one identifier are rejected.
 * @module
 */

import type { WatermarkDeclaration } from "@weir/api";
import { WatermarkDeclarations } from "@weir/api";
import { EVENT_TIME_WATERMARK, IDLE_STATUS_WATERMARK } from "./watermark-combination.ts";

/** Event time: MIN over channels, once all have reported; forwarded by default (Flink's definition). */
export const EVENT_TIME_DECLARATION = WatermarkDeclarations.numeric(EVENT_TIME_WATERMARK, {
  combine: "MIN",
  waitForAllChannels: true,
  defaultHandling: "FORWARD",
});

/** Idle status: a channel is idle when it says so; the combination is idle only when all are. */
export const IDLE_STATUS_DECLARATION = WatermarkDeclarations.boolean(IDLE_STATUS_WATERMARK, {
  combine: "AND",
  waitForAllChannels: false,
  defaultHandling: "FORWARD",
});

function sameDeclaration(a: WatermarkDeclaration, b: WatermarkDeclaration): boolean {
  return (
    a.kind === b.kind &&
    a.combine === b.combine &&
    a.waitForAllChannels === b.waitForAllChannels &&
    a.defaultHandling === b.defaultHandling
  );
}

/** Collects declarations; `owner` names the declaring operator in errors. */
export function buildWatermarkRegistry(
  declared: readonly { owner: string; declarations: readonly WatermarkDeclaration[] }[],
  fail: (message: string) => never,
): ReadonlyMap<string, WatermarkDeclaration> {
  const registry = new Map<string, WatermarkDeclaration>([
    [EVENT_TIME_WATERMARK, EVENT_TIME_DECLARATION],
    [IDLE_STATUS_WATERMARK, IDLE_STATUS_DECLARATION],
  ]);
  const owners = new Map<string, string>();
  for (const { owner, declarations } of declared) {
    if (!Array.isArray(declarations))
      fail(`"${owner}": declareWatermarks() must return an array of watermark declarations`);
    for (const declaration of declarations) {
      if (
        declaration === null ||
        typeof declaration !== "object" ||
        typeof declaration.identifier !== "string"
      ) {
        fail(`"${owner}": declareWatermarks() returned something that is not a watermark declaration`);
      }
      const existing = registry.get(declaration.identifier);
      if (existing !== undefined && !sameDeclaration(existing, declaration)) {
        const other = owners.get(declaration.identifier) ?? "the event-time extension";
        fail(
          `watermark "${declaration.identifier}" is declared differently by "${owner}" and ${other === "the event-time extension" ? other : `"${other}"`}`,
        );
      }
      registry.set(declaration.identifier, declaration);
      owners.set(declaration.identifier, owner);
    }
  }
  return registry;
}
