/**
 * Cross-process transport over one TCP connection between two slots (in different TaskManagers).
 * The protocol is the one the threads use, in binary: batches (the batch codec's frame, watermarks
 * alongside), in-band events and credits, each one length-prefixed frame, so per-channel order is
 * the connection's byte order and barriers stay behind the records sent before them.
 *
 * Frame body (after the u32 length), little-endian:
 *
 *   u8 kind   0 = batch, 1 = event, 2 = credit
 *   f64 channel id (ids can exceed 2^32)
 *   batch:  u32 watermark bytes W, W bytes of msgpack watermarks (W = 0: none), the batch frame
 *   event:  u8 event (0 = end-of-partition, 1 = barrier), f64 checkpoint id, u8 barrier flags
 *           (bit 0 unaligned, bit 1 aligned timeout present), f64 aligned timeout ms, f64
 *           triggered-at epoch ms (zeros for end-of-partition)
 *   credit: u32 credits
 *
 * Frames sent before the socket is attached (the peer has not connected yet) are queued and
 * written on attach, in order. Credit-based flow control bounds what a channel has in flight, so
 * the socket's buffer stays bounded without consulting its own backpressure.
 * @module
 */

import type { Socket } from "node:net";
import { Packr } from "msgpackr";
import { encodeBatch } from "../codec/batch-codec.ts";
import type { Batch, BatchWatermark } from "./batch.ts";
import { barrier, type ChannelEvent, END_OF_PARTITION } from "./channel-event.ts";
import { LengthPrefixedDecoder } from "./length-prefixed-frames.ts";
import type { FrameSink, Transport } from "./transport.ts";

const BATCH = 0;
const EVENT = 1;
const CREDIT = 2;
const EVENT_END = 0;
const EVENT_BARRIER = 1;
const BARRIER_UNALIGNED = 0b01;
const BARRIER_TIMEOUT = 0b10;
const BARRIER_SUSPEND = 0b100;
/** Event body: kind, checkpoint id, barrier flags, aligned timeout, triggered-at. */
const EVENT_BYTES = 26;
/** Kind + channel. */
const HEAD_BYTES = 9;
/** A batch frame larger than this is refused (a batch of 1024 records rarely passes a few MiB). */
export const MAX_DATA_FRAME_BYTES = 256 * 1024 * 1024;

const watermarkCodec = new Packr({ useRecords: false });

export class TcpTransport implements Transport {
  readonly #sink: FrameSink;
  readonly #onError: (error: unknown) => void;
  readonly #decoder: LengthPrefixedDecoder;
  #socket: Socket | undefined;
  #queued: Buffer[] = [];
  #closed = false;

  constructor(sink: FrameSink, onError: (error: unknown) => void) {
    this.#sink = sink;
    this.#onError = onError;
    this.#decoder = new LengthPrefixedDecoder(MAX_DATA_FRAME_BYTES, (frame) => this.#receive(frame));
  }

  /**
   * Connects the transport to its socket. `leftover` holds bytes already read past the handshake.
   * A socket that ends or fails while the transport is open fails the slot's tasks.
   */
  attach(socket: Socket, leftover?: Buffer): void {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#feed(chunk));
    socket.on("error", (error) => {
      if (!this.#closed) this.#onError(error);
    });
    socket.on("close", () => {
      if (!this.#closed) this.#onError(new Error("the connection to a peer slot closed"));
    });
    if (leftover !== undefined && leftover.length > 0) this.#feed(leftover);
    const queued = this.#queued;
    this.#queued = [];
    for (const buffer of queued) socket.write(buffer);
  }

  #feed(chunk: Buffer): void {
    try {
      this.#decoder.push(chunk);
    } catch (error) {
      this.#onError(error);
      this.#socket?.destroy();
    }
  }

  #receive(frame: Buffer): void {
    const kind = frame[0];
    const channel = frame.readDoubleLE(1);
    switch (kind) {
      case BATCH: {
        const watermarkBytes = frame.readUInt32LE(HEAD_BYTES);
        const start = HEAD_BYTES + 4;
        const bytes = frame.subarray(start + watermarkBytes);
        if (watermarkBytes === 0) this.#sink.onBatch(channel, bytes);
        else {
          const watermarks = watermarkCodec.unpack(
            frame.subarray(start, start + watermarkBytes),
          ) as BatchWatermark[];
          this.#sink.onBatch(channel, { bytes, watermarks });
        }
        return;
      }
      case EVENT: {
        const event = frame[HEAD_BYTES];
        if (event === EVENT_END) this.#sink.onEvent(channel, END_OF_PARTITION);
        else if (event === EVENT_BARRIER) {
          const flags = frame[HEAD_BYTES + 9]!;
          const timeout = frame.readDoubleLE(HEAD_BYTES + 10);
          const triggeredAt = frame.readDoubleLE(HEAD_BYTES + 18);
          this.#sink.onEvent(
            channel,
            barrier(frame.readDoubleLE(HEAD_BYTES + 1), {
              ...((flags & BARRIER_UNALIGNED) !== 0 ? { unaligned: true } : {}),
              ...((flags & BARRIER_TIMEOUT) !== 0 ? { alignedTimeoutMs: timeout } : {}),
              ...((flags & BARRIER_SUSPEND) !== 0 ? { suspend: true } : {}),
              ...(triggeredAt !== 0 ? { triggeredAt } : {}),
            }),
          );
        } else throw new Error(`unknown channel event ${event} in a frame from a peer slot`);
        return;
      }
      case CREDIT:
        this.#sink.onCredit(channel, frame.readUInt32LE(HEAD_BYTES));
        return;
      default:
        throw new Error(`unknown frame kind ${kind} from a peer slot`);
    }
  }

  sendBatch(channel: number, batch: Batch): void {
    const bytes = encodeBatch(batch.records, batch.count, batch.timestamps);
    const watermarks = batch.watermarks === null ? undefined : watermarkCodec.pack(batch.watermarks);
    const watermarkBytes = watermarks?.length ?? 0;
    const head = Buffer.allocUnsafe(4 + HEAD_BYTES + 4);
    head.writeUInt32LE(HEAD_BYTES + 4 + watermarkBytes + bytes.byteLength, 0);
    head[4] = BATCH;
    head.writeDoubleLE(channel, 5);
    head.writeUInt32LE(watermarkBytes, 4 + HEAD_BYTES);
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#write(
      watermarks === undefined ? Buffer.concat([head, body]) : Buffer.concat([head, watermarks, body]),
    );
  }

  sendEvent(channel: number, event: ChannelEvent): void {
    const frame = Buffer.alloc(4 + HEAD_BYTES + EVENT_BYTES);
    frame.writeUInt32LE(HEAD_BYTES + EVENT_BYTES, 0);
    frame[4] = EVENT;
    frame.writeDoubleLE(channel, 5);
    const at = 4 + HEAD_BYTES;
    frame[at] = event.kind === "barrier" ? EVENT_BARRIER : EVENT_END;
    if (event.kind === "barrier") {
      frame.writeDoubleLE(event.checkpointId, at + 1);
      frame[at + 9] =
        (event.unaligned === true ? BARRIER_UNALIGNED : 0) |
        (event.alignedTimeoutMs !== undefined ? BARRIER_TIMEOUT : 0) |
        (event.suspend === true ? BARRIER_SUSPEND : 0);
      frame.writeDoubleLE(event.alignedTimeoutMs ?? 0, at + 10);
      frame.writeDoubleLE(event.triggeredAt ?? 0, at + 18);
    }
    this.#write(frame);
  }

  sendCredit(channel: number, credits: number): void {
    const frame = Buffer.allocUnsafe(4 + HEAD_BYTES + 4);
    frame.writeUInt32LE(HEAD_BYTES + 4, 0);
    frame[4] = CREDIT;
    frame.writeDoubleLE(channel, 5);
    frame.writeUInt32LE(credits, 4 + HEAD_BYTES);
    this.#write(frame);
  }

  #write(frame: Buffer): void {
    if (this.#closed) return;
    if (this.#socket === undefined) this.#queued.push(frame);
    else this.#socket.write(frame);
  }

  /** Ends the connection after what was written so far; later frames are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queued = [];
    this.#socket?.end();
  }
}
