/**
 * Parameters every benchmark job takes. Jobs are rebuilt in every worker thread from these alone,
 * so the graph is a pure function of them.
 * @module
 */

export interface BenchJobParams {
  /** Records the source produces, across all subtasks. */
  readonly events: number;
  /**
   * Verifying variant: instead of discarding its output, the job sends what reached the sink (or a
   * count of it) to a collect sink, so the caller can check nothing was lost or duplicated.
   */
  readonly verify?: boolean;
}

/** Validates params in the job builder, so a bad call fails with a clear message in every thread. */
export function eventsOf(params: BenchJobParams | undefined): number {
  const events = params?.events;
  if (typeof events !== "number" || !Number.isInteger(events) || events < 0) {
    throw new TypeError(`benchmark job params.events must be a non-negative integer, got ${String(events)}`);
  }
  return events;
}
