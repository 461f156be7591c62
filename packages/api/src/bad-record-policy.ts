/**
 * What a source does with a record its deserializer rejects — one policy shared by every connector
 * (NATS, Kafka, Postgres, …), Flink's `*.ignore-parse-errors` generalized:
 * - `fail` (the default): the job fails with an error naming where the record was (stream/topic,
 *   partition or subject, sequence/offset) and why;
 * - `drop`: the record is skipped, counted by the connector, and logged at most once per
 *   `logIntervalMs` through {@link DroppedRecordLog} (a count and the latest reason);
 * - `dead-letter`: the record and its error go to a user sink of the connector's dead-letter
 *   type `D`, durably (written and flushed, committed if the sink commits) before the source moves
 *   past it — at-least-once into the dead-letter sink.
 *
 * Worked example (NATS): `{ kind: "dead-letter", sink: Sinks.collect<NatsDeadLetter>("dlq") }`
 * receives `{ stream: "orders", subject: "orders.eu", sequence: 17, …, error: "invalid JSON" }`.
 * Connectors validate a user's policy with {@link validateBadRecordPolicy} at construction.
 * @module
 */

import type { Sink } from "./sink.ts";

/** @public */
export type BadRecordPolicy<D> =
  | { readonly kind: "fail" }
  | {
      readonly kind: "drop";
      /** At most one log line per this many milliseconds (default 10000). */
      readonly logIntervalMs?: number;
      /** Where the summary lines go (default `console.warn`). */
      readonly log?: (line: string) => void;
    }
  | { readonly kind: "dead-letter"; readonly sink: Sink<D, unknown> };

/** Checks a user's policy (undefined means `fail`); throws naming `where` and what is wrong. @public */
export function validateBadRecordPolicy<D>(
  policy: BadRecordPolicy<D> | undefined,
  where: string,
): BadRecordPolicy<D> {
  if (policy === undefined) return { kind: "fail" };
  switch (policy.kind) {
    case "fail":
      return policy;
    case "drop":
      if (
        policy.logIntervalMs !== undefined &&
        !(Number.isFinite(policy.logIntervalMs) && policy.logIntervalMs >= 0)
      )
        throw new Error(`${where}: badRecords.logIntervalMs must be a non-negative number`);
      return policy;
    case "dead-letter":
      if (typeof policy.sink?.createWriter !== "function")
        throw new Error(`${where}: badRecords.sink must be a Sink (with createWriter)`);
      return policy;
    default:
      throw new Error(
        `${where}: unknown badRecords policy ${JSON.stringify((policy as { kind: unknown }).kind)} (fail, drop or dead-letter)`,
      );
  }
}

/**
 * Rate-limited logging of dropped records: the first drop logs at once, later ones are summed
 * into one line per interval, so a flood of bad records cannot flood the log. @public
 */
export class DroppedRecordLog {
  readonly #name: string;
  readonly #intervalMs: number;
  readonly #log: (line: string) => void;
  #lastLogAt = Number.NEGATIVE_INFINITY;
  #since = 0;

  constructor(
    name: string,
    policy: { readonly logIntervalMs?: number; readonly log?: (line: string) => void },
  ) {
    this.#name = name;
    this.#intervalMs = policy.logIntervalMs ?? 10_000;
    this.#log = policy.log ?? ((line) => console.warn(line));
  }

  /** Records one drop at `where` for `reason`, at processing time `now` (ms). */
  dropped(where: string, reason: string, now: number): void {
    this.#since++;
    if (now - this.#lastLogAt < this.#intervalMs) return;
    this.#log(`${this.#name}: dropped ${this.#since} malformed record(s); latest at ${where}: ${reason}`);
    this.#lastLogAt = now;
    this.#since = 0;
  }
}
