/**
 * Reads the partitions assigned to one source subtask. A background loop fetches batches (one
 * request per partition leader at a time, at most {@link MAX_QUEUED_RECORDS} records ahead of
 * emission); `pollNext` turns queued records into elements synchronously, a batch-size hint at a
 * time, and advances each split's offset as it emits.
 *
 * Invariant: a split's `offset` moves past a record only in the `pollNext` call that emitted (or,
 * by policy, dropped or dead-lettered) it, so the splits returned by `snapshotState` between two
 * polls are exactly the positions the checkpoint barrier follows. Fetching ahead never moves them.
 * @module
 */

import type { RecordsBatch } from "@platformatic/kafka";
import {
  DroppedRecordLog,
  EventTimeExtension,
  InputStatus,
  type ReaderOutput,
  type SinkWriter,
  type SourceReader,
  type SourceReaderContext,
} from "@weir/api";
import type { KafkaConsumerRecord } from "./kafka-consumer-record.ts";
import type { KafkaDeadLetter } from "./kafka-dead-letter.ts";
import { kafkaErrorText } from "./kafka-error-text.ts";
import type { KafkaPartitionSplit } from "./kafka-partition-split.ts";
import { kafkaSourceMetrics } from "./kafka-source-metrics.ts";
import type { ResolvedKafkaSourceOptions } from "./kafka-source-options.ts";
import { committedBatches, type FetchedPartition, PartitionFetcher } from "./partition-fetcher.ts";

/** How far fetching may run ahead of emission. */
const MAX_QUEUED_RECORDS = 50_000;
const NO_HEADERS: readonly (readonly [string, Buffer | null])[] = [];

interface PartitionState {
  readonly splitId: string;
  readonly topic: string;
  readonly partition: number;
  /** Next offset to emit (the checkpointed position). */
  offset: number;
  /** Next offset to fetch (ahead of `offset`). */
  fetchOffset: number;
  readonly stoppingOffset: number | null;
  finished: boolean;
  /** Largest event timestamp emitted from this partition (watermarks only). */
  maxTimestamp: number;
  /** Processing time of the partition's last record, or of its assignment (idleness). */
  lastActivity: number;
}

/** Fetched batches of one partition, drained across polls. */
interface Chunk {
  readonly state: PartitionState;
  readonly batches: RecordsBatch[];
  readonly endOffset: number;
  readonly records: number;
  batchIndex: number;
  recordIndex: number;
}

interface MutableRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: "CreateTime" | "LogAppendTime";
  leaderEpoch: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly (readonly [string, Buffer | null])[];
}

export class KafkaSourceReader<T> implements SourceReader<T, KafkaPartitionSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #options: ResolvedKafkaSourceOptions<T>;
  readonly #states = new Map<string, PartitionState>();
  readonly #fetcher: PartitionFetcher;
  readonly #record: MutableRecord = {
    topic: "",
    partition: 0,
    offset: 0,
    timestamp: 0,
    timestampType: "CreateTime",
    leaderEpoch: -1,
    key: null,
    value: null,
    headers: NO_HEADERS,
  };
  readonly #dropLog: DroppedRecordLog | undefined;
  #deadLetterWriter: SinkWriter<KafkaDeadLetter, unknown> | undefined;
  #queue: Chunk[] = [];
  #queuedRecords = 0;
  #noMoreSplits = false;
  #closed = false;
  #error: unknown;
  /** A dead letter being made durable: polling waits for it. */
  #blocked: Promise<void> | undefined;
  #available: PromiseWithResolvers<void> | undefined;
  #wakeLoop: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  /** The last event-time watermark emitted, and whether the reader last said it was idle. */
  #watermark = Number.NEGATIVE_INFINITY;
  #pollTime = 0;
  readonly #timestampOf: ((element: T) => number) | undefined;
  #idle = false;
  /** Offsets of checkpoints not yet known complete, to publish to the group when they are. */
  readonly #checkpointOffsets = new Map<number, { topic: string; partition: number; offset: number }[]>();

  constructor(ctx: SourceReaderContext, options: ResolvedKafkaSourceOptions<T>) {
    this.#ctx = ctx;
    this.#options = options;
    this.#fetcher = new PartitionFetcher(
      {
        ...options,
        maxWaitMs: options.fetchMaxWaitMs,
        maxBytesPerPartition: options.fetchMaxBytesPerPartition,
      },
      ctx.indexOfSubtask,
    );
    this.#timestampOf = options.watermarks?.timestamp;
    const policy = options.badRecords;
    if (policy.kind === "drop")
      this.#dropLog = new DroppedRecordLog(options.name, {
        logIntervalMs: policy.logIntervalMs ?? 10_000,
        log: policy.log ?? options.log,
      });
  }

  start(): void {
    this.#ctx.sendSplitRequest();
    this.#loop = this.#run();
  }

  addSplits(splits: readonly KafkaPartitionSplit[]): void {
    for (const split of splits) {
      const state: PartitionState = {
        splitId: split.splitId,
        topic: split.topic,
        partition: split.partition,
        offset: split.offset,
        fetchOffset: split.offset,
        stoppingOffset: split.stoppingOffset,
        finished: split.stoppingOffset !== null && split.offset >= split.stoppingOffset,
        maxTimestamp: Number.NEGATIVE_INFINITY,
        lastActivity: this.#ctx.currentTime(),
      };
      this.#states.set(split.splitId, state);
    }
    this.#wakeLoop?.();
    this.#signal();
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
    this.#signal();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.#error !== undefined) throw this.#error;
    if (this.#blocked !== undefined) return InputStatus.NOTHING_AVAILABLE;
    const limit = Math.max(1, this.#ctx.batchSizeHint);
    if (this.#options.watermarks !== undefined) this.#pollTime = this.#ctx.currentTime();
    let emitted = 0;
    while (emitted < limit && this.#queue.length > 0) {
      const chunk = this.#queue[0]!;
      emitted += this.#drain(chunk, output, limit - emitted);
      if (this.#blocked !== undefined) break;
      if (chunk.batchIndex >= chunk.batches.length) {
        this.#queue.shift();
        this.#queuedRecords -= chunk.records;
        const state = chunk.state;
        if (!state.finished && chunk.endOffset > state.offset) state.offset = chunk.endOffset;
        if (state.stoppingOffset !== null && state.offset >= state.stoppingOffset) {
          state.finished = true;
          state.offset = Math.max(state.offset, state.stoppingOffset);
        }
        if (this.#queuedRecords < MAX_QUEUED_RECORDS / 2) this.#wakeLoop?.();
      }
    }
    if (this.#options.watermarks !== undefined) this.#emitWatermarks(output);
    if (this.#queue.length > 0 && this.#blocked === undefined) return InputStatus.MORE_AVAILABLE;
    if (this.#isAtEnd()) {
      if (this.#options.watermarks !== undefined && this.#watermark !== Number.POSITIVE_INFINITY) {
        this.#watermark = Number.POSITIVE_INFINITY;
        output.emitWatermark(
          EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION.newWatermark(this.#watermark),
        );
      }
      return InputStatus.END_OF_INPUT;
    }
    return InputStatus.NOTHING_AVAILABLE;
  }

  /**
   * Emits the reader's event time: the minimum of its partitions' watermarks, leaving out finished
   * partitions and those idle for `idlenessMs`; a partition that has not had a record yet holds
   * event time back until it turns idle. Only increases are emitted.
   */
  #emitWatermarks(output: ReaderOutput<T>): void {
    const settings = this.#options.watermarks!;
    if (this.#states.size === 0) return;
    const now = this.#ctx.currentTime();
    let min = Number.POSITIVE_INFINITY;
    let active = false;
    for (const state of this.#states.values()) {
      if (state.finished) continue;
      if (settings.idlenessMs !== undefined && now - state.lastActivity >= settings.idlenessMs) continue;
      active = true;
      min = Math.min(min, state.maxTimestamp - settings.maxOutOfOrdernessMs - 1);
    }
    if (!active) {
      if (!this.#idle && !this.#isAtEnd()) {
        this.#idle = true;
        output.emitWatermark(EventTimeExtension.IDLE_STATUS_WATERMARK_DECLARATION.newWatermark(true));
      }
      return;
    }
    if (this.#idle) {
      this.#idle = false;
      output.emitWatermark(EventTimeExtension.IDLE_STATUS_WATERMARK_DECLARATION.newWatermark(false));
    }
    if (min > this.#watermark && Number.isFinite(min)) {
      this.#watermark = min;
      output.emitWatermark(EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION.newWatermark(min));
    }
  }

  #isAtEnd(): boolean {
    if (!this.#noMoreSplits || this.#queue.length > 0) return false;
    for (const state of this.#states.values()) if (!state.finished) return false;
    return true;
  }

  /** Emits up to `limit` records of `chunk`; returns how many. */
  #drain(chunk: Chunk, output: ReaderOutput<T>, limit: number): number {
    const state = chunk.state;
    const stop = state.stoppingOffset;
    const record = this.#record;
    const deserializer = this.#options.deserializer;
    record.topic = state.topic;
    record.partition = state.partition;
    let emitted = 0;
    while (chunk.batchIndex < chunk.batches.length) {
      const batch = chunk.batches[chunk.batchIndex]!;
      const first = Number(batch.firstOffset);
      const firstTimestamp = Number(batch.firstTimestamp);
      const records = batch.records;
      // Attribute bit 3: the batch's timestamps were set by the broker.
      record.timestampType = batch.attributes & 8 ? "LogAppendTime" : "CreateTime";
      record.leaderEpoch = batch.partitionLeaderEpoch;
      while (chunk.recordIndex < records.length) {
        if (emitted >= limit || this.#blocked !== undefined) return emitted;
        const raw = records[chunk.recordIndex++]!;
        const offset = first + raw.offsetDelta;
        if (offset < state.offset || state.finished) continue;
        if (stop !== null && offset >= stop) {
          state.finished = true;
          state.offset = stop;
          chunk.batchIndex = chunk.batches.length;
          return emitted;
        }
        record.offset = offset;
        record.timestamp = firstTimestamp + Number(raw.timestampDelta);
        record.key = raw.key;
        record.value = raw.value;
        record.headers = raw.headers.length === 0 ? NO_HEADERS : decodeHeaders(raw.headers);
        let value: T | undefined;
        try {
          value = deserializer.deserialize(record as KafkaConsumerRecord);
        } catch (error) {
          this.#badRecord(state, offset, error);
          continue;
        }
        state.offset = offset + 1;
        if (value === undefined) continue;
        const timestamp = this.#timestampOf === undefined ? record.timestamp : this.#timestampOf(value);
        output.collectWithTimestamp(value, timestamp);
        if (this.#options.watermarks !== undefined) {
          if (timestamp > state.maxTimestamp) state.maxTimestamp = timestamp;
          state.lastActivity = this.#pollTime;
        }
        emitted++;
      }
      chunk.batchIndex++;
      chunk.recordIndex = 0;
    }
    return emitted;
  }

  #badRecord(state: PartitionState, offset: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const where = `topic ${state.topic} partition ${state.partition} offset ${offset}`;
    const policy = this.#options.badRecords;
    if (policy.kind === "fail") {
      throw new Error(`${this.#options.name}: cannot deserialize the record at ${where}: ${message}`, {
        cause: error,
      });
    }
    if (policy.kind === "drop") {
      kafkaSourceMetrics().droppedRecords++;
      this.#dropLog!.dropped(where, message, Date.now());
      state.offset = offset + 1;
      return;
    }
    const record = this.#record;
    const letter: KafkaDeadLetter = {
      topic: state.topic,
      partition: state.partition,
      offset,
      timestamp: record.timestamp,
      key: record.key === null ? null : record.key.toString("utf8"),
      value: record.value === null ? null : record.value.toString("utf8"),
      valueBase64: record.value === null ? null : record.value.toString("base64"),
      error: message,
    };
    // The split stays before the bad record until its dead letter is durable, so a checkpoint
    // taken meanwhile replays it (at-least-once into the dead-letter sink).
    this.#blocked = this.#deliverDeadLetter(letter).then(
      () => {
        kafkaSourceMetrics().deadLetters++;
        if (state.offset === offset) state.offset = offset + 1;
        this.#blocked = undefined;
        this.#signal();
      },
      (failure: unknown) => {
        this.#error = new Error(
          `${this.#options.name}: writing the dead letter of ${where} failed: ${(failure as Error).message}`,
          { cause: failure },
        );
        this.#blocked = undefined;
        this.#signal();
      },
    );
  }

  async #deliverDeadLetter(letter: KafkaDeadLetter): Promise<void> {
    const policy = this.#options.badRecords;
    if (policy.kind !== "dead-letter") return;
    this.#deadLetterWriter ??= policy.sink.createWriter({
      indexOfSubtask: this.#ctx.indexOfSubtask,
      parallelism: this.#ctx.parallelism,
      attemptNumber: 0,
    });
    const writer = this.#deadLetterWriter;
    await writer.write([letter]);
    await writer.flush(false);
    const committables = (await writer.prepareCommit?.()) ?? [];
    if (committables.length > 0) {
      const committer = policy.sink.createCommitter?.();
      await committer?.commit(committables);
      await committer?.close?.();
    }
  }

  isAvailable(): Promise<void> {
    if (
      this.#error !== undefined ||
      (this.#blocked === undefined && (this.#queue.length > 0 || this.#isAtEnd()))
    )
      return Promise.resolve();
    this.#available ??= Promise.withResolvers<void>();
    return this.#available.promise;
  }

  #signal(): void {
    const available = this.#available;
    this.#available = undefined;
    available?.resolve();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      const active: PartitionState[] = [];
      for (const state of this.#states.values()) {
        if (state.finished) continue;
        if (state.stoppingOffset !== null && state.fetchOffset >= state.stoppingOffset) continue;
        active.push(state);
      }
      if (active.length === 0 || this.#queuedRecords >= MAX_QUEUED_RECORDS) {
        await new Promise<void>((resolve) => {
          this.#wakeLoop = resolve;
        });
        this.#wakeLoop = undefined;
        continue;
      }
      let fetched: FetchedPartition[];
      try {
        fetched = await this.#fetcher.fetch(
          active.map((s) => ({ topic: s.topic, partition: s.partition, offset: s.fetchOffset })),
        );
      } catch (error) {
        if (this.#closed) return;
        this.#error = new Error(
          `${this.#options.name}: fetching ${active.map((s) => `${s.topic}-${s.partition}@${s.fetchOffset}`).join(", ")} failed: ${kafkaErrorText(error)}`,
          { cause: error },
        );
        this.#signal();
        return;
      }
      let added = false;
      for (const partition of fetched) {
        const state = this.#states.get(`${partition.topic}-${partition.partition}`);
        if (state === undefined || state.finished) continue;
        const deliverable = committedBatches(partition, this.#options.readCommitted);
        if (deliverable.endOffset <= state.fetchOffset) continue;
        state.fetchOffset = deliverable.endOffset;
        this.#queue.push({
          state,
          batches: deliverable.batches,
          endOffset: deliverable.endOffset,
          records: deliverable.records,
          batchIndex: 0,
          recordIndex: 0,
        });
        this.#queuedRecords += deliverable.records;
        added = true;
      }
      // With idleness, polls must also happen without records, so idle partitions are noticed.
      if (added || this.#options.watermarks?.idlenessMs !== undefined) this.#signal();
    }
  }

  snapshotState(checkpointId: number): readonly KafkaPartitionSplit[] {
    const splits: KafkaPartitionSplit[] = [];
    for (const s of this.#states.values())
      splits.push({
        splitId: s.splitId,
        topic: s.topic,
        partition: s.partition,
        offset: s.offset,
        stoppingOffset: s.stoppingOffset,
      });
    if (this.#options.commitOffsetsOnCheckpoint)
      this.#checkpointOffsets.set(
        checkpointId,
        splits.map((s) => ({ topic: s.topic, partition: s.partition, offset: s.offset })),
      );
    return splits;
  }

  /**
   * Publishes the offsets of a completed checkpoint to the consumer group, for monitoring and for
   * `startingOffsets: { committed }` of a later job (as Flink does; positions stay in checkpoints).
   * Best effort: a failed commit is logged and the next checkpoint's offsets supersede it.
   */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    let offsets: { topic: string; partition: number; offset: number }[] | undefined;
    for (const [id, list] of this.#checkpointOffsets) {
      if (id > checkpointId) continue;
      offsets = list;
      this.#checkpointOffsets.delete(id);
    }
    if (offsets === undefined || offsets.length === 0 || this.#closed) return;
    const consumer = this.#fetcher.consumer;
    // A commit outside group membership: generation -1 and no member id (Kafka's "simple" commit).
    consumer.generationId = -1;
    consumer.memberId = "";
    try {
      await consumer.commit({
        offsets: offsets.map((o) => ({ ...o, offset: BigInt(o.offset), leaderEpoch: -1 })),
      });
    } catch (error) {
      this.#options.log(
        `${this.#options.name}: committing offsets of checkpoint ${checkpointId} to group ${this.#options.groupId} failed: ${kafkaErrorText(error)}`,
      );
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeLoop?.();
    await this.#fetcher.close();
    await this.#loop?.catch(() => {});
    await this.#deadLetterWriter?.close();
  }
}

function decodeHeaders(headers: readonly [Buffer | null, Buffer | null][]): [string, Buffer | null][] {
  const result: [string, Buffer | null][] = [];
  for (const [name, value] of headers) result.push([name === null ? "" : name.toString("utf8"), value]);
  return result;
}
