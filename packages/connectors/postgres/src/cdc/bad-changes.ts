/**
 * Applies the Postgres CDC reader's bad-record policy (bad-records.ts) to the changes it cannot
 * read. `handle` is called when polling meets a bad change and says whether polling may move past
 * it: always under `drop`; under `dead-letter` once its letter is stored ({@link DeadLetterGate}).
 * Under `fail` it throws the error naming table, position and values.
 * @module
 */

import type { SourceReaderContext } from "@weir/api";
import { describeRow } from "../values/describe-row.ts";
import {
  type DeadLetter,
  DeadLetterSink,
  DeadLetterTable,
  DropCounter,
  postgresCdcSourceMetrics,
} from "./bad-records.ts";
import { DeadLetterGate, type DeadLetterReader } from "./dead-letter-gate.ts";
import type { ResolvedCdcOptions } from "./postgres-cdc-source.ts";

export class BadPostgresChanges {
  readonly #options: ResolvedCdcOptions;
  readonly #drops: DropCounter;
  readonly #deadLetters: DeadLetterGate | undefined;

  constructor(options: ResolvedCdcOptions, ctx: SourceReaderContext, reader: DeadLetterReader) {
    this.#options = options;
    const policy = options.badRecords;
    this.#drops = new DropCounter(policy.policy === "drop" ? policy.logIntervalMs : undefined);
    this.#deadLetters =
      policy.policy !== "dead-letter"
        ? undefined
        : new DeadLetterGate(
            "table" in policy
              ? new DeadLetterTable(options.connection, policy.table)
              : new DeadLetterSink(policy.sink, {
                  indexOfSubtask: ctx.indexOfSubtask,
                  parallelism: ctx.parallelism,
                }),
            reader,
            () => postgresCdcSourceMetrics().deadLetters++,
          );
  }

  /** A dead letter is being stored: polling must wait. */
  get storing(): boolean {
    return this.#deadLetters?.storing ?? false;
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
    return this.#deadLetters!.pass(letter);
  }

  async close(): Promise<void> {
    await this.#deadLetters?.close();
  }
}
