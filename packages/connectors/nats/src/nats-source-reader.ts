/**
 * Reads a subtask's NATS splits. Each split runs a background pull loop that fills a buffer; the
 * mailbox thread drains buffers in `pollNext` without blocking. Invariants: a split emits stream
 * sequences in increasing order, never one at or below the last it emitted (server redeliveries
 * are skipped); the last emitted message of each split at a checkpoint is acknowledged (ack-all)
 * only when that checkpoint completes; a malformed message is handled by the bad-record policy
 * before any later message of its split is emitted.
 * @module
 */

import {
  AckPolicy,
  type Consumer,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  DroppedRecordLog,
  InputStatus,
  type ReaderOutput,
  type SinkWriter,
  type SourceReader,
  type SourceReaderContext,
} from "@weir/api";
import { connectNats } from "./nats-connection.ts";
import type { NatsDeadLetter, NatsMessage } from "./nats-message.ts";
import type { NatsSourceConfig, NatsSplit } from "./nats-source.ts";

/** Buffered messages per split before its pull loop waits for the reader to catch up. */
const HIGH_WATER_FACTOR = 4;
const FETCH_EXPIRES_MS = 1000;

/** The reusable message view handed to the deserializer (see `nats-message.ts`). */
interface MutableMessage {
  stream: string;
  subject: string;
  sequence: number;
  timestamp: number;
  data: Uint8Array;
  headers: ReadonlyMap<string, readonly string[]> | null;
  redelivered: boolean;
}

class SplitState {
  readonly split: NatsSplit;
  buffer: JsMsg[] = [];
  /** Index of the next buffered message to emit. */
  next = 0;
  /** Highest stream sequence emitted; 0 before the first. */
  lastEmitted: number;
  /** The message to ack when a checkpoint covering `lastEmitted` completes. */
  lastMessage: JsMsg | null = null;
  /** The pull loop saw the end (bounded mode). */
  exhausted = false;
  done = false;
  consumer: Consumer | null = null;
  /** Wakes the pull loop when the reader drained the buffer. */
  drained: (() => void) | null = null;
  readonly view: MutableMessage;

  constructor(split: NatsSplit) {
    this.split = split;
    this.lastEmitted = split.position === null ? 0 : split.position - 1;
    this.view = {
      stream: split.stream,
      subject: "",
      sequence: 0,
      timestamp: 0,
      data: new Uint8Array(0),
      headers: null,
      redelivered: false,
    };
  }

  get buffered(): number {
    return this.buffer.length - this.next;
  }
}

export class NatsSourceReader<T> implements SourceReader<T, NatsSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #config: NatsSourceConfig<T>;
  readonly #splits: SplitState[] = [];
  #noMoreSplits = false;
  #closed = false;
  #error: Error | null = null;
  /** One connection per split: concurrent pulls on one connection starve each other. */
  readonly #connections: Promise<NatsConnection>[] = [];
  #wake: (() => void) | null = null;
  #available: Promise<void> | null = null;
  /** A dead letter being written; polling waits for it. */
  #paused: Promise<void> | null = null;
  readonly #pendingAcks = new Map<number, JsMsg[]>();
  readonly #dropLog: DroppedRecordLog | null;
  #deadLetters: SinkWriter<NatsDeadLetter, unknown> | null = null;
  readonly #collect: (record: T) => void;
  #output: ReaderOutput<T> | null = null;
  #emitted = 0;

  constructor(ctx: SourceReaderContext, config: NatsSourceConfig<T>) {
    this.#ctx = ctx;
    this.#config = config;
    const policy = config.badRecords;
    this.#dropLog = policy.kind === "drop" ? new DroppedRecordLog(config.name, policy) : null;
    this.#collect = (record) => {
      this.#output!.collectWithTimestamp(record, this.#currentTimestamp);
      this.#emitted++;
    };
  }

  #currentTimestamp = 0;

  start(): void {
    this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly NatsSplit[]): void {
    for (const split of splits) {
      const state = new SplitState(split);
      this.#splits.push(state);
      if (split.stopAt !== null && state.lastEmitted >= split.stopAt) {
        state.exhausted = true;
        continue;
      }
      void this.#pull(state).catch((error: unknown) => this.#fail(error as Error));
    }
    this.#signal();
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
    this.#signal();
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#error ??= error;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = null;
    this.#available = null;
    wake?.();
  }

  isAvailable(): Promise<void> {
    if (this.#paused !== null) return this.#paused;
    this.#available ??= new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    // Something may have arrived between the last poll and this call.
    if (this.#error !== null || this.#splits.some((s) => s.buffered > 0 || (s.exhausted && !s.done)))
      this.#signal();
    return this.#available ?? Promise.resolve();
  }

  #connect(split: NatsSplit): Promise<NatsConnection> {
    const connection = connectNats(
      this.#config.servers,
      `${this.#config.name} ${split.splitId} (subtask ${this.#ctx.indexOfSubtask})`,
    );
    this.#connections.push(connection);
    return connection;
  }

  /** Creates (or binds to) the split's durable consumer at the position its state calls for. */
  async #openConsumer(state: SplitState, nc: NatsConnection, jsm: JetStreamManager): Promise<Consumer> {
    const { split } = state;
    const config: Partial<ConsumerConfig> = {
      durable_name: split.durableName,
      ack_policy: AckPolicy.All,
      ack_wait: this.#config.ackWaitMs * 1_000_000,
      max_ack_pending: this.#config.maxAckPending,
      ...(split.filterSubject === null ? {} : { filter_subject: split.filterSubject }),
    };
    const start = this.#config.startFrom;
    let existing = false;
    try {
      await jsm.consumers.info(split.stream, split.durableName);
      existing = true;
    } catch (error) {
      if (!/consumer not found/i.test((error as Error).message)) {
        if (/stream not found/i.test((error as Error).message))
          throw new Error(`${this.#config.name}: stream '${split.stream}' does not exist`);
        throw error;
      }
    }
    if (split.position === null && start.kind === "resume" && existing) {
      return jetstream(nc).consumers.get(split.stream, split.durableName);
    }
    if (existing) await jsm.consumers.delete(split.stream, split.durableName);
    if (split.position !== null)
      Object.assign(config, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: split.position });
    else if (start.kind === "sequence")
      Object.assign(config, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start.sequence });
    else if (start.kind === "time")
      Object.assign(config, {
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: new Date(start.timeMs).toISOString(),
      });
    else if (start.kind === "new") config.deliver_policy = DeliverPolicy.New;
    else config.deliver_policy = DeliverPolicy.All;
    await jsm.consumers.add(split.stream, config);
    return jetstream(nc).consumers.get(split.stream, split.durableName);
  }

  async #pull(state: SplitState): Promise<void> {
    const nc = await this.#connect(state.split);
    const jsm = await jetstreamManager(nc);
    const consumer = await this.#openConsumer(state, nc, jsm);
    state.consumer = consumer;
    const highWater = this.#config.fetchBatchSize * HIGH_WATER_FACTOR;
    const stopAt = state.split.stopAt;
    while (!this.#closed && !state.exhausted) {
      if (state.buffered >= highWater) {
        await new Promise<void>((resolve) => {
          state.drained = resolve;
        });
        continue;
      }
      // Bounded splits end at the message with sequence stopAt (the split's last match at start).
      const messages = await consumer.fetch({
        max_messages: this.#config.fetchBatchSize,
        expires: FETCH_EXPIRES_MS,
      });
      let received = 0;
      try {
        for await (const message of messages) {
          if (state.next > 0 && state.next === state.buffer.length) {
            state.buffer = [];
            state.next = 0;
          }
          state.buffer.push(message);
          if (stopAt !== null && message.seq >= stopAt) state.exhausted = true;
          received++;
          // Wake a waiting reader at once; a busy one finds the message on its next poll.
          if (this.#wake !== null) this.#signal();
        }
      } catch (error) {
        // A busy task thread can miss the pull's idle heartbeats; the messages received so far
        // are fine and the next pull continues after them.
        if (!/heartbeats missed/i.test((error as Error).message)) throw error;
      }
      if (received > 0) this.#signal();
      else if (stopAt !== null) {
        // Safety net when stopAt could not be pinned to the split's last match: an empty pull
        // with nothing pending means the end.
        const info = await jsm.consumers.info(state.split.stream, state.split.durableName);
        if (info.num_pending === 0) {
          state.exhausted = true;
          this.#signal();
        }
      }
    }
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.#error !== null) throw this.#error;
    if (this.#paused !== null) return InputStatus.NOTHING_AVAILABLE;
    this.#output = output;
    const budget = this.#ctx.batchSizeHint;
    this.#emitted = 0;
    let more = false;
    for (const state of this.#splits) {
      if (state.done) continue;
      this.#drain(state, budget);
      if (this.#paused !== null) return InputStatus.NOTHING_AVAILABLE;
      if (state.buffered > 0) more = true;
      else if (state.exhausted) state.done = true;
    }
    // Unbounded, a reader without splits idles rather than ends, so checkpoints keep covering it.
    if (!more && this.#noMoreSplits && this.#config.bounded && this.#splits.every((s) => s.done))
      return InputStatus.END_OF_INPUT;
    return more ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  #drain(state: SplitState, budget: number): void {
    const stopAt = state.split.stopAt;
    const view = state.view;
    const deserializer = this.#config.deserializer;
    while (state.next < state.buffer.length && this.#emitted < budget) {
      const message = state.buffer[state.next++]!;
      const sequence = message.seq;
      if (message.redelivered) this.#config.metrics.redeliveredMessages++;
      if (sequence <= state.lastEmitted) {
        this.#config.metrics.skippedRedeliveries++;
        continue;
      }
      if (stopAt !== null && sequence > stopAt) {
        state.next = state.buffer.length;
        state.exhausted = true;
        break;
      }
      view.subject = message.subject;
      view.sequence = sequence;
      view.timestamp = Math.floor(message.info.timestampNanos / 1_000_000);
      view.data = message.data;
      view.headers = message.headers === undefined ? null : headerMap(message);
      view.redelivered = message.redelivered;
      this.#currentTimestamp = view.timestamp;
      state.lastEmitted = sequence;
      state.lastMessage = message;
      try {
        deserializer.deserialize(view, this.#collect);
      } catch (error) {
        this.#badRecord(view, error as Error);
        if (this.#paused !== null) break;
      }
    }
    if (state.drained !== null && state.buffered < this.#config.fetchBatchSize) {
      const drained = state.drained;
      state.drained = null;
      drained();
    }
  }

  #badRecord(message: NatsMessage, error: Error): void {
    const where = `stream '${message.stream}' subject '${message.subject}' sequence ${message.sequence}`;
    const policy = this.#config.badRecords;
    if (policy.kind === "fail")
      throw new Error(`${this.#config.name}: cannot deserialize the message at ${where}: ${error.message}`, {
        cause: error,
      });
    if (policy.kind === "drop") {
      this.#config.metrics.droppedRecords++;
      this.#dropLog!.dropped(where, error.message, this.#ctx.currentTime());
      return;
    }
    const letter: NatsDeadLetter = {
      stream: message.stream,
      subject: message.subject,
      sequence: message.sequence,
      timestamp: message.timestamp,
      data: new TextDecoder().decode(message.data),
      dataBase64: Buffer.from(message.data).toString("base64"),
      error: error.message,
    };
    this.#paused = this.#writeDeadLetter(letter).then(
      () => {
        this.#config.metrics.deadLetters++;
        this.#paused = null;
        this.#signal();
      },
      (cause: unknown) => {
        this.#paused = null;
        this.#fail(
          new Error(
            `${this.#config.name}: cannot write a dead letter for ${where}: ${(cause as Error).message}`,
          ),
        );
      },
    );
  }

  /** Writes, flushes and commits one dead letter before the split moves on. */
  async #writeDeadLetter(letter: NatsDeadLetter): Promise<void> {
    const policy = this.#config.badRecords;
    if (policy.kind !== "dead-letter") return;
    this.#deadLetters ??= policy.sink.createWriter({
      indexOfSubtask: this.#ctx.indexOfSubtask,
      parallelism: this.#ctx.parallelism,
      attemptNumber: 0,
    });
    await this.#deadLetters.write([letter]);
    await this.#deadLetters.flush(false);
    const committables = (await this.#deadLetters.prepareCommit?.()) ?? [];
    if (committables.length > 0) {
      const committer = policy.sink.createCommitter?.();
      await committer?.commit(committables);
      await committer?.close?.();
    }
  }

  snapshotState(checkpointId: number): readonly NatsSplit[] {
    const acks: JsMsg[] = [];
    const splits = this.#splits.map((state) => {
      if (state.lastMessage !== null) acks.push(state.lastMessage);
      state.lastMessage = null;
      return { ...state.split, position: state.lastEmitted + 1 };
    });
    if (acks.length > 0) this.#pendingAcks.set(checkpointId, acks);
    return splits;
  }

  notifyCheckpointComplete(checkpointId: number): void {
    // Ack-all: acking a split's last message at the checkpoint acknowledges everything before it.
    for (const [id, messages] of this.#pendingAcks) {
      if (id > checkpointId) continue;
      for (const message of messages) message.ack();
      this.#pendingAcks.delete(id);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const state of this.#splits) state.drained?.();
    this.#signal();
    await this.#deadLetters?.close();
    for (const connection of this.#connections.splice(0)) {
      const nc = await connection.catch(() => null);
      if (nc !== null) await nc.drain().catch(() => nc.close());
    }
  }
}

function headerMap(message: JsMsg): ReadonlyMap<string, readonly string[]> {
  const map = new Map<string, string[]>();
  const headers = message.headers!;
  for (const key of headers.keys()) map.set(key, headers.values(key));
  return map;
}
