/**
 * The NATS JetStream source: one durable pull consumer per split, one split per stream or per
 * subject filter. Guarantee, precisely:
 * - Each split's position (the next stream sequence) is part of the checkpoint, and a restore
 *   recreates the durable consumer at that sequence: after a failure every message after the
 *   checkpoint is read again, in order, so the job's state sees each message exactly once.
 * - Messages are acknowledged (AckPolicy.All: the last one per split) only when the checkpoint that
 *   covers them completes (`notifyCheckpointComplete`), so the durable consumer's ack floor never
 *   passes unprocessed messages; a job started without checkpoint state resumes there
 *   (`startFrom: { kind: "resume" }`) and re-reads what was not acknowledged — at-least-once.
 * - End to end, a sink sees replayed messages again: exactly-once results need an idempotent or
 *   transactional sink (the NATS sink's message ids deduplicate replays inside the stream's
 *   duplicate window, see `nats-sink.ts`).
 * Server redeliveries inside one run (an ack wait shorter than a checkpoint) are skipped by sequence
 * and counted in {@link natsSourceMetrics}.
 *
 * Example: `new NatsSource({ servers: "127.0.0.1:4222", stream: "ORDERS", durableName: "job-a",
 * deserializer: NatsDeserializers.json<Order>() })`.
 * @module
 */

import { jetstreamManager } from "@nats-io/jetstream";
import {
  type BadRecordPolicy,
  Boundedness,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
  validateBadRecordPolicy,
} from "@weir/api";
import { checkName, checkServers, connectNats } from "./nats-connection.ts";
import type { NatsDeadLetter, NatsDeserializer } from "./nats-message.ts";
import { NatsSourceReader } from "./nats-source-reader.ts";

/** Where a consumer starts when no checkpoint says otherwise. @public */
export type NatsStartFrom =
  /** The durable consumer's position if it exists (its ack floor), else the stream's start. */
  | { readonly kind: "resume" }
  /** Every message in the stream. */
  | { readonly kind: "all" }
  /** Only messages stored after the consumer is created. */
  | { readonly kind: "new" }
  /** From this stream sequence on (1-based). */
  | { readonly kind: "sequence"; readonly sequence: number }
  /** From the first message stored at or after this time (epoch ms). */
  | { readonly kind: "time"; readonly timeMs: number };

/** @public */
export interface NatsSourceOptions<T> {
  /** `host:port` or `nats://…`; a comma-separated string or a list. */
  readonly servers: string | readonly string[];
  readonly stream: string;
  /** Subject filters, one split (and durable consumer `<durableName>-<i>`) each; default: the whole stream. */
  readonly subjects?: readonly string[];
  /** The durable consumer's name (must be unique per source). */
  readonly durableName: string;
  /** Default `resume`. Ignored for splits restored from a checkpoint. */
  readonly startFrom?: NatsStartFrom;
  /** Stop each split at the stream's last sequence when the job starts (for tests and backfills). */
  readonly bounded?: boolean;
  readonly deserializer: NatsDeserializer<T>;
  /** Default `fail`. */
  readonly badRecords?: BadRecordPolicy<NatsDeadLetter>;
  /** Messages per pull request (default 1000). */
  readonly fetchBatchSize?: number;
  /** How long the server waits for an ack before redelivering (default 120000 ms); keep it above the checkpoint interval. */
  readonly ackWaitMs?: number;
  /** Unacknowledged messages the server lets one consumer have; bounds what one checkpoint interval can read (default 1000000). */
  readonly maxAckPending?: number;
}

/** A split: one durable consumer over the stream or one subject filter, with its position. @public */
export interface NatsSplit extends SourceSplit {
  readonly stream: string;
  readonly durableName: string;
  readonly filterSubject: string | null;
  /** The next stream sequence to read; `null` until the split has a checkpointed position. */
  readonly position: number | null;
  /** Bounded mode: the last stream sequence to read; `null` when unbounded. */
  readonly stopAt: number | null;
}

/** This thread's NATS source counters, for monitoring and tests (live object). @public */
export interface NatsSourceMetrics {
  /** Malformed messages skipped under the `drop` policy. */
  droppedRecords: number;
  /** Malformed messages written to a dead-letter sink. */
  deadLetters: number;
  /** Messages the server marked as redelivered. */
  redeliveredMessages: number;
  /** Redelivered messages skipped because their sequence had been read already. */
  skippedRedeliveries: number;
}

const metrics: NatsSourceMetrics = {
  droppedRecords: 0,
  deadLetters: 0,
  redeliveredMessages: 0,
  skippedRedeliveries: 0,
};

/** @public */
export function natsSourceMetrics(): NatsSourceMetrics {
  return metrics;
}

/** The checked, normalized options every reader uses. */
export interface NatsSourceConfig<T> {
  readonly name: string;
  readonly servers: readonly string[];
  readonly stream: string;
  readonly subjects: readonly string[] | null;
  readonly durableName: string;
  readonly startFrom: NatsStartFrom;
  readonly bounded: boolean;
  readonly deserializer: NatsDeserializer<T>;
  readonly badRecords: BadRecordPolicy<NatsDeadLetter>;
  readonly fetchBatchSize: number;
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
  readonly metrics: NatsSourceMetrics;
}

function positiveInteger(value: number | undefined, fallback: number, option: string, where: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${where}: '${option}' must be a positive integer (got ${value})`);
  return value;
}

function checkStartFrom(start: NatsStartFrom | undefined, where: string): NatsStartFrom {
  if (start === undefined) return { kind: "resume" };
  switch (start.kind) {
    case "resume":
    case "all":
    case "new":
      return start;
    case "sequence":
      positiveInteger(start.sequence, 1, "startFrom.sequence", where);
      return start;
    case "time":
      if (!Number.isFinite(start.timeMs))
        throw new Error(`${where}: 'startFrom.timeMs' must be epoch milliseconds`);
      return start;
    default:
      throw new Error(
        `${where}: unknown startFrom ${JSON.stringify((start as { kind: unknown }).kind)} (resume, all, new, sequence or time)`,
      );
  }
}

/** @public */
export class NatsSource<T> implements Source<T, NatsSplit, NatsSplit[]> {
  readonly boundedness: Boundedness;
  readonly #config: NatsSourceConfig<T>;

  constructor(options: NatsSourceOptions<T>) {
    const where = `NatsSource(${JSON.stringify(options?.stream)})`;
    const stream = checkName(options.stream, "stream", where);
    const durableName = checkName(options.durableName, "durableName", where);
    if (
      options.subjects !== undefined &&
      (options.subjects.length === 0 || options.subjects.some((s) => typeof s !== "string" || s === ""))
    )
      throw new Error(`${where}: 'subjects' must be a non-empty list of subject filters`);
    if (typeof options.deserializer?.deserialize !== "function")
      throw new Error(`${where}: 'deserializer' must have a deserialize(message, collect) method`);
    this.#config = {
      name: `NATS source ${stream}/${durableName}`,
      servers: checkServers(options.servers, where),
      stream,
      subjects: options.subjects ?? null,
      durableName,
      startFrom: checkStartFrom(options.startFrom, where),
      bounded: options.bounded ?? false,
      deserializer: options.deserializer,
      badRecords: validateBadRecordPolicy(options.badRecords, where),
      fetchBatchSize: positiveInteger(options.fetchBatchSize, 1000, "fetchBatchSize", where),
      ackWaitMs: positiveInteger(options.ackWaitMs, 120_000, "ackWaitMs", where),
      maxAckPending: positiveInteger(options.maxAckPending, 1_000_000, "maxAckPending", where),
      metrics,
    };
    this.boundedness = this.#config.bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  createEnumerator(ctx: SplitEnumeratorContext<NatsSplit>): SplitEnumerator<NatsSplit, NatsSplit[]> {
    return new NatsSplitEnumerator(ctx, this.#config, null);
  }

  restoreEnumerator(
    ctx: SplitEnumeratorContext<NatsSplit>,
    state: NatsSplit[],
  ): SplitEnumerator<NatsSplit, NatsSplit[]> {
    return new NatsSplitEnumerator(ctx, this.#config, state);
  }

  createReader(ctx: SourceReaderContext): SourceReader<T, NatsSplit> {
    return new NatsSourceReader(ctx, this.#config);
  }
}

/** Splits go to subtask `index % parallelism`, all at once on the reader's first request. */
class NatsSplitEnumerator<T> implements SplitEnumerator<NatsSplit, NatsSplit[]> {
  readonly #ctx: SplitEnumeratorContext<NatsSplit>;
  readonly #config: NatsSourceConfig<T>;
  /** Splits not yet handed to a reader, by their index (stable across restores). */
  #unassigned: NatsSplit[];
  readonly #restored: boolean;

  constructor(
    ctx: SplitEnumeratorContext<NatsSplit>,
    config: NatsSourceConfig<T>,
    restored: NatsSplit[] | null,
  ) {
    this.#ctx = ctx;
    this.#config = config;
    this.#unassigned = restored ?? [];
    this.#restored = restored !== null;
  }

  async start(): Promise<void> {
    if (this.#restored) return;
    const filters = this.#config.subjects ?? [null];
    const stopAts = this.#config.bounded ? await this.#lastSequences(filters) : filters.map(() => null);
    this.#unassigned = filters.map((filterSubject, i) => ({
      splitId: `${this.#config.stream}#${i}`,
      stream: this.#config.stream,
      durableName: filters.length === 1 ? this.#config.durableName : `${this.#config.durableName}-${i}`,
      filterSubject,
      position: null,
      stopAt: stopAts[i] ?? null,
    }));
  }

  /**
   * Bounded mode: each split's last matching sequence now (0 when nothing matches), so a split ends
   * exactly at its last message. (A consumer's `num_pending` is not exact for filtered consumers on
   * older servers, so it is not used.)
   */
  async #lastSequences(filters: readonly (string | null)[]): Promise<number[]> {
    const { name, stream } = this.#config;
    const nc = await connectNats(this.#config.servers, name);
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(stream).catch((error: Error) => {
        throw new Error(`${name}: cannot read stream '${stream}': ${error.message}`);
      });
      const last = info.state.last_seq;
      return await Promise.all(
        filters.map(async (filter) => {
          if (filter === null) return last;
          try {
            const message = await jsm.streams.getMessage(stream, { last_by_subj: filter });
            return message === null ? 0 : message.seq;
          } catch (error) {
            if (/no message found/i.test((error as Error).message)) return 0;
            return last;
          }
        }),
      );
    } finally {
      await nc.close();
    }
  }

  #subtaskOf(split: NatsSplit): number {
    return Number(split.splitId.slice(split.splitId.lastIndexOf("#") + 1)) % this.#ctx.parallelism;
  }

  handleSplitRequest(subtask: number): void {
    const mine = this.#unassigned.filter((s) => this.#subtaskOf(s) === subtask);
    this.#unassigned = this.#unassigned.filter((s) => this.#subtaskOf(s) !== subtask);
    if (mine.length > 0) this.#ctx.assignSplits(subtask, mine);
    this.#ctx.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly NatsSplit[]): void {
    this.#unassigned.push(...splits);
  }

  addReader(): void {}

  snapshotState(): NatsSplit[] {
    return this.#unassigned.map((s) => ({ ...s }));
  }

  close(): void {}
}
