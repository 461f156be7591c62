/**
 * NATS → failure injector → filter → NATS, the job of the NATS recovery test and benchmark. The
 * source is bounded at the input stream's last sequence; the injector throws once, on the first
 * attempt, at the record whose `i` is `failAt`; the sink's message ids dedup the replay. With
 * `checkpointMarker`, the first attempt reads slowly (1 ms a record) until that file exists — the
 * test writes it when a checkpoint completes — so the failure always follows a checkpoint.
 */

import { existsSync } from "node:fs";
import { defineJob } from "@weir/api";
import { NatsDeserializers, NatsSink, NatsSource } from "@weir/connector-nats";

export interface NatsPipelineParams {
  readonly servers: string;
  readonly stream: string;
  readonly durableName: string;
  /** Subject filters, one split each (default: the whole stream as one split). */
  readonly subjects?: readonly string[];
  readonly outSubject: string;
  readonly messageIdPrefix: string;
  /** `i` of the record that throws on attempt 0; -1 for none. */
  readonly failAt: number;
  /** A file the test creates once a checkpoint completed (see the module comment). */
  readonly checkpointMarker?: string;
}

interface Numbered {
  readonly i: number;
  readonly pad?: string;
}

const encoder = new TextEncoder();

const pause = new Int32Array(new SharedArrayBuffer(4));

export default defineJob((env, params: NatsPipelineParams) => {
  let checkpointed = params.checkpointMarker === undefined;
  env
    .fromSource(
      new NatsSource<Numbered>({
        servers: params.servers,
        stream: params.stream,
        durableName: params.durableName,
        ...(params.subjects === undefined ? {} : { subjects: params.subjects }),
        startFrom: { kind: "all" },
        bounded: true,
        deserializer: NatsDeserializers.json<Numbered>(),
      }),
      "NATS in",
    )
    .withUid("nats-in")
    .process<Numbered>({
      processRecord(record, out, ctx) {
        if (!checkpointed && ctx.taskInfo.attemptNumber === 0) {
          checkpointed = existsSync(params.checkpointMarker!);
          if (!checkpointed) Atomics.wait(pause, 0, 0, 1);
        }
        if (record.i === params.failAt && ctx.taskInfo.attemptNumber === 0)
          throw new Error(`injected failure at record ${record.i}`);
        if (record.i % 2 === 0) out.collect(record);
      },
    })
    .withName("Filter even")
    .withUid("filter")
    .toSink(
      new NatsSink<Numbered>({
        servers: params.servers,
        subject: params.outSubject,
        messageIdPrefix: params.messageIdPrefix,
        serializer: (record) => encoder.encode(JSON.stringify(record)),
      }),
    );
});
