/**
 * The options of a Kafka sink, checked where the sink is built.
 *
 * Example (exactly-once, one transaction per checkpoint per subtask):
 * ```ts
 * KafkaSink.create({
 *   bootstrapServers: "127.0.0.1:9092",
 *   topic: "results",
 *   serializer: KafkaSerializers.json<Result>(),
 *   deliveryGuarantee: "exactly-once",
 *   transactionalIdPrefix: "results-job",
 * });
 * ```
 * @module
 */

import { bootstrapList, clientOptionsOf, type KafkaClientOptions } from "./kafka-client-options.ts";
import type { KafkaRecordSerializer } from "./kafka-record-serializer.ts";

/**
 * - `none`: records are sent and not waited for at checkpoints (may lose records on failure);
 * - `at-least-once`: every checkpoint waits until all records sent so far are acknowledged by
 *   all in-sync replicas (records may repeat after a failure);
 * - `exactly-once`: records go into one Kafka transaction per checkpoint and subtask, committed
 *   when the checkpoint completes; read them with `isolation.level=read_committed`.
 * @public
 */
export type DeliveryGuarantee = "none" | "at-least-once" | "exactly-once";

/** @public */
export interface KafkaSinkOptions<T> extends KafkaClientOptions {
  readonly serializer: KafkaRecordSerializer<T>;
  /** The topic of records whose serializer names none. */
  readonly topic?: string;
  /** Default `at-least-once`. */
  readonly deliveryGuarantee?: DeliveryGuarantee;
  /**
   * Exactly-once only, and required there: transactional ids are `<prefix>-<subtask>-<n>`. Use a
   * prefix no other job uses on the same cluster: after its first checkpoint, an attempt aborts
   * the open transactions of the prefix that earlier attempts left behind (also those of subtasks
   * a restore at a lower parallelism removed).
   */
  readonly transactionalIdPrefix?: string;
  /**
   * Exactly-once only: how long the broker keeps a transaction open before aborting it, in ms
   * (default 600000). Must exceed the checkpoint interval plus the time to complete a checkpoint
   * and recover from a failure, and stay under the broker's `transaction.max.timeout.ms`.
   */
  readonly transactionTimeoutMs?: number;
  /** Sends in flight before `write` waits (default 16). */
  readonly maxInFlightSends?: number;
  /** A name for errors (default `KafkaSink`). */
  readonly name?: string;
}

export interface ResolvedKafkaSinkOptions<T> extends KafkaClientOptions {
  readonly name: string;
  readonly serializer: KafkaRecordSerializer<T>;
  readonly topic: string | undefined;
  readonly deliveryGuarantee: DeliveryGuarantee;
  readonly transactionalIdPrefix: string;
  readonly transactionTimeoutMs: number;
  readonly maxInFlightSends: number;
}

export function resolveKafkaSinkOptions<T>(options: KafkaSinkOptions<T>): ResolvedKafkaSinkOptions<T> {
  const name = options.name ?? "KafkaSink";
  bootstrapList(options.bootstrapServers, name);
  if (typeof options.serializer?.serialize !== "function")
    throw new Error(`${name}: serializer must have a serialize(element) method`);
  const guarantee = options.deliveryGuarantee ?? "at-least-once";
  if (!["none", "at-least-once", "exactly-once"].includes(guarantee))
    throw new Error(
      `${name}: deliveryGuarantee must be "none", "at-least-once" or "exactly-once", got ${JSON.stringify(guarantee)}`,
    );
  const prefix = options.transactionalIdPrefix ?? "";
  if (guarantee === "exactly-once" && prefix === "")
    throw new Error(`${name}: exactly-once needs a transactionalIdPrefix`);
  if (options.topic !== undefined && !/^[A-Za-z0-9._-]{1,249}$/.test(options.topic))
    throw new Error(`${name}: invalid topic name ${JSON.stringify(options.topic)}`);
  const timeout = options.transactionTimeoutMs ?? 600_000;
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw new Error(`${name}: transactionTimeoutMs must be a positive integer`);
  const inFlight = options.maxInFlightSends ?? 16;
  if (!Number.isInteger(inFlight) || inFlight <= 0)
    throw new Error(`${name}: maxInFlightSends must be a positive integer`);
  return {
    ...clientOptionsOf(options),
    name,
    serializer: options.serializer,
    topic: options.topic,
    deliveryGuarantee: guarantee,
    transactionalIdPrefix: prefix,
    transactionTimeoutMs: timeout,
    maxInFlightSends: inFlight,
  };
}
