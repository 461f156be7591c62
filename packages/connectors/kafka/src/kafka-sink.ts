/**
 * The Kafka sink for the DataStream API (after Flink's `KafkaSink`), with delivery guarantees
 * `none`, `at-least-once` and `exactly-once` (see {@link DeliveryGuarantee}). The exactly-once
 * Committer finishes transactions by id, producer id and epoch, so a transaction pre-committed by
 * a failed attempt is committed by the restored one (idempotently).
 *
 * ```ts
 * stream.toSink(KafkaSink.create({ bootstrapServers, topic: "out", serializer: KafkaSerializers.json(),
 *   deliveryGuarantee: "exactly-once", transactionalIdPrefix: "my-job" }));
 * ```
 * @module
 */

import type { Committer, Sink } from "@weir/api";
import { type KafkaSinkOptions, resolveKafkaSinkOptions } from "./kafka-sink-options.ts";
import { KafkaSinkWriter } from "./kafka-sink-writer.ts";
import { type KafkaCommittable, TransactionAdmin } from "./transaction-admin.ts";

class KafkaCommitter implements Committer<KafkaCommittable> {
  readonly #admin: TransactionAdmin;

  constructor(admin: TransactionAdmin) {
    this.#admin = admin;
  }

  async commit(committables: readonly KafkaCommittable[]): Promise<void> {
    for (const committable of committables) await this.#admin.commit(committable);
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}

/** @public */
export const KafkaSink = {
  /** A sink writing to Kafka; options are checked now (errors name the bad option). */
  create<T>(options: KafkaSinkOptions<T>): Sink<T, KafkaCommittable> {
    const resolved = resolveKafkaSinkOptions(options);
    const sink: Sink<T, KafkaCommittable> = {
      createWriter: (ctx) => new KafkaSinkWriter<T>(resolved, ctx),
    };
    if (resolved.deliveryGuarantee === "exactly-once")
      sink.createCommitter = () =>
        new KafkaCommitter(new TransactionAdmin(resolved, resolved.name, resolved.transactionTimeoutMs));
    return sink;
  },
};
