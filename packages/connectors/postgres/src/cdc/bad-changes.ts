/**
 * Applies the Postgres CDC reader's bad-record policy (bad-records.ts) to the changes it cannot
 * read. `handle` is called when polling meets a bad change and says whether polling may move past
 * it: always under `drop`; under `dead-letter` only once the letter is stored — the first call
 * starts the write and returns false (polling stops at the change and `storing` is true), the
 * write wakes the reader, and the next call for the same change returns true. Under `fail` it
 * throws the error naming table, position and values.
 *
 * Invariant: at most one dead letter is being written at a time, and the reader's position never
 * passes a bad change before its letter is stored (at-least-once into the dead-letter store).
 * @module
 */

import type { SourceReaderContext } from "@weir/api";
import { describeRow } from "../values/describe-row.ts";
import {
  type DeadLetter,
  DeadLetterSink,
  type DeadLetterStore,
  DeadLetterTable,
  DropCounter,
  postgresCdcSourceMetrics,
} from "./bad-records.ts";
import type { ResolvedCdcOptions } from "./postgres-cdc-source.ts";

export class BadPostgresChanges {
  readonly #options: ResolvedCdcOptions;
  readonly #drops: DropCounter;
  readonly #store: DeadLetterStore | undefined;
  readonly #reader: {
    readonly wake: () => void;
    readonly fail: (error: unknown, during: string) => void;
  };
  #write: Promise<void> | undefined;
  /** The bad change at the head of the input was stored as a dead letter: let it pass. */
  #stored = false;

  constructor(
    options: ResolvedCdcOptions,
    ctx: SourceReaderContext,
    reader: { readonly wake: () => void; readonly fail: (error: unknown, during: string) => void },
  ) {
    this.#options = options;
    this.#reader = reader;
    const policy = options.badRecords;
    this.#drops = new DropCounter(policy.policy === "drop" ? policy.logIntervalMs : undefined);
    this.#store =
      policy.policy !== "dead-letter"
        ? undefined
        : "table" in policy
          ? new DeadLetterTable(options.connection, policy.table)
          : new DeadLetterSink(policy.sink, {
              indexOfSubtask: ctx.indexOfSubtask,
              parallelism: ctx.parallelism,
            });
  }

  /** A dead letter is being stored: polling must wait. */
  get storing(): boolean {
    return this.#write !== undefined;
  }

  /** Changes dropped under the `drop` policy so far. */
  get dropped(): number {
    return this.#drops.dropped;
  }

  /** Applies the policy; false when polling must wait (a dead letter is being stored). */
  handle(letter: DeadLetter): boolean {
    const policy = this.#options.badRecords;
    if (policy.policy === "fail")
      throw new Error(
        `Postgres CDC: cannot read a change of table "${letter.table}" at ${letter.position}: ${letter.error}; values ${describeRow(Object.values(letter.rawValues))}`,
      );
    if (policy.policy === "drop") {
      this.#drops.drop(letter, policy.log ?? this.#options.log);
      return true;
    }
    if (this.#stored) {
      this.#stored = false;
      return true;
    }
    this.#write = this.#store!.store(letter).then(
      () => {
        this.#write = undefined;
        this.#stored = true;
        postgresCdcSourceMetrics().deadLetters++;
        this.#reader.wake();
      },
      (error: unknown) => {
        this.#write = undefined;
        this.#reader.fail(error, `storing a dead letter for table "${letter.table}" at ${letter.position}`);
      },
    );
    return false;
  }

  async close(): Promise<void> {
    await this.#store?.close();
  }
}
