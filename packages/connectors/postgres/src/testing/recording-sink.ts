/**
 * Test support for the CDC sources' shared dead-letter form (`{ kind: 'dead-letter', sink }`): an
 * in-memory exactly-once sink that records what its writer was given and what its committer
 * committed, so a test can tell a letter written from a letter made durable.
 *
 * Invariant: a commit records its batches only after `gate` resolves, so a test can hold a commit
 * back and check that the source does not move past the letter meanwhile.
 * @module
 */

import type { Sink } from "@weir/api";

/** A sink whose writes go to `written` and, once `gate` resolves, whose commits go to `committed`. */
export function recordingSink<T>(
  written: T[],
  committed: T[],
  gate: Promise<void> = Promise.resolve(),
): Sink<T, T[]> {
  return {
    createWriter() {
      let pending: T[] = [];
      return {
        write(records) {
          pending.push(...records);
          written.push(...records);
        },
        flush() {},
        prepareCommit() {
          const out = [pending];
          pending = [];
          return out;
        },
        close() {},
      };
    },
    createCommitter: () => ({
      async commit(batches) {
        await gate;
        for (const batch of batches) committed.push(...batch);
      },
    }),
  };
}
