/**
 * One control-plane connection between the JobManager and a TaskManager: messages as msgpack
 * values (Maps, typed arrays and bigints survive, as state snapshots need), one length-prefixed
 * frame each, delivered in order. Data never travels here; it uses the slots' own connections.
 *
 * Invariant: a connection reports `closed` exactly once, whatever ended it (peer gone, bad frame,
 * local close), so the owner's cleanup runs once.
 * @module
 */

import type { Socket } from "node:net";
import { Packr, Unpackr } from "msgpackr";
import { LengthPrefixedDecoder, lengthPrefix } from "../exchange/length-prefixed-frames.ts";

/** A control message above this size is refused (large snapshots ride here: keep it generous). */
export const MAX_CONTROL_FRAME_BYTES = 512 * 1024 * 1024;

const codecOptions = { moreTypes: true, useBigIntExtension: true, structuredClone: true } as const;
const packr = new Packr(codecOptions);
const unpackr = new Unpackr(codecOptions);

export class ControlConnection<In, Out> {
  readonly socket: Socket;
  #onMessage: (message: In) => void = () => {};
  #onClosed: (reason: string) => void = () => {};
  #closed = false;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    const decoder = new LengthPrefixedDecoder(MAX_CONTROL_FRAME_BYTES, (frame) => {
      if (this.#closed) return;
      this.#onMessage(unpackr.unpack(frame) as In);
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch (error) {
        this.close(`bad control frame: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    socket.on("error", (error) => this.#end(`connection error: ${error.message}`));
    socket.on("close", () => this.#end("connection closed"));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sets the handlers; a handler that throws closes the connection with its message. */
  listen(onMessage: (message: In) => void, onClosed: (reason: string) => void): void {
    this.#onMessage = (message) => {
      try {
        onMessage(message);
      } catch (error) {
        this.close(error instanceof Error ? error.message : String(error));
      }
    };
    this.#onClosed = onClosed;
  }

  send(message: Out): void {
    if (this.#closed) return;
    const body = packr.pack(message);
    this.socket.write(Buffer.concat([lengthPrefix(body.length), body]));
  }

  close(reason: string): void {
    this.#end(reason);
    this.socket.destroy();
  }

  #end(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClosed(reason);
  }
}
