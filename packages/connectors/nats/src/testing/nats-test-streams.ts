/**
 * Test streams on the local NATS server (127.0.0.1:4222, `NATS_URL` to override): unique names per
 * test, publishing, reading a stream back, and cleanup. A missing server fails the test with a
 * message saying so (never a skip).
 * @module
 */

import { randomBytes } from "node:crypto";
import { type JetStreamManager, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, headers as natsHeaders } from "@nats-io/transport-node";

export const NATS_URL = process.env.NATS_URL ?? "127.0.0.1:4222";

export interface TestStream {
  readonly name: string;
  /** The stream's subjects are `<subject>.>`. */
  readonly subject: string;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  publish(
    subject: string,
    payloads: readonly (string | Uint8Array)[],
    headers?: Record<string, string>,
  ): Promise<void>;
  /** Every stored message, in sequence order. */
  readAll(): Promise<JsMsg[]>;
  lastSequence(): Promise<number>;
  close(): Promise<void>;
}

export async function connectTestNats(): Promise<NatsConnection> {
  try {
    return await connect({ servers: NATS_URL, maxReconnectAttempts: 0 });
  } catch (error) {
    throw new Error(
      `These tests need NATS with JetStream at ${NATS_URL} (nats-server -js): ${(error as Error).message}`,
    );
  }
}

/** Creates a stream `<prefix>_<random>` over subjects `<prefix>_<random>.>`. */
export async function createTestStream(prefix: string, duplicateWindowMs = 120_000): Promise<TestStream> {
  const nc = await connectTestNats();
  const jsm = await jetstreamManager(nc);
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const subject = name.toLowerCase();
  await jsm.streams.add({
    name,
    subjects: [`${subject}.>`],
    duplicate_window: duplicateWindowMs * 1_000_000,
  });
  const js = jetstream(nc);
  return {
    name,
    subject,
    nc,
    jsm,
    async publish(target, payloads, headers) {
      const acks = payloads.map((p) => {
        if (headers === undefined) return js.publish(target, p);
        const h = natsHeaders();
        for (const [k, v] of Object.entries(headers)) h.set(k, v);
        return js.publish(target, p, { headers: h });
      });
      await Promise.all(acks);
    },
    async lastSequence() {
      return (await jsm.streams.info(name)).state.last_seq;
    },
    async readAll() {
      const out: JsMsg[] = [];
      if ((await jsm.streams.info(name)).state.messages === 0) return out;
      const consumer = await js.consumers.get(name);
      const messages = await consumer.consume();
      for await (const message of messages) {
        out.push(message);
        if (message.info.pending === 0) break;
      }
      await messages.close();
      return out;
    },
    async close() {
      await jsm.streams.delete(name).catch(() => {});
      await nc.close();
    },
  };
}
