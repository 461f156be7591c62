/**
 * The job of the NATS benchmark: JSON orders from a JetStream stream (two subject filters, one split
 * each, bounded at the stream's last sequence at start) → filter (amount > 50, about half pass) →
 * JSON published to an output subject with publish acks and message-id dedup (at-least-once). Where
 * the server and stream are comes from the environment the benchmark's `prepare` step sets.
 * @module
 */

import { defineJob } from "@weir/api";
import { NatsDeserializers, NatsSink, NatsSource } from "@weir/connector-nats";
import { type BenchJobParams, eventsOf } from "../jobs/params.ts";
import { countRecords, RECEIVED_COUNTS } from "../jobs/record-count.ts";
import type { Order } from "../kafka/kafka-filter-job.ts";

export const NATS_BENCH_ENV = {
  servers: "WEIR_BENCH_NATS_SERVERS",
  stream: "WEIR_BENCH_NATS_STREAM",
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "")
    throw new Error(`the NATS benchmark job needs ${name} (set by the benchmark's prepare step)`);
  return value;
}

const encoder = new TextEncoder();

export default defineJob((env, params: BenchJobParams) => {
  eventsOf(params);
  const servers = required(NATS_BENCH_ENV.servers);
  const stream = required(NATS_BENCH_ENV.stream);
  const subject = stream.toLowerCase();
  const passing = env
    .fromSource(
      new NatsSource<Order>({
        servers,
        stream,
        subjects: [`${subject}.in.0`, `${subject}.in.1`],
        durableName: "bench",
        startFrom: { kind: "all" },
        bounded: true,
        deserializer: NatsDeserializers.json<Order>(),
      }),
      "Orders",
    )
    .process<Order>({
      processRecord(order, out) {
        if (order.amount > 50) out.collect(order);
      },
    })
    .withName("Filter");
  passing.toSink(
    new NatsSink<Order>({
      servers,
      subject: `${subject}.out`,
      messageIdPrefix: `bench-${stream}`,
      serializer: (order) => encoder.encode(JSON.stringify(order)),
    }),
  );
  if (params.verify === true) passing.process(countRecords).toSink(RECEIVED_COUNTS);
});
