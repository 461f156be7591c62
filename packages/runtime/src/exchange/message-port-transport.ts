/**
 * Cross-thread transport over a `MessagePort` shared by two slots. Batches are encoded into one
 * binary frame each and transferred (not copied) to the peer thread. A MessagePort keeps message
 * order, which is what keeps events in order with the data around them.
 * @module
 */

import type { MessagePort } from "node:worker_threads";
import { encodeBatch } from "../codec/batch-codec.ts";
import type { Batch, BatchWatermark } from "./batch.ts";
import type { ChannelEvent } from "./channel-event.ts";
import type { FrameSink, Transport } from "./transport.ts";

const DATA = 0;
const EVENT = 1;
const CREDIT = 2;

type Frame =
  | {
      readonly t: typeof DATA;
      readonly ch: number;
      readonly bytes: Uint8Array;
      readonly wm: BatchWatermark[] | null;
    }
  | { readonly t: typeof EVENT; readonly ch: number; readonly event: ChannelEvent }
  | { readonly t: typeof CREDIT; readonly ch: number; readonly n: number };

export class MessagePortTransport implements Transport {
  readonly #port: MessagePort;

  constructor(port: MessagePort, sink: FrameSink, onError: (error: unknown) => void) {
    this.#port = port;
    port.on("message", (frame: Frame) => {
      try {
        switch (frame.t) {
          case DATA:
            sink.onBatch(
              frame.ch,
              frame.wm === null ? frame.bytes : { bytes: frame.bytes, watermarks: frame.wm },
            );
            break;
          case EVENT:
            sink.onEvent(frame.ch, frame.event);
            break;
          case CREDIT:
            sink.onCredit(frame.ch, frame.n);
            break;
        }
      } catch (error) {
        onError(error);
      }
    });
  }

  sendBatch(channel: number, batch: Batch): void {
    const bytes = encodeBatch(batch.records, batch.count, batch.timestamps);
    const frame: Frame = { t: DATA, ch: channel, bytes, wm: batch.watermarks };
    this.#port.postMessage(frame, [bytes.buffer as ArrayBuffer]);
  }

  sendEvent(channel: number, event: ChannelEvent): void {
    const frame: Frame = { t: EVENT, ch: channel, event };
    this.#port.postMessage(frame);
  }

  sendCredit(channel: number, credits: number): void {
    const frame: Frame = { t: CREDIT, ch: channel, n: credits };
    this.#port.postMessage(frame);
  }

  close(): void {
    this.#port.close();
  }
}
