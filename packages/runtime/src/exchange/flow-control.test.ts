/** Credit-based flow control between an output channel and an input gate on one thread. */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { NO_TIMESTAMP } from "./batch.ts";
import { barrier, END_OF_PARTITION } from "./channel-event.ts";
import { InputGate } from "./input-gate.ts";
import { LocalTransport } from "./local-transport.ts";
import { Backpressure, OutputChannel } from "./output-channel.ts";
import type { FrameSink } from "./transport.ts";

function pair(batchSize: number, credits: number) {
  const gate = new InputGate(0, new Map());
  let output: OutputChannel | undefined;
  const sink: FrameSink = {
    onBatch: (ch, batch) => gate.enqueue(ch, batch),
    onEvent: (ch, event) => gate.enqueue(ch, event),
    onCredit: (_ch, n) => output!.onCredit(n),
  };
  const transport = new LocalTransport(sink);
  let released = 0;
  const backpressure = new Backpressure(() => released++);
  output = new OutputChannel(7, transport, batchSize, credits, backpressure);
  gate.addChannel(7, transport);
  return { gate, output, backpressure, released: () => released };
}

test("a sender without credit holds batches back and resumes when the receiver frees buffers", () => {
  const { gate, output, backpressure, released } = pair(2, 1);
  for (let i = 0; i < 6; i++) output.add(i, NO_TIMESTAMP);
  // 3 batches sealed; 1 credit: one delivered, two held back.
  assert.equal(backpressure.blocked, true);
  const first = gate.poll();
  assert.deepEqual(first?.kind === "batch" ? first.batch.records : undefined, [0, 1]);
  // Consuming it returned a credit: the next batch moved, the last still waits.
  assert.equal(backpressure.blocked, true);
  const second = gate.poll();
  assert.deepEqual(second?.kind === "batch" ? second.batch.records : undefined, [2, 3]);
  assert.equal(backpressure.blocked, false);
  assert.equal(released(), 1);
  const third = gate.poll();
  assert.deepEqual(third?.kind === "batch" ? third.batch.records : undefined, [4, 5]);
  assert.equal(gate.poll(), undefined);
});

test("events stay behind the data sent before them, also while held back", () => {
  const { gate, output } = pair(4, 1);
  output.add("a", 5);
  output.flush();
  output.add("b", NO_TIMESTAMP);
  output.sendEvent(END_OF_PARTITION);
  const a = gate.poll();
  assert.equal(a?.kind, "batch");
  if (a?.kind === "batch") assert.deepEqual([...(a.batch.timestamps ?? [])], [5]);
  const b = gate.poll();
  assert.equal(b?.kind, "batch");
  if (b?.kind === "batch") assert.equal(b.batch.timestamps, null, "a batch without timestamps carries none");
  assert.deepEqual(gate.poll(), { kind: "channel-finished", channel: 0 });
  assert.deepEqual(gate.poll(), { kind: "end-of-input" });
  assert.equal(gate.finished, true);
  assert.equal(gate.poll(), undefined);
});

test("property: any interleaving of sends and polls delivers every record once, in order, within the credit bound", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.oneof(fc.constant("send" as const), fc.constant("poll" as const)), { maxLength: 300 }),
      (batchSize, credits, actions) => {
        const { gate, output } = pair(batchSize, credits);
        const received: number[] = [];
        let next = 0;
        const drain = () => {
          for (let item = gate.poll(); item !== undefined; item = gate.poll()) {
            if (item.kind === "batch") received.push(...(item.batch.records as number[]));
          }
        };
        for (const action of actions) {
          if (action === "send") output.add(next++, NO_TIMESTAMP);
          else {
            const item = gate.poll();
            if (item?.kind === "batch") received.push(...(item.batch.records as number[]));
          }
          // The receiver never holds more batches than the credits it granted.
          assert.ok(
            gate.queuedItems <= credits,
            `${gate.queuedItems} batches queued with ${credits} credits`,
          );
        }
        output.sendEvent(END_OF_PARTITION);
        drain();
        assert.deepEqual(
          received,
          Array.from({ length: next }, (_, i) => i),
        );
        assert.equal(gate.finished, true);
      },
    ),
  );
});

test("a barrier comes after the records sent before it, and a blocked channel is not read until unblocked", () => {
  const { gate, output } = pair(4, 8);
  output.add("before", NO_TIMESTAMP);
  output.sendEvent(barrier(7));
  output.add("after", NO_TIMESTAMP);
  output.flush();
  const first = gate.poll();
  assert.deepEqual(first?.kind === "batch" ? first.batch.records : undefined, ["before"]);
  assert.deepEqual(gate.poll(), { kind: "barrier", checkpointId: 7, channel: 0, barrier: barrier(7) });
  gate.block(0);
  assert.equal(gate.poll(), undefined, "the aligned channel is not read");
  gate.unblockAll();
  const after = gate.poll();
  assert.deepEqual(after?.kind === "batch" ? after.batch.records : undefined, ["after"]);
});
