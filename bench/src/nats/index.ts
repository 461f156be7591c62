/**
 * The NATS benchmark: NATS → filter → NATS with JSON orders against the local JetStream server
 * (127.0.0.1:4222, `NATS_URL` to override). `prepare` creates a fresh stream and publishes the
 * input with publish acks (not timed); the timed run reads it to its end, filters and publishes the
 * output, awaiting every publish ack.
 * @module
 */

import { createTestStream, NATS_URL } from "@weir/connector-nats/testing";
import type { Benchmark } from "../benchmark.ts";
import { RECEIVED_COUNTS } from "../jobs/record-count.ts";
import { expectedPassing, orderAt } from "../kafka/kafka-filter-job.ts";
import { NATS_BENCH_ENV } from "./nats-filter.job.ts";

/** The stream of the previous run, deleted when the next one is prepared. */
let previous: string | undefined;

async function prepare(events: number): Promise<void> {
  const stream = await createTestStream("BENCH");
  try {
    if (previous !== undefined) await stream.jsm.streams.delete(previous).catch(() => {});
    previous = stream.name;
    const chunk = 2_000;
    for (let start = 0; start < events; start += chunk) {
      const end = Math.min(events, start + chunk);
      for (const half of [0, 1]) {
        const payloads: string[] = [];
        for (let i = start + half; i < end; i += 2) payloads.push(JSON.stringify(orderAt(i)));
        await stream.publish(`${stream.subject}.in.${half}`, payloads);
      }
    }
    process.env[NATS_BENCH_ENV.servers] = NATS_URL;
    process.env[NATS_BENCH_ENV.stream] = stream.name;
  } finally {
    // Keep the stream for the timed run; only the connection goes.
    await stream.nc.close();
  }
}

export const natsFilter: Benchmark = {
  name: "nats-filter",
  description:
    "NATS -> filter -> NATS, JSON, at-least-once with publish acks, parallelism 2, 2 subjects (real server)",
  job: new URL("./nats-filter.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 200_000,
  // The issue sets no figure for NATS; this is a working target, not a promise.
  targetPerCore: 50_000,
  prepare,
  verify(result, events) {
    const received = result.collected(RECEIVED_COUNTS).reduce((a, b) => a + b, 0);
    const expected = expectedPassing(events);
    if (received !== expected)
      throw new Error(`nats-filter: ${received} records passed the filter, expected ${expected}`);
    return received;
  },
};

export const NATS_BENCHMARKS: readonly Benchmark[] = [natsFilter];
