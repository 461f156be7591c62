/**
 * Which fetched batches a reader may deliver: control batches never; under read_committed, not
 * the batches of aborted transactions — also when the abort marker comes in a later response or
 * the same producer commits a later transaction.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from "@platformatic/kafka";
import { committedBatches, type FetchedPartition } from "./partition-fetcher.ts";

function batch(
  first: number,
  count: number,
  producerId: bigint,
  flags = 0,
  controlType?: number,
): RecordsBatch {
  const key = controlType === undefined ? null : Buffer.from([0, 0, 0, controlType]);
  return {
    firstOffset: BigInt(first),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: flags,
    lastOffsetDelta: count - 1,
    firstTimestamp: 0n,
    maxTimestamp: 0n,
    producerId,
    producerEpoch: 0,
    firstSequence: 0,
    records: Array.from({ length: count }, (_, i) => ({
      length: 0,
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: i,
      key,
      value: Buffer.from(String(first + i)),
      headers: [],
    })),
  };
}

const TX = IS_TRANSACTIONAL;
const CONTROL = IS_TRANSACTIONAL | IS_CONTROL;
const ABORT = 0;
const COMMIT = 1;

function fetched(
  batches: RecordsBatch[],
  aborted: { producerId: bigint; firstOffset: bigint }[] = [],
): FetchedPartition {
  return { topic: "t", partition: 0, batches, abortedTransactions: aborted };
}

const firstOffsets = (result: ReturnType<typeof committedBatches>) =>
  result.batches.map((b) => Number(b.firstOffset));

test("control batches are never delivered, but count towards the end offset", () => {
  const result = committedBatches(fetched([batch(0, 3, 5n, TX), batch(3, 1, 5n, CONTROL, COMMIT)]), true);
  assert.deepEqual(firstOffsets(result), [0]);
  assert.equal(result.endOffset, 4);
  assert.equal(result.records, 3);
});

test("read_committed drops an aborted transaction and keeps the producer's next committed one", () => {
  const result = committedBatches(
    fetched(
      [
        batch(0, 2, 7n, TX), // aborted
        batch(2, 2, 8n, TX), // another producer, committed
        batch(4, 1, 7n, CONTROL, ABORT),
        batch(5, 1, 8n, CONTROL, COMMIT),
        batch(6, 2, 7n, TX), // producer 7 again, committed later
        batch(8, 1, 7n, CONTROL, COMMIT),
      ],
      [{ producerId: 7n, firstOffset: 0n }],
    ),
    true,
  );
  assert.deepEqual(firstOffsets(result), [2, 6]);
  assert.equal(result.endOffset, 9);
});

test("an aborted transaction whose marker has not arrived yet is still dropped", () => {
  const result = committedBatches(
    fetched([batch(10, 2, 3n, TX), batch(12, 2, 3n, TX)], [{ producerId: 3n, firstOffset: 10n }]),
    true,
  );
  assert.deepEqual(firstOffsets(result), []);
  assert.equal(result.endOffset, 14, "the reader still moves past them");
});

test("read_uncommitted delivers aborted data and skips only control batches", () => {
  const result = committedBatches(
    fetched([batch(0, 2, 7n, TX), batch(2, 1, 7n, CONTROL, ABORT)], [{ producerId: 7n, firstOffset: 0n }]),
    false,
  );
  assert.deepEqual(firstOffsets(result), [0]);
});
