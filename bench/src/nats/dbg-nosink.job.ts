import { defineJob } from "@weir/api";
import { NatsDeserializers, NatsSource } from "@weir/connector-nats";
import { NATS_BENCH_ENV } from "./nats-filter.job.ts";
export default defineJob((env) => {
  const stream = process.env[NATS_BENCH_ENV.stream]!;
  const subject = stream.toLowerCase();
  env.fromSource(new NatsSource<{ amount: number }>({ servers: process.env[NATS_BENCH_ENV.servers]!, stream, subjects: [`${subject}.in.0`, `${subject}.in.1`], durableName: "bench", startFrom: { kind: "all" }, bounded: true, deserializer: NatsDeserializers.json() }), "Orders")
    .process<{ amount: number }>({ processRecord(o, out) { if (o.amount > 50) out.collect(o); } })
    .toSink({ createWriter: () => ({ write() {}, flush() {}, close() {} }) });
});
