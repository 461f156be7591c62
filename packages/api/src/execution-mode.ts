/**
 * Execution modes. One program runs over unbounded streams and bounded data alike (DESIGN.md §1.3);
 * the mode only says how the runtime may schedule it.
 * @module
 */

/**
 * How the runtime executes a job.
 *
 * - `STREAMING`: every operator runs from the start, records flow as they are produced, results
 *   are updated continuously. Works for bounded and unbounded sources.
 * - `BATCH`: all sources must be bounded; the runtime may run stage by stage and only emits final
 *   results. Until batch scheduling lands, a BATCH job runs like STREAMING and yields the same
 *   final results (the guarantee that makes the two interchangeable).
 * - `AUTOMATIC`: BATCH when every source is bounded, STREAMING otherwise.
 * @public
 */
export const ExecutionMode = {
  STREAMING: "STREAMING",
  BATCH: "BATCH",
  AUTOMATIC: "AUTOMATIC",
} as const;

/** @public */
export type ExecutionMode = (typeof ExecutionMode)[keyof typeof ExecutionMode];
