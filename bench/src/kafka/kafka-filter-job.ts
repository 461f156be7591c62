/**
 * The job of the Kafka benchmarks: JSON orders from a Kafka topic (bounded at the offsets current
 * at start) → filter (amount > 50, about half pass) → JSON into another topic, with the given
 * delivery guarantee. Where the broker and topics are comes from the environment the benchmark's
 * `prepare` step sets (worker threads inherit it), since benchmark params are only
 * `{ events, verify }`.
 * @module
 */

import type { ExecutionEnvironment } from "@weir/api";
import {
  type DeliveryGuarantee,
  KafkaDeserializers,
  KafkaSerializers,
  KafkaSink,
  KafkaSource,
} from "@weir/connector-kafka";
import { type BenchJobParams, eventsOf } from "../jobs/params.ts";
import { countRecords, RECEIVED_COUNTS } from "../jobs/record-count.ts";

export interface Order {
  readonly id: number;
  readonly user: string;
  readonly amount: number;
  readonly category: string;
}

export const KAFKA_BENCH_ENV = {
  bootstrap: "WEIR_BENCH_KAFKA_BOOTSTRAP",
  input: "WEIR_BENCH_KAFKA_INPUT",
  output: "WEIR_BENCH_KAFKA_OUTPUT",
} as const;

/** The order with index `i`: amounts 0…99, so `amount > 50` keeps 49 of every 100. */
export function orderAt(i: number): Order {
  return { id: i, user: `user-${i % 1000}`, amount: (i * 37) % 100, category: `c${i % 7}` };
}

export function expectedPassing(events: number): number {
  let passing = 0;
  for (let i = 0; i < events; i++) if (orderAt(i).amount > 50) passing++;
  return passing;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "")
    throw new Error(`the Kafka benchmark job needs ${name} (set by the benchmark's prepare step)`);
  return value;
}

export function buildKafkaFilterJob(
  env: ExecutionEnvironment,
  params: BenchJobParams,
  guarantee: DeliveryGuarantee,
): void {
  eventsOf(params);
  const bootstrap = required(KAFKA_BENCH_ENV.bootstrap);
  const output = required(KAFKA_BENCH_ENV.output);
  const passing = env
    .fromSource(
      KafkaSource.create<Order>({
        bootstrapServers: bootstrap,
        topics: required(KAFKA_BENCH_ENV.input),
        deserializer: KafkaDeserializers.json<Order>(),
        stoppingOffsets: "latest",
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
    KafkaSink.create<Order>({
      bootstrapServers: bootstrap,
      topic: output,
      serializer: KafkaSerializers.json<Order>(),
      deliveryGuarantee: guarantee,
      transactionalIdPrefix: `bench-${output}`,
    }),
  );
  if (params.verify === true) passing.process(countRecords).toSink(RECEIVED_COUNTS);
}
