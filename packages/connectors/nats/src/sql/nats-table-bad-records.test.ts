/**
 * The `nats` table's bad-record policies counted in this thread's `natsSourceMetrics()`: the SQL
 * source built by the connector, read by one reader here (the mini-cluster runs tasks in worker
 * threads, whose counters a SQL-level test cannot see; tests/src/nats/nats-sql.test.ts covers the
 * same options end to end). Needs NATS JetStream at NATS_URL.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { type ExecutionEnvironment, InputStatus, type Source, type SourceReader } from "@weir/api";
import type { ResolvedTable, RowData, SourceContext } from "@weir/sql";
import { natsSourceMetrics } from "../nats-source.ts";
import { createTestStream, NATS_URL, type TestStream } from "../testing/nats-test-streams.ts";
import { natsConnector } from "./nats-table-connector.ts";

const BIGINT = { kind: "BIGINT", nullable: true } as const;

/** The connector's source for a `(id BIGINT)` json table with these extra options. */
function tableSource(
  s: TestStream,
  durable: string,
  extra: Record<string, string>,
): Source<RowData, never, never> {
  const options = {
    connector: "nats",
    servers: NATS_URL,
    stream: s.name,
    subject: `${s.subject}.in`,
    "consumer.durable-name": durable,
    "scan.startup.mode": "all",
    "scan.bounded": "true",
    format: "json",
    ...extra,
  };
  const table = {
    kind: "table",
    name: "t",
    columns: [{ kind: "physical", name: "id", type: BIGINT }],
    watermark: null,
    primaryKey: null,
    partitionKeys: [],
    options,
    temporary: false,
  } as unknown as ResolvedTable;
  let captured: Source<RowData, never, never> | undefined;
  const env = {
    fromSource(source: Source<RowData, never, never>) {
      captured = source;
      return {};
    },
  } as unknown as ExecutionEnvironment;
  const physicalType: SourceContext["physicalType"] = {
    kind: "ROW",
    nullable: false,
    fields: [{ name: "id", type: BIGINT }],
  };
  const context: SourceContext = {
    table,
    physicalType,
    metadata: [],
    projectedFields: null,
    env,
    config: new Map(),
  };
  assert.ok(natsConnector.createSource !== undefined);
  natsConnector.createSource(context).createStream();
  assert.ok(captured !== undefined);
  return captured;
}

/** Reads every split of the bounded source in this thread; returns the `id`s read. */
async function readAll(source: Source<RowData, never, never>): Promise<unknown[]> {
  const assigned: never[] = [];
  const enumerator = source.createEnumerator({
    parallelism: 1,
    registeredReaders: () => [0],
    assignSplits: (_subtask, splits) => assigned.push(...splits),
    signalNoMoreSplits: () => {},
  });
  await enumerator.start();
  const reader: SourceReader<RowData, never> = source.createReader({
    indexOfSubtask: 0,
    parallelism: 1,
    batchSizeHint: 10,
    sendSplitRequest: () => {},
    currentTime: () => Date.now(),
  });
  const ids: unknown[] = [];
  const output = {
    collect: (row: RowData) => ids.push(row.fields[0]),
    collectWithTimestamp: (row: RowData) => ids.push(row.fields[0]),
    emitWatermark: () => {},
  };
  try {
    await reader.start();
    enumerator.handleSplitRequest(0);
    reader.addSplits(assigned);
    reader.notifyNoMoreSplits();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const status = reader.pollNext(output);
      if (status === InputStatus.END_OF_INPUT) return ids;
      if (Date.now() > deadline) throw new Error(`timed out after ${ids.length} rows`);
      if (status === InputStatus.NOTHING_AVAILABLE)
        await Promise.race([reader.isAvailable(), new Promise((r) => setTimeout(r, 50))]);
    }
  } finally {
    await reader.close();
  }
}

const MESSAGES = ['{"id":1}', "{broken", '{"id":2}', "[also broken", '{"id":3}'];

test("drop (explicit or by json.ignore-parse-errors) skips malformed messages, counted in droppedRecords", async () => {
  const s = await createTestStream("SQLMDROP");
  try {
    await s.publish(`${s.subject}.in`, MESSAGES);
    const quiet = console.warn;
    console.warn = () => {};
    try {
      for (const [i, extra] of [
        { "bad-records.policy": "drop" },
        { "json.ignore-parse-errors": "true" },
      ].entries()) {
        const before = natsSourceMetrics().droppedRecords;
        assert.deepEqual(await readAll(tableSource(s, `d${i}`, extra)), [1n, 2n, 3n]);
        assert.equal(natsSourceMetrics().droppedRecords - before, 2, JSON.stringify(extra));
      }
    } finally {
      console.warn = quiet;
    }
  } finally {
    await s.close();
  }
});

test("dead-letter publishes each malformed message to the subject, counted in deadLetters", async () => {
  const s = await createTestStream("SQLMDLQ");
  try {
    await s.publish(`${s.subject}.in`, MESSAGES);
    const before = natsSourceMetrics().deadLetters;
    const source = tableSource(s, "dl", {
      "bad-records.policy": "dead-letter",
      "bad-records.dead-letter.subject": `${s.subject}.dlq`,
    });
    assert.deepEqual(await readAll(source), [1n, 2n, 3n]);
    assert.equal(natsSourceMetrics().deadLetters - before, 2);
    const letters = (await s.readAll())
      .filter((m) => m.subject === `${s.subject}.dlq`)
      .map((m) => JSON.parse(new TextDecoder().decode(m.data)) as { sequence: number; data: string });
    assert.deepEqual(
      letters.map((l) => [l.sequence, l.data]),
      [
        [2, "{broken"],
        [4, "[also broken"],
      ],
    );
  } finally {
    await s.close();
  }
});

test("fail (the default) fails naming stream, subject and sequence", async () => {
  const s = await createTestStream("SQLMFAIL");
  try {
    await s.publish(`${s.subject}.in`, MESSAGES);
    await assert.rejects(
      readAll(tableSource(s, "f", {})),
      new RegExp(`stream '${s.name}' subject '${s.subject}.in' sequence 2: invalid JSON`),
    );
  } finally {
    await s.close();
  }
});
