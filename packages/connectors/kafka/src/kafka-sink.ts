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
import {
  claimRecovery,
  isRecoveryMarker,
  type KafkaRecoveryMarker,
  orphanedTransactions,
} from "./transaction-recovery.ts";

/** What an exactly-once Kafka sink pre-commits. @public */
export type KafkaSinkCommittable = KafkaCommittable | KafkaRecoveryMarker;

class KafkaCommitter implements Committer<KafkaSinkCommittable> {
  readonly #admin: TransactionAdmin;
  readonly #prefix: string;
  readonly #log: (line: string) => void;

  constructor(admin: TransactionAdmin, prefix: string, log: (line: string) => void) {
    this.#admin = admin;
    this.#prefix = prefix;
    this.#log = log;
  }

  async commit(committables: readonly KafkaSinkCommittable[]): Promise<void> {
    const markers: KafkaRecoveryMarker[] = [];
    for (const committable of committables) {
      if (isRecoveryMarker(committable)) markers.push(committable);
      else await this.#admin.commit(committable);
    }
    // A checkpoint of this attempt completed: every restored pre-commit is committed by now.
    for (const marker of markers) {
      if (!claimRecovery(marker)) continue;
      const orphans = orphanedTransactions(this.#prefix, marker, await this.#admin.listTransactions());
      for (const id of orphans) await this.#admin.fenceAndAbort(id);
      if (orphans.length > 0)
        this.#log(
          `KafkaSink subtask ${marker.recovery.subtask}: aborted ${orphans.length} transaction(s) left open by an earlier attempt: ${orphans.join(", ")}`,
        );
    }
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}

/** @public */
export const KafkaSink = {
  /** A sink writing to Kafka; options are checked now (errors name the bad option). */
  create<T>(options: KafkaSinkOptions<T>): Sink<T, KafkaSinkCommittable> {
    const resolved = resolveKafkaSinkOptions(options);
    const sink: Sink<T, KafkaSinkCommittable> = {
      createWriter: (ctx) => new KafkaSinkWriter<T>(resolved, ctx),
    };
    if (resolved.deliveryGuarantee === "exactly-once")
      sink.createCommitter = () =>
        new KafkaCommitter(
          new TransactionAdmin(resolved, resolved.name, resolved.transactionTimeoutMs),
          resolved.transactionalIdPrefix,
          (line) => console.warn(line),
        );
    return sink;
  },
};
