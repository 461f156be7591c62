/** Unaligned barriers in the exchange: overtaking at the sender, announcement and recording at the receiver. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeBatch } from "../codec/batch-codec.ts";
import { NO_TIMESTAMP } from "./batch.ts";
import { type BarrierEvent, barrier } from "./channel-event.ts";
import type { InFlightBatch } from "./channel-state.ts";
import { InputGate } from "./input-gate.ts";
import { LocalTransport } from "./local-transport.ts";
import { Backpressure, OutputChannel } from "./output-channel.ts";
import type { FrameSink } from "./transport.ts";

/** One gate with two channels (ids 1 and 2), each fed by its own output channel. */
function twoChannels(batchSize: number, credits: number) {
  const gate = new InputGate(0, new Map());
  const outputs = new Map<number, OutputChannel>();
  const sink: FrameSink = {
    onBatch: (ch, batch) => gate.enqueue(ch, batch),
    onEvent: (ch, event) => gate.enqueue(ch, event),
    onCredit: (ch, n) => outputs.get(ch)!.onCredit(n),
  };
  const transport = new LocalTransport(sink);
  const backpressure = new Backpressure(() => {});
  for (const id of [1, 2]) {
    outputs.set(id, new OutputChannel(id, transport, batchSize, credits, backpressure));
    gate.addChannel(id, transport);
  }
  const announced: BarrierEvent[] = [];
  let done = 0;
  gate.setListener({
    barrierArrived: (_g, _c, event) => announced.push(event),
    recordingDone: () => done++,
  });
  return { gate, a: outputs.get(1)!, b: outputs.get(2)!, backpressure, announced, done: () => done };
}

const records = (batches: readonly InFlightBatch[]) => batches.flatMap((b) => decodeBatch(b.bytes).records);

test("an unaligned barrier overtakes batches waiting for credit, which become output channel state", () => {
  const { gate, a, backpressure, announced } = twoChannels(1, 1);
  a.add("r1", NO_TIMESTAMP); // sent: the one credit
  a.add("r2", NO_TIMESTAMP); // backlog
  a.add("r3", NO_TIMESTAMP); // backlog
  assert.equal(backpressure.blocked, true);
  const overtaken = a.sendPriorityBarrier(barrier(5, { unaligned: true }));
  assert.deepEqual(records(overtaken), ["r2", "r3"]);
  assert.deepEqual(announced, [barrier(5, { unaligned: true })], "the receiver heard of it at once");
  // The overtaken batches still follow, in order, as credit comes back.
  const seen: unknown[] = [];
  for (let item = gate.poll(); item !== undefined; item = gate.poll())
    seen.push(
      item.kind === "batch" ? item.batch.records[0] : `B${item.kind === "barrier" ? item.checkpointId : "?"}`,
    );
  assert.deepEqual(seen, ["r1", "B5", "r2", "r3"]);
});

test("starting an unaligned checkpoint takes queued batches before each barrier and records the rest until it arrives", () => {
  const { gate, a, b, done } = twoChannels(1, 8);
  a.add("a1", NO_TIMESTAMP);
  a.sendPriorityBarrier(barrier(3, { unaligned: true }));
  a.add("a2", NO_TIMESTAMP); // after the barrier on a: not in flight
  b.add("b1", NO_TIMESTAMP);
  const entries = gate.startUnaligned(3);
  assert.deepEqual(
    entries.map((e) => [e.channel, records(e.batches)]),
    [
      [1, ["a1"]],
      [2, ["b1"]],
    ],
  );
  assert.equal(gate.recordingChannels, 1, "b has not delivered its barrier yet");
  b.add("b2", NO_TIMESTAMP); // still before b's barrier: recorded
  assert.equal(done(), 0);
  b.sendEvent(barrier(3));
  b.add("b3", NO_TIMESTAMP); // after: not recorded
  assert.equal(done(), 1);
  assert.equal(gate.recordingChannels, 0);
  assert.deepEqual(records(entries[1]!.batches), ["b1", "b2"]);
  // Processing goes on: every batch is still delivered, the consumed barriers are not.
  const seen: unknown[] = [];
  for (let item = gate.poll(); item !== undefined; item = gate.poll())
    if (item.kind === "batch") seen.push(item.batch.records[0]);
    else seen.push(item.kind);
  assert.deepEqual(seen.sort(), ["a1", "a2", "b1", "b2", "b3"]);
});

test("a channel that already delivered the barrier while aligning has no in-flight data", () => {
  const { gate, a, b } = twoChannels(1, 8);
  a.add("a1", NO_TIMESTAMP);
  a.sendEvent(barrier(4, { alignedTimeoutMs: 10, triggeredAt: 0 }));
  a.add("a2", NO_TIMESTAMP);
  b.add("b1", NO_TIMESTAMP);
  // The task reads a1 and the barrier, blocks a (aligning), then the alignment times out.
  const polled: string[] = [];
  for (let i = 0; i < 3; i++) {
    const item = gate.poll();
    if (item?.kind === "barrier") gate.block(item.channel);
    polled.push(item?.kind === "batch" ? String(item.batch.records[0]) : String(item?.kind));
  }
  assert.ok(polled.includes("barrier"));
  const entries = gate.startUnaligned(4);
  assert.deepEqual(records(entries[0]!.batches), [], "a's pre-barrier data was processed");
  assert.deepEqual(
    records(entries[1]!.batches),
    polled.includes("b1") ? [] : ["b1"],
    "b's unprocessed data is in flight",
  );
  assert.equal(gate.recordingChannels, 1);
  b.sendEvent(barrier(4, { alignedTimeoutMs: 10, triggeredAt: 0 }));
  assert.equal(gate.recordingChannels, 0);
});

test("end-of-partition ends a recording; a superseded recording is dropped", () => {
  const { gate, a, b, done } = twoChannels(1, 8);
  gate.startUnaligned(9);
  assert.equal(gate.recordingChannels, 2);
  a.sendEvent({ kind: "end-of-partition" });
  assert.equal(gate.recordingChannels, 1);
  gate.abortUnaligned();
  assert.equal(gate.recordingChannels, 0);
  b.add("x", NO_TIMESTAMP);
  assert.equal(done(), 0, "an aborted recording reports nothing");
});
