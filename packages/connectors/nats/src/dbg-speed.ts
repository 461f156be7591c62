import { InputStatus } from "@weir/api";
import { NatsSource } from "./nats-source.ts";
import { NatsDeserializers } from "./nats-message.ts";
import { createTestStream, NATS_URL } from "./testing/nats-test-streams.ts";
const s = await createTestStream("SPEED");
const N = 50000;
for (let k = 0; k < N; k += 2000) await s.publish(`${s.subject}.a`, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i: k + i })));
const source = new NatsSource({ servers: NATS_URL, stream: s.name, durableName: "x", bounded: true, startFrom: { kind: "all" }, deserializer: NatsDeserializers.json() });
const assigned: any[] = [];
const en = source.createEnumerator({ parallelism: 1, registeredReaders: () => [0], assignSplits: (_s, sp) => assigned.push(...sp), signalNoMoreSplits: () => {} });
await en.start(); en.handleSplitRequest(0);
const reader = source.createReader({ indexOfSubtask: 0, parallelism: 1, batchSizeHint: 500, sendSplitRequest() {}, currentTime: () => Date.now() });
reader.start(); reader.addSplits(assigned); reader.notifyNoMoreSplits();
let n = 0; const out = { collect() { n++; }, collectWithTimestamp() { n++; }, emitWatermark() {} };
const t0 = performance.now(); let waits = 0;
for (;;) { const st = reader.pollNext(out as any); if (st === InputStatus.END_OF_INPUT) break; if (st === InputStatus.NOTHING_AVAILABLE) { waits++; await reader.isAvailable(); } }
console.log(n, "records in", ((performance.now() - t0) / 1000).toFixed(2), "s; waits", waits);
await reader.close(); await s.close();
