/**
 * The test broker launcher: a real KRaft broker starts (jars fetched once into the cache), serves
 * topic creation, and is gone after `stop()`.
 */

import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { Admin } from "@platformatic/kafka";
import { startKafkaBroker } from "./kafka-broker.ts";

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("a broker starts, creates topics, and is gone after stop", async () => {
  const broker = await startKafkaBroker();
  try {
    const admin = new Admin({ clientId: "t", bootstrapBrokers: [broker.bootstrapServers] });
    try {
      const created = await admin.createTopics({ topics: ["a"], partitions: 3, replicas: 1 });
      assert.equal(created[0]?.partitions, 3);
    } finally {
      await admin.close();
    }
  } finally {
    await broker.stop();
  }
  assert.equal(await accepts(broker.port), false, "nothing listens on the port any more");
});
