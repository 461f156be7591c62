/**
 * The Kafka source for the DataStream API (after Flink's `KafkaSource`): split-based, one split
 * per topic-partition, offsets in checkpoints, partitions assigned by Weir rather than by a
 * consumer group. See {@link KafkaSourceOptions} for the options and an example.
 *
 * ```ts
 * env.fromSource(
 *   KafkaSource.create({ bootstrapServers, topics: "orders", deserializer: KafkaDeserializers.json<Order>() }),
 *   "Orders",
 * );
 * ```
 * @module
 */

import { Boundedness, EventTimeExtension, type Source } from "@weir/api";
import type { KafkaPartitionSplit } from "./kafka-partition-split.ts";
import { type KafkaEnumeratorState, KafkaSourceEnumerator } from "./kafka-source-enumerator.ts";
import {
  type KafkaSourceOptions,
  type ResolvedKafkaSourceOptions,
  resolveKafkaSourceOptions,
} from "./kafka-source-options.ts";
import { KafkaSourceReader } from "./kafka-source-reader.ts";

/** @public */
export const KafkaSource = {
  /** A source reading `options.topics`; the options are checked now (errors name the bad option). */
  create<T>(options: KafkaSourceOptions<T>): Source<T, KafkaPartitionSplit, KafkaEnumeratorState> {
    const resolved = resolveKafkaSourceOptions(options);
    const general = resolved as ResolvedKafkaSourceOptions<unknown>;
    return {
      boundedness: resolved.bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED,
      createEnumerator: (ctx) => new KafkaSourceEnumerator(ctx, general),
      restoreEnumerator: (ctx, state) => new KafkaSourceEnumerator(ctx, general, state),
      createReader: (ctx) => new KafkaSourceReader<T>(ctx, resolved),
      ...(resolved.watermarks === undefined
        ? {}
        : {
            declareWatermarks: () => [
              EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION,
              EventTimeExtension.IDLE_STATUS_WATERMARK_DECLARATION,
            ],
          }),
    };
  },
};
