/**
 * The self-checking job of the checkpoints issue, on Kafka at both ends: per-key sequence numbers
 * are read from a topic, pass through keyed state (a per-key count), and are written to another
 * topic with an exactly-once Kafka sink. Every output record carries the count its key had
 * reached, so a reader can check both the records (each sequence number once) and the state
 * (count = seq + 1) end to end.
 *
 * Faults: on each of the first `faults` attempts, one subtask fails once this attempt has
 * pre-committed at least one checkpoint, so every fault strikes with transactions in every state
 * (committed, pre-committed and awaiting their checkpoint, open with records). Most faults are
 * *kills*: the worker thread ends abruptly (`process.exit` in a worker thread ends that thread as a
 * crash would: no `close`, no abort, no cancellation), each leaving a marker file so the test can
 * count them; the rest are exceptions. Kills strike in three places: while the sink writes into
 * its open transaction, inside the sink's pre-commit (the transaction flushed but never handed to
 * the runtime: only the recovery of a later attempt can end it), and in the keyed checker.
 *
 * `throttle` paces the input (the reading thread sleeps `ms` every `every` records) so that the
 * data outlasts the faults; a test job only: real jobs never block their thread.
 */

import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import {
  defineJob,
  type OneInputStreamProcessFunction,
  type Sink,
  type SinkWriter,
  StateDeclarations,
} from "@weir/api";
import { KafkaSerializers, KafkaSink, type KafkaSinkCommittable, KafkaSource } from "@weir/connector-kafka";

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
  /** A directory where each kill leaves a file `kill-<attempt>` (required when faults > 0). */
  readonly markers?: string;
  /** Input pacing: sleep `ms` every `every` records per subtask. */
  readonly throttle?: { readonly every: number; readonly ms: number };
  readonly transactionTimeoutMs?: number;
  /** Read on past the input's end at start (default: stop there). */
  readonly unbounded?: boolean;
}

export type FaultPlace = "sink-write" | "sink-pre-commit" | "checker";

/** Which subtask fails on attempt `a`, where, how, and after how much progress of the attempt. */
export function faultPlan(attempt: number, parallelism: number) {
  return {
    subtask: attempt % parallelism,
    place: (["sink-write", "sink-pre-commit", "checker"] as const)[attempt % 3]!,
    kind: attempt % 8 === 5 ? ("exception" as const) : ("kill" as const),
    /** Pre-commits this subtask's sink made in this attempt before the fault may strike. */
    afterPreCommits: 1 + (attempt % 2),
    /** Records this subtask's sink wrote since its last pre-commit before the fault strikes. */
    afterRecords: 1 + ((attempt * 37) % 120),
  };
}

/** How many of attempts 0 … faults-1 end with a kill. */
export function plannedKills(faults: number, parallelism: number): number {
  let kills = 0;
  for (let a = 0; a < faults; a++) if (faultPlan(a, parallelism).kind === "kill") kills++;
  return kills;
}

const COUNT = StateDeclarations.value<number>("count");

export default defineJob((env, params: KafkaExactlyOnceParams) => {
  /** This thread's progress in this attempt (a thread runs one subtask of every vertex). */
  let preCommits = 0;
  let writtenSincePreCommit = 0;
  let struck = false;

  const strike = (place: FaultPlace, attempt: number, subtask: number): void => {
    if (struck || attempt >= params.faults) return;
    const plan = faultPlan(attempt, params.parallelism);
    if (plan.place !== place || plan.subtask !== subtask) return;
    if (preCommits < plan.afterPreCommits || writtenSincePreCommit < plan.afterRecords) return;
    struck = true;
    if (plan.kind === "exception") throw new Error(`injected fault ${attempt} (${place})`);
    closeSync(openSync(join(params.markers!, `kill-${String(attempt).padStart(3, "0")}-${place}`), "w"));
    process.exit(70);
  };

  const checker: OneInputStreamProcessFunction<Numbered, Checked, number> = {
    usesStates: () => [COUNT],
    processRecord(record, out, ctx) {
      strike("checker", ctx.taskInfo.attemptNumber, ctx.taskInfo.indexOfThisSubtask);
      const count = ctx.stateManager.getState(COUNT);
      const next = (count.value() ?? 0) + 1;
      count.update(next);
      out.collect({ key: record.key, seq: record.seq, count: next });
    },
  };

  const kafka = KafkaSink.create<Checked>({
    bootstrapServers: params.bootstrap,
    topic: params.output,
    serializer: KafkaSerializers.json({ key: (r) => String(r.key) }),
    deliveryGuarantee: "exactly-once",
    transactionalIdPrefix: params.transactionalIdPrefix,
    ...(params.transactionTimeoutMs === undefined
      ? {}
      : { transactionTimeoutMs: params.transactionTimeoutMs }),
  });
  /** The Kafka sink with the faults of the sink places. */
  const sink: Sink<Checked, KafkaSinkCommittable> = {
    createWriter(ctx) {
      const writer: SinkWriter<Checked, KafkaSinkCommittable> = kafka.createWriter(ctx);
      return {
        write(records) {
          const result = writer.write(records);
          writtenSincePreCommit += records.length;
          strike("sink-write", ctx.attemptNumber, ctx.indexOfSubtask);
          return result;
        },
        flush: (endOfInput) => writer.flush(endOfInput),
        async prepareCommit() {
          const committables = (await writer.prepareCommit?.()) ?? [];
          // The transaction is flushed and its producer closed, but the runtime never learns of it.
          if (committables.length > 0) strike("sink-pre-commit", ctx.attemptNumber, ctx.indexOfSubtask);
          preCommits++;
          writtenSincePreCommit = 0;
          return committables;
        },
        close: () => writer.close(),
      };
    },
    createCommitter: () => kafka.createCommitter!(),
  };

  const throttle = params.throttle;
  const pause = throttle === undefined ? undefined : new Int32Array(new SharedArrayBuffer(4));
  let read = 0;
  env
    .fromSource(
      KafkaSource.create<Numbered>({
        bootstrapServers: params.bootstrap,
        topics: params.input,
        deserializer: { deserialize: (r) => JSON.parse(r.value!.toString()) as Numbered },
        ...(params.unbounded === true ? {} : { stoppingOffsets: "latest" as const }),
        isolationLevel: "read_committed",
      }),
      "Numbers",
    )
    .withUid("numbers")
    .process<Numbered>({
      processRecord(record, out) {
        if (throttle !== undefined && ++read % throttle.every === 0) Atomics.wait(pause!, 0, 0, throttle.ms);
        out.collect(record);
      },
    })
    .withName("Pacer")
    .withUid("injector")
    .keyBy((record) => record.key)
    .process(checker)
    .withName("Sequence checker")
    .withUid("checker")
    .toSink(sink)
    .withName("Kafka output")
    .withUid("kafka-output");
});
