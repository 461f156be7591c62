import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { test } from "node:test";
import { readHello, writeHello } from "./data-handshake.ts";

async function accepting(token: string, send: (socket: Socket) => void) {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const accepted = once(server, "connection") as Promise<[Socket]>;
  const client = connect((server.address() as { port: number }).port, "127.0.0.1");
  await once(client, "connect");
  send(client);
  const [socket] = await accepted;
  try {
    return await readHello(socket, token);
  } finally {
    client.destroy();
    server.close();
  }
}

test("a peer with the attempt's token is accepted; bytes after the hello are kept for the channel", async () => {
  const hello = await accepting("t0ken", (socket) => {
    writeHello(socket, 3, "t0ken");
    socket.write(Buffer.from([1, 2, 3]));
  });
  assert.equal(hello.slot, 3);
  // The trailing bytes may arrive with the hello or after it; what came with it is handed over.
  assert.ok([0, 3].includes(hello.leftover.length));
});

test("a wrong token, a missing token, garbage and an oversized hello are refused", async () => {
  await assert.rejects(
    accepting("right", (s) => writeHello(s, 1, "wrong")),
    /wrong data token/,
  );
  await assert.rejects(
    accepting("right", (s) => {
      const body = Buffer.from(JSON.stringify({ slot: 1 }));
      const head = Buffer.alloc(4);
      head.writeUInt32LE(body.length);
      s.write(Buffer.concat([head, body]));
    }),
    /wrong data token/,
  );
  await assert.rejects(
    accepting("right", (s) => s.write(Buffer.from([3, 0, 0, 0, 0x7b, 0x7b, 0x7b]))),
    /hello is not JSON/,
  );
  await assert.rejects(
    accepting("right", (s) => s.write(Buffer.from([0, 0, 1, 0]))),
    /hello too large/,
  );
  await assert.rejects(
    accepting("right", (s) => s.end()),
    /closed before its hello/,
  );
});
