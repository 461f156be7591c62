import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { test } from "node:test";
import fc from "fast-check";
import { decodeBatch } from "../codec/batch-codec.ts";
import type { Batch } from "./batch.ts";
import { barrier, type ChannelEvent, END_OF_PARTITION } from "./channel-event.ts";
import { LengthPrefixedDecoder } from "./length-prefixed-frames.ts";
import { TcpTransport } from "./tcp-transport.ts";
import type { EncodedBatch, FrameSink } from "./transport.ts";

type Received =
  | { kind: "batch"; channel: number; records: unknown[]; timestamps: number[] | null; watermarks: unknown }
  | { kind: "event"; channel: number; event: ChannelEvent }
  | { kind: "credit"; channel: number; credits: number };

function recorder(into: Received[]): FrameSink {
  return {
    onBatch(channel, batch) {
      const encoded = batch as EncodedBatch;
      const bytes = encoded instanceof Uint8Array ? encoded : encoded.bytes;
      const decoded = decodeBatch(bytes);
      into.push({
        kind: "batch",
        channel,
        records: decoded.records,
        timestamps: decoded.timestamps === null ? null : [...decoded.timestamps],
        watermarks: encoded instanceof Uint8Array ? null : encoded.watermarks,
      });
    },
    onEvent: (channel, event) => into.push({ kind: "event", channel, event }),
    onCredit: (channel, credits) => into.push({ kind: "credit", channel, credits }),
  };
}

async function socketPair(): Promise<[Socket, Socket, () => void]> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const accepted = once(server, "connection") as Promise<[Socket]>;
  const client = connect(port, "127.0.0.1");
  await once(client, "connect");
  const [serverSide] = await accepted;
  return [client, serverSide, () => server.close()];
}

function batchOf(records: unknown[], timestamps: number[] | null, watermarks: Batch["watermarks"]): Batch {
  return {
    records,
    count: records.length,
    timestamps: timestamps === null ? null : Float64Array.from(timestamps),
    watermarks,
  };
}

test("batches, events and credits cross a TCP connection in order, including frames sent before attach", async () => {
  const [a, b, closeServer] = await socketPair();
  const atB: Received[] = [];
  const atA: Received[] = [];
  const errors: unknown[] = [];
  const sender = new TcpTransport(recorder(atA), (e) => errors.push(e));
  const receiver = new TcpTransport(recorder(atB), (e) => errors.push(e));
  const bigChannel = 3 * 1024 * 1024 * 1024 + 5; // beyond 2^32
  // Sent before the socket exists: must be queued, then delivered first.
  sender.sendBatch(7, batchOf([{ k: "early" }], null, null));
  sender.attach(a);
  receiver.attach(b);
  sender.sendBatch(
    bigChannel,
    batchOf(
      [1, 2n ** 70n, "x"],
      [10, 20, 30],
      [{ index: 1, watermark: { identifier: "event-time", value: 15 } as never }],
    ),
  );
  sender.sendEvent(7, barrier(42));
  sender.sendEvent(7, barrier(43, { unaligned: true, triggeredAt: 1_700_000_000_123 }));
  sender.sendEvent(7, barrier(44, { alignedTimeoutMs: 250, triggeredAt: 1_700_000_000_456 }));
  sender.sendEvent(7, barrier(45, { suspend: true, triggeredAt: 1_700_000_000_789 }));
  sender.sendEvent(7, END_OF_PARTITION);
  receiver.sendCredit(bigChannel, 3);
  while (atB.length < 7 || atA.length < 1) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(errors, []);
  assert.deepEqual(atB, [
    { kind: "batch", channel: 7, records: [{ k: "early" }], timestamps: null, watermarks: null },
    {
      kind: "batch",
      channel: bigChannel,
      records: [1, 2n ** 70n, "x"],
      timestamps: [10, 20, 30],
      watermarks: [{ index: 1, watermark: { identifier: "event-time", value: 15 } }],
    },
    { kind: "event", channel: 7, event: { kind: "barrier", checkpointId: 42 } },
    {
      kind: "event",
      channel: 7,
      event: { kind: "barrier", checkpointId: 43, unaligned: true, triggeredAt: 1_700_000_000_123 },
    },
    {
      kind: "event",
      channel: 7,
      event: { kind: "barrier", checkpointId: 44, alignedTimeoutMs: 250, triggeredAt: 1_700_000_000_456 },
    },
    {
      kind: "event",
      channel: 7,
      event: { kind: "barrier", checkpointId: 45, suspend: true, triggeredAt: 1_700_000_000_789 },
    },
    { kind: "event", channel: 7, event: { kind: "end-of-partition" } },
  ]);
  assert.deepEqual(atA, [{ kind: "credit", channel: bigChannel, credits: 3 }]);
  sender.close();
  receiver.close();
  closeServer();
});

test("a peer that closes the connection fails the transport's owner", async () => {
  const [a, b, closeServer] = await socketPair();
  const errors: unknown[] = [];
  const transport = new TcpTransport(recorder([]), (e) => errors.push(e));
  transport.attach(a);
  b.destroy();
  while (errors.length === 0) await new Promise((r) => setTimeout(r, 5));
  assert.match(String(errors[0]), /connection to a peer slot closed/);
  closeServer();
});

test("the frame decoder reassembles frames from any chunking", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 10 }),
      (frames, cuts) => {
        const wire = Buffer.concat(
          frames.flatMap((f) => {
            const head = Buffer.alloc(4);
            head.writeUInt32LE(f.length);
            return [head, Buffer.from(f)];
          }),
        );
        const out: number[][] = [];
        const decoder = new LengthPrefixedDecoder(1000, (frame) => out.push([...frame]));
        let offset = 0;
        let i = 0;
        while (offset < wire.length) {
          const size = cuts[i++ % cuts.length]!;
          decoder.push(wire.subarray(offset, offset + size));
          offset += size;
        }
        assert.deepEqual(
          out,
          frames.map((f) => [...f]),
        );
      },
    ),
  );
});

test("the frame decoder refuses a frame above its limit before buffering it", () => {
  const decoder = new LengthPrefixedDecoder(16, () => {});
  const head = Buffer.alloc(4);
  head.writeUInt32LE(17);
  assert.throws(() => decoder.push(head), /frame of 17 bytes exceeds the limit of 16 bytes/);
});
