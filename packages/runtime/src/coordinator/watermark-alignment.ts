/**
 * The coordinator's side of watermark alignment: per group, the latest watermark of every member
 * subtask, and the largest watermark the group allows, `min + maxDriftMs`. A pure decision core:
 * messages in, announcements out, no I/O.
 *
 * Rules: a member that has no watermark yet (`-Infinity`) does not hold the group back (it would
 * stall every source at start-up); a finished member (`+Infinity`) does not either. With no member
 * left that counts, everything is allowed (`+Infinity`).
 * @module
 */

interface Group {
  maxDriftMs: number;
  readonly watermarks: Map<string, number>;
  announced: number | undefined;
}

export class WatermarkAlignment {
  readonly #groups = new Map<string, Group>();

  /**
   * Records `member`'s watermark; returns the group's new maximum allowed watermark when it
   * changed (to be announced to every member), otherwise undefined.
   */
  report(group: string, maxDriftMs: number, member: string, watermark: number): number | undefined {
    let state = this.#groups.get(group);
    if (state === undefined) {
      state = { maxDriftMs, watermarks: new Map(), announced: undefined };
      this.#groups.set(group, state);
    }
    // Members may declare different drifts; the group honours the strictest.
    state.maxDriftMs = Math.min(state.maxDriftMs, maxDriftMs);
    state.watermarks.set(member, watermark);
    let min = Number.POSITIVE_INFINITY;
    for (const value of state.watermarks.values()) if (Number.isFinite(value) && value < min) min = value;
    const allowed = min + state.maxDriftMs;
    if (allowed === state.announced) return undefined;
    state.announced = allowed;
    return allowed;
  }
}
