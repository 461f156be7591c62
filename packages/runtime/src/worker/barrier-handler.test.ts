/** The barrier handler's decisions: when to snapshot, what goes into channel state, when to ack. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeBatch } from "../codec/batch-codec.ts";
import { NO_TIMESTAMP } from "../exchange/batch.ts";
import { barrier } from "../exchange/channel-event.ts";
import type { TaskChannelState } from "../exchange/channel-state.ts";
import { InputGate } from "../exchange/input-gate.ts";
import { LocalTransport } from "../exchange/local-transport.ts";
import { Backpressure, OutputChannel } from "../exchange/output-channel.ts";
import type { TaskCheckpointStats } from "../rpc/messages.ts";
import { BarrierHandler } from "./barrier-handler.ts";

/** A gate with two channels fed by output channels a and b, and a handler whose host records what it is asked. */
function setup(replaying = false) {
  const gate = new InputGate(0, new Map());
  const outputs = new Map<number, OutputChannel>();
  const transport = new LocalTransport({
    onBatch: (ch, batch) => gate.enqueue(ch, batch),
    onEvent: (ch, event) => gate.enqueue(ch, event),
    onCredit: (ch, n) => outputs.get(ch)!.onCredit(n),
  });
  for (const id of [1, 2]) {
    outputs.set(id, new OutputChannel(id, transport, 1, 8, new Backpressure(() => {})));
    gate.addChannel(id, transport);
  }
  const mails: (() => void)[] = [];
  const log: string[] = [];
  const acks: { id: number; stats: TaskCheckpointStats; state: TaskChannelState | undefined }[] = [];
  const host = {
    replay: replaying,
    post: (mail: () => void) => mails.push(mail),
    blockOn: (promise: Promise<unknown>) => void promise,
    checkpointAligned: async (id: number) => {
      log.push(`aligned ${id}`);
      acks.push({ id, stats: { alignmentMs: 0, snapshotMs: 0 }, state: undefined });
    },
    snapshotOperators: async (id: number) => {
      log.push(`snapshot ${id}`);
      return [];
    },
    snapshotTaken: (id: number) => log.push(`cut ${id}`),
    acknowledge: (id: number, _s: unknown, stats: TaskCheckpointStats, state: TaskChannelState) =>
      acks.push({ id, stats, state }),
    replaying: () => host.replay,
  };
  const handler = new BarrierHandler([gate], [], host);
  /** Runs the posted mails (and what they post), letting promises settle in between. */
  const drain = async () => {
    for (let round = 0; round < 10; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      while (mails.length > 0) mails.shift()!();
    }
  };
  const inFlight = () =>
    acks.at(-1)!.state!.entries.map((e) => e.batches.flatMap((b) => decodeBatch(b.bytes).records));
  return { gate, a: outputs.get(1)!, b: outputs.get(2)!, handler, host, log, acks, drain, inFlight };
}

test("an unaligned barrier: snapshot at once, ack with channel state once every channel delivered it", async () => {
  const { a, b, log, acks, drain, inFlight } = setup();
  a.add("a1", NO_TIMESTAMP);
  b.add("b1", NO_TIMESTAMP);
  a.sendPriorityBarrier(barrier(1, { unaligned: true }));
  await drain();
  assert.deepEqual(log, ["snapshot 1", "cut 1"], "snapshot without reading a1 or b1 first");
  assert.equal(acks.length, 0, "b's barrier has not arrived");
  b.add("b2", NO_TIMESTAMP);
  b.sendPriorityBarrier(barrier(1, { unaligned: true }));
  await drain();
  assert.equal(acks.length, 1);
  assert.equal(acks[0]!.stats.unaligned, true);
  assert.equal(acks[0]!.stats.inFlightRecords, 3);
  assert.deepEqual(inFlight(), [["a1"], ["b1", "b2"]]);
});

test("an aligned barrier with a timeout switches to unaligned when the timeout passes", async () => {
  const { a, b, log, acks, drain, inFlight } = setup();
  b.add("b1", NO_TIMESTAMP);
  a.sendEvent(barrier(2, { alignedTimeoutMs: 30, triggeredAt: Date.now() }));
  await drain();
  assert.deepEqual(log, [], "still within the timeout");
  await new Promise((resolve) => setTimeout(resolve, 50));
  await drain();
  assert.deepEqual(log, ["snapshot 2", "cut 2"]);
  b.sendEvent(barrier(2, { alignedTimeoutMs: 30, triggeredAt: Date.now() }));
  await drain();
  assert.equal(acks.length, 1);
  assert.ok(
    acks[0]!.stats.alignmentMs >= 20,
    `aligned for ${acks[0]!.stats.alignmentMs} ms before switching`,
  );
  assert.deepEqual(inFlight(), [[], ["b1"]]);
});

test("an aligned barrier within its timeout stays aligned", async () => {
  const { gate, a, b, handler, log, drain } = setup();
  const options = { alignedTimeoutMs: 10_000, triggeredAt: Date.now() };
  a.sendEvent(barrier(3, options));
  b.sendEvent(barrier(3, options));
  await drain();
  for (let item = gate.poll(); item !== undefined; item = gate.poll())
    if (item.kind === "barrier") handler.onBarrier(gate, item.channel, item.barrier);
  await drain();
  assert.deepEqual(log, ["aligned 3"]);
  handler.dispose();
});

test("while restored in-flight data is replayed, an unaligned start waits for the replay to finish", async () => {
  const { a, b, handler, host, log, acks, drain } = setup(true);
  a.sendPriorityBarrier(barrier(4, { unaligned: true }));
  await drain();
  assert.deepEqual(log, []);
  host.replay = false;
  handler.replayFinished();
  await drain();
  assert.deepEqual(log, ["snapshot 4", "cut 4"]);
  b.sendPriorityBarrier(barrier(4, { unaligned: true }));
  await drain();
  assert.deepEqual(
    acks.map((x) => x.id),
    [4],
  );
});

test("a newer barrier supersedes an unaligned checkpoint still recording", async () => {
  const { a, b, log, acks, drain } = setup();
  a.sendPriorityBarrier(barrier(5, { unaligned: true }));
  await drain();
  a.sendPriorityBarrier(barrier(6, { unaligned: true }));
  await drain();
  b.sendPriorityBarrier(barrier(5, { unaligned: true }));
  b.sendPriorityBarrier(barrier(6, { unaligned: true }));
  await drain();
  assert.deepEqual(log, ["snapshot 5", "cut 5", "snapshot 6", "cut 6"]);
  assert.deepEqual(
    acks.map((x) => x.id),
    [6],
    "checkpoint 5 is never acknowledged",
  );
});
