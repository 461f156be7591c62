/**
 * What a Kafka source does with a record its deserializer rejects (issue 8's bad-record policy,
 * Flink's `*.ignore-parse-errors` generalized):
 * - `fail` (default): the job fails with an error naming topic, partition and offset;
 * - `drop`: the record is skipped, counted in {@link kafkaSourceMetrics} and logged at most once
 *   per `logIntervalMs` (a summary line with the count and the latest error);
 * - `dead-letter`: the record and its error go to a user sink, durably (written, flushed and
 *   committed) before the source moves past it: at-least-once into the dead-letter sink, while good
 *   records stay exactly-once.
 *
 * Example: `{ kind: "dead-letter", sink: FileSink.forRows("/var/dlq", { format: "jsonl" }) }`
 * writes `{"topic":"orders","partition":0,"offset":17,…,"error":"Unexpected token"}` lines.
 * @module
 */

import type { Sink } from "@weir/api";

/** A rejected record as handed to a dead-letter sink. @public */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  /** Key and value as UTF-8 text (lossy for binary data); `null` when absent. */
  readonly key: string | null;
  readonly value: string | null;
  /** The value's bytes in base64, exact for binary data; `null` for a tombstone. */
  readonly valueBase64: string | null;
  /** The deserializer's error message. */
  readonly error: string;
}

/** @public */
export type BadRecordPolicy =
  | { readonly kind: "fail" }
  | {
      readonly kind: "drop";
      /** At most one log line per this many milliseconds (default 10000). */
      readonly logIntervalMs?: number;
      /** Where the summary lines go (default `console.warn`). */
      readonly log?: (line: string) => void;
    }
  | { readonly kind: "dead-letter"; readonly sink: Sink<DeadLetter, unknown> };

/** Counters of this thread's Kafka source readers, for monitoring and tests. @public */
export interface KafkaSourceMetrics {
  /** Malformed records skipped under the `drop` policy. */
  droppedRecords: number;
  /** Malformed records handed to a dead-letter sink. */
  deadLetters: number;
}

const metrics: KafkaSourceMetrics = { droppedRecords: 0, deadLetters: 0 };

/** This thread's counters (live object). @public */
export function kafkaSourceMetrics(): KafkaSourceMetrics {
  return metrics;
}

/** Checks a policy given by the user; throws naming what is wrong. */
export function validateBadRecordPolicy(policy: BadRecordPolicy | undefined, where: string): BadRecordPolicy {
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

/** Logs dropped records at most once per interval: a count and the latest reason. */
export class DropLog {
  readonly #intervalMs: number;
  readonly #log: (line: string) => void;
  readonly #name: string;
  #lastLogAt = Number.NEGATIVE_INFINITY;
  #since = 0;

  constructor(name: string, intervalMs: number, log: (line: string) => void) {
    this.#name = name;
    this.#intervalMs = intervalMs;
    this.#log = log;
  }

  dropped(where: string, error: string, now: number): void {
    metrics.droppedRecords++;
    this.#since++;
    if (now - this.#lastLogAt < this.#intervalMs) return;
    this.#log(`${this.#name}: dropped ${this.#since} malformed record(s); latest at ${where}: ${error}`);
    this.#lastLogAt = now;
    this.#since = 0;
  }
}

/** Counts a dead letter in the metrics. */
export function countDeadLetter(): void {
  metrics.deadLetters++;
}
