/**
 * Reads JSON records from a topic where some are malformed, under the bad-record policy given in
 * the params (fail, drop, or dead-letter into an exactly-once file sink), and collects what parses.
 */

import { type BadRecordPolicy, defineJob, Sinks } from "@weir/api";
import { FileSink } from "@weir/connector-files";
import { type KafkaDeadLetter, KafkaDeserializers, KafkaSource } from "@weir/connector-kafka";

export interface Reading {
  readonly n: number;
}

export interface BadRecordsParams {
  readonly bootstrap: string;
  readonly topic: string;
  readonly policy: "fail" | "drop" | "dead-letter";
  /** Directory of the dead-letter files (dead-letter only). */
  readonly deadLetterDir?: string;
}

export const GOOD = Sinks.collect<Reading>("good");

export default defineJob((env, params: BadRecordsParams) => {
  let badRecords: BadRecordPolicy<KafkaDeadLetter>;
  if (params.policy === "dead-letter") {
    badRecords = { kind: "dead-letter", sink: FileSink.forRows(params.deadLetterDir!, { format: "jsonl" }) };
  } else if (params.policy === "drop") {
    badRecords = { kind: "drop", logIntervalMs: 60_000 };
  } else {
    badRecords = { kind: "fail" };
  }
  env
    .fromSource(
      KafkaSource.create({
        bootstrapServers: params.bootstrap,
        topics: params.topic,
        deserializer: KafkaDeserializers.json<Reading>(),
        stoppingOffsets: "latest",
        badRecords,
      }),
      "Readings",
    )
    .toSink(GOOD);
});
