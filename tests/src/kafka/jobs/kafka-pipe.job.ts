/**
 * Kafka → transform → Kafka: reads JSON `{ key, seq }` records, tags them, and writes them to
 * another topic with the record key kept. An optional injected failure (a thrown error on the
 * first attempt after `failAt` records of one subtask) exercises restore of source offsets and of
 * sink transactions.
 */

import { defineJob } from "@weir/api";
import { type DeliveryGuarantee, KafkaSerializers, KafkaSink, KafkaSource } from "@weir/connector-kafka";

export interface PipeRecord {
  readonly key: number;
  readonly seq: number;
  readonly partition?: number;
  readonly offset?: number;
}

export interface KafkaPipeParams {
  readonly bootstrap: string;
  readonly input: string;
  readonly output: string;
  readonly guarantee: DeliveryGuarantee;
  readonly transactionalIdPrefix?: string;
  readonly bounded: boolean;
  /** Records one subtask passes before the first attempt fails; -1 for none. */
  readonly failAt: number;
  readonly groupId?: string;
}

export default defineJob((env, params: KafkaPipeParams) => {
  let seen = 0;
  env
    .fromSource(
      KafkaSource.create<PipeRecord>({
        bootstrapServers: params.bootstrap,
        topics: params.input,
        deserializer: {
          deserialize: (record) => {
            const value = JSON.parse(record.value!.toString()) as PipeRecord;
            return { key: value.key, seq: value.seq, partition: record.partition, offset: record.offset };
          },
        },
        ...(params.bounded ? { stoppingOffsets: "latest" as const } : {}),
        ...(params.groupId === undefined ? {} : { groupId: params.groupId }),
        isolationLevel: "read_committed",
      }),
      "Kafka input",
    )
    .withUid("kafka-input")
    .process<PipeRecord>({
      processRecord(record, out, ctx) {
        // Subtask 0 only: under region failover the other subtask's first attempt runs on.
        if (
          params.failAt >= 0 &&
          ctx.taskInfo.indexOfThisSubtask === 0 &&
          ctx.taskInfo.attemptNumber === 0 &&
          ++seen === params.failAt
        )
          throw new Error(`injected failure after ${seen} records`);
        out.collect(record);
      },
    })
    .withUid("tagger")
    .toSink(
      KafkaSink.create<PipeRecord>({
        bootstrapServers: params.bootstrap,
        topic: params.output,
        serializer: KafkaSerializers.json({ key: (r) => String(r.key) }),
        deliveryGuarantee: params.guarantee,
        ...(params.transactionalIdPrefix === undefined
          ? {}
          : { transactionalIdPrefix: params.transactionalIdPrefix }),
      }),
    );
});
