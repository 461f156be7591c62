/**
 * The first frame of every data connection between slots of different TaskManagers: the sending
 * slot's number and the attempt's data token. A connection without the right token is closed
 * before any of its bytes reach a channel, so only slots the JobManager deployed can feed data in.
 *
 * Example: slot 1 connecting to slot 3 writes `{"slot":1,"token":"9f…"}` (length-prefixed), then
 * data frames; slot 3 checks the token, then treats every later byte as slot 1's frames.
 * @module
 */

import { timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";
import { LENGTH_PREFIX_BYTES, lengthPrefix } from "../exchange/length-prefixed-frames.ts";

const MAX_HELLO_BYTES = 1024;
const HELLO_TIMEOUT_MS = 10_000;

export function writeHello(socket: Socket, slot: number, token: string): void {
  const body = Buffer.from(JSON.stringify({ slot, token }));
  socket.write(Buffer.concat([lengthPrefix(body.length), body]));
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Reads the hello of an accepted connection. Resolves with the peer's slot and the bytes read past
 * the hello; rejects (and destroys the socket) on a bad or missing hello or a wrong token.
 */
export function readHello(socket: Socket, token: string): Promise<{ slot: number; leftover: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const fail = (reason: string) => {
      cleanup();
      socket.destroy();
      reject(new Error(`refused a data connection from ${socket.remoteAddress}: ${reason}`));
    };
    const timer = setTimeout(() => fail("no hello in time"), HELLO_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < LENGTH_PREFIX_BYTES) return;
      const length = buffered.readUInt32LE(0);
      if (length > MAX_HELLO_BYTES) return fail("hello too large");
      if (buffered.length < LENGTH_PREFIX_BYTES + length) return;
      let hello: { slot?: unknown; token?: unknown };
      try {
        hello = JSON.parse(buffered.subarray(LENGTH_PREFIX_BYTES, LENGTH_PREFIX_BYTES + length).toString());
      } catch {
        return fail("hello is not JSON");
      }
      if (typeof hello.token !== "string" || !tokensEqual(hello.token, token))
        return fail("wrong data token");
      if (typeof hello.slot !== "number" || !Number.isInteger(hello.slot))
        return fail("hello without a slot");
      cleanup();
      resolve({ slot: hello.slot, leftover: buffered.subarray(LENGTH_PREFIX_BYTES + length) });
    };
    const onClose = () => fail("closed before its hello");
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
    };
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.on("error", () => {});
  });
}
