/**
 * The NATS JetStream connector: {@link NatsSource} (durable pull consumers, acks on checkpoint
 * completion, replay from the checkpointed sequence) and {@link NatsSink} (publish acks awaited at
 * each checkpoint, `Nats-Msg-Id` deduplication of replays). The SQL connector `nats` is in `./sql`.
 * @module
 */

export type { NatsDeadLetter, NatsDeserializer, NatsMessage } from "./nats-message.ts";
export { NatsDeserializers } from "./nats-message.ts";
export type { NatsSinkCommittable, NatsSinkMetrics, NatsSinkOptions } from "./nats-sink.ts";
export { NatsSink, natsSinkMetrics } from "./nats-sink.ts";
export type { NatsSourceMetrics, NatsSourceOptions, NatsSplit, NatsStartFrom } from "./nats-source.ts";
export { NatsSource, natsSourceMetrics } from "./nats-source.ts";
