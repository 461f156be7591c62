/**
 * The self-checking job of the checkpoints issue, on Kafka at both ends: per-key sequence numbers
 * are read from a topic, pass through keyed state (a per-key count), and are written to another
 * topic with an exactly-once Kafka sink. Every output record carries the count its key had
 * reached, so a reader can check both the records (each sequence number once) and the state
 * (count = seq + 1) end to end.
 *
 * Faults: on each of the first `faults` attempts, one subtask of one stage fails after a number of
 * records that varies by attempt — by throwing, or by ending its worker thread abruptly
 * (`process.exit` in a worker thread kills that thread, as a crash would).
 */

import { defineJob, type OneInputStreamProcessFunction, StateDeclarations } from "@weir/api";
import { KafkaSerializers, KafkaSink, KafkaSource } from "@weir/connector-kafka";

export interface Numbered {
  readonly key: number;
  readonly seq: number;
}

export interface Checked extends Numbered {
  /** How many records of this key the keyed state had counted, this one included. */
  readonly count: number;
}

export interface KafkaExactlyOnceParams {
  readonly bootstrap: string;
  readonly input: string;
  readonly output: string;
  readonly transactionalIdPrefix: string;
  readonly parallelism: number;
  /** Attempts 0 … faults-1 each end with an injected fault. */
  readonly faults: number;
}

/** Which stage and subtask fail on attempt `a`, after how many of its records, and how. */
export function faultPlan(attempt: number, parallelism: number) {
  return {
    stage: attempt % 3 === 2 ? ("checker" as const) : ("injector" as const),
    subtask: attempt % parallelism,
    afterRecords: 150 + ((attempt * 7919) % 900),
    // A few thread kills among the exceptions: the runtime waits out a grace period for a killed
    // thread's cancellation, which makes those restarts slower.
    kind: attempt % 7 === 3 ? ("worker-exit" as const) : ("exception" as const),
  };
}

function maybeFail(
  stage: "checker" | "injector",
  seen: number,
  attempt: number,
  subtask: number,
  params: KafkaExactlyOnceParams,
): void {
  if (attempt >= params.faults) return;
  const plan = faultPlan(attempt, params.parallelism);
  if (plan.stage !== stage || plan.subtask !== subtask || plan.afterRecords !== seen) return;
  if (plan.kind === "exception") throw new Error(`injected fault ${attempt} in ${stage}`);
  process.exit(70);
}

const COUNT = StateDeclarations.value<number>("count");

export default defineJob((env, params: KafkaExactlyOnceParams) => {
  let injectorSeen = 0;
  let checkerSeen = 0;
  const checker: OneInputStreamProcessFunction<Numbered, Checked, number> = {
    usesStates: () => [COUNT],
    processRecord(record, out, ctx) {
      maybeFail(
        "checker",
        ++checkerSeen,
        ctx.taskInfo.attemptNumber,
        ctx.taskInfo.indexOfThisSubtask,
        params,
      );
      const count = ctx.stateManager.getState(COUNT);
      const next = (count.value() ?? 0) + 1;
      count.update(next);
      out.collect({ key: record.key, seq: record.seq, count: next });
    },
  };
  env
    .fromSource(
      KafkaSource.create<Numbered>({
        bootstrapServers: params.bootstrap,
        topics: params.input,
        deserializer: { deserialize: (r) => JSON.parse(r.value!.toString()) as Numbered },
        stoppingOffsets: "latest",
        isolationLevel: "read_committed",
      }),
      "Numbers",
    )
    .withUid("numbers")
    .process<Numbered>({
      processRecord(record, out, ctx) {
        maybeFail(
          "injector",
          ++injectorSeen,
          ctx.taskInfo.attemptNumber,
          ctx.taskInfo.indexOfThisSubtask,
          params,
        );
        out.collect(record);
      },
    })
    .withName("Fault injector")
    .withUid("injector")
    .keyBy((record) => record.key)
    .process(checker)
    .withName("Sequence checker")
    .withUid("checker")
    .toSink(
      KafkaSink.create<Checked>({
        bootstrapServers: params.bootstrap,
        topic: params.output,
        serializer: KafkaSerializers.json({ key: (r) => String(r.key) }),
        deliveryGuarantee: "exactly-once",
        transactionalIdPrefix: params.transactionalIdPrefix,
      }),
    )
    .withUid("kafka-output");
});
