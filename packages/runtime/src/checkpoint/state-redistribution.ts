/**
 * How the snapshots of every subtask of an old job become the state one subtask of the new job
 * restores from, at the same or another parallelism (restoring a savepoint after rescaling).
 *
 * Invariant: keyed state (inline entries and blob handles) and timers are pooled, never split here: the restored operator keeps the
 * key groups of its own range, so every key lands on exactly one new subtask. Non-keyed state
 * follows its declared `RedistributionMode`; state whose mode cannot be rescaled fails the restore
 * with an error naming it instead of being guessed at.
 * @module
 */

import { RedistributionMode } from "@weir/api";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";

/**
 * The state subtask `subtask` of `parallelism` restores from the snapshots of every subtask of the
 * old job (in subtask order). Keyed state is pooled; the operator keeps the key groups of its own
 * range. Non-keyed state follows its redistribution mode (see `RedistributionMode` in @weir/api).
 * Operator-specific `extra` state (a source's splits, a sink's pending committables) must be a list
 * of independent items: kept per subtask at the same parallelism, dealt out round-robin otherwise.
 */
export function redistributeOperatorState(
  snapshots: readonly OperatorSnapshot[],
  parallelism: number,
  subtask: number,
  operatorName: string,
): OperatorSnapshot {
  const first = snapshots[0];
  if (first === undefined) throw new RangeError(`${operatorName}: restore needs at least one snapshot`);
  for (const s of snapshots) {
    if (s.operatorId !== first.operatorId) {
      throw new Error(
        `${operatorName}: cannot restore from snapshots of different operators ("${first.operatorId}" and "${s.operatorId}")`,
      );
    }
  }
  const keyed: Record<string, [unknown, unknown][]> = {};
  for (const s of snapshots) {
    for (const [name, entries] of Object.entries(s.keyed)) {
      const pooled = keyed[name] ?? [];
      keyed[name] = pooled;
      for (const entry of entries) pooled.push(entry);
    }
  }
  const oldParallelism = snapshots.length;
  const operator: Record<string, { readonly redistribution: string; readonly value: unknown }> = {};
  const names = new Set(snapshots.flatMap((s) => Object.keys(s.operator)));
  for (const name of names) {
    const parts = snapshots.map((s) => s.operator[name]);
    const redistribution = parts.find((p) => p !== undefined)!.redistribution;
    let value: unknown;
    if (redistribution === RedistributionMode.IDENTICAL) {
      value = parts.find((p) => p !== undefined && p.value !== undefined)?.value;
    } else if (oldParallelism === parallelism) {
      value = parts[subtask]?.value;
    } else if (redistribution === RedistributionMode.REDISTRIBUTABLE) {
      const pooled: unknown[] = [];
      for (const part of parts) {
        if (part === undefined || part.value === undefined) continue;
        if (!Array.isArray(part.value)) {
          throw new Error(`${operatorName}: redistributable state "${name}" is not a list in the snapshot`);
        }
        for (const item of part.value) pooled.push(item);
      }
      const from = Math.floor((subtask * pooled.length) / parallelism);
      const to = Math.floor(((subtask + 1) * pooled.length) / parallelism);
      value = from === to ? undefined : pooled.slice(from, to);
    } else {
      if (parts.every((p) => p === undefined || p.value === undefined)) continue;
      throw new Error(
        `${operatorName}: non-keyed state "${name}" has redistribution ${redistribution} and cannot be restored at ` +
          `parallelism ${parallelism} from ${oldParallelism} snapshot(s); declare it REDISTRIBUTABLE or IDENTICAL`,
      );
    }
    operator[name] = { redistribution, value };
  }
  const extra = redistributeExtra(snapshots, parallelism, subtask, operatorName);
  const ttlStates = [...new Set(snapshots.flatMap((s) => s.ttlStates ?? []))];
  // Timers belong to keys: pool them; the operator keeps those of its own key groups.
  const timers = snapshots.flatMap((s) => s.timers ?? []);
  const eventTimers = snapshots.flatMap((s) => s.eventTimers ?? []);
  // Keyed state in blob storage: pooled like inline keyed state (each handle says its key groups).
  const keyedHandles = snapshots.flatMap((s) => s.keyedHandles ?? []);
  // Finished (it does not run again) when its own old subtask had, or after rescaling every one.
  const finished =
    snapshots.length === parallelism
      ? snapshots[subtask]?.finished === true
      : snapshots.every((s) => s.finished === true);
  return {
    operatorId: first.operatorId,
    keyed,
    operator,
    ...(timers.length > 0 ? { timers } : {}),
    ...(eventTimers.length > 0 ? { eventTimers } : {}),
    ...(extra !== undefined ? { extra } : {}),
    ...(ttlStates.length > 0 ? { ttlStates } : {}),
    ...(keyedHandles.length > 0 ? { keyedHandles } : {}),
    ...(finished ? { finished: true } : {}),
  };
}

function redistributeExtra(
  snapshots: readonly OperatorSnapshot[],
  parallelism: number,
  subtask: number,
  operatorName: string,
): unknown[] | undefined {
  if (snapshots.every((s) => s.extra === undefined)) return undefined;
  if (snapshots.length === parallelism) return snapshots[subtask]?.extra as unknown[] | undefined;
  const pooled: unknown[] = [];
  for (const s of snapshots) {
    if (s.extra === undefined) continue;
    if (!Array.isArray(s.extra)) {
      throw new Error(
        `${operatorName}: operator state of "${s.operatorId}" is not a list and cannot be rescaled`,
      );
    }
    pooled.push(...s.extra);
  }
  return pooled.filter((_, i) => i % parallelism === subtask);
}
