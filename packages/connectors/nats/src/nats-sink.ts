/**
 * The NATS JetStream sink: publishes each record with a JetStream publish ack; at every checkpoint
 * barrier (`flush`) it waits for every outstanding ack, so a completed checkpoint means every
 * record before it is stored in the stream — at-least-once.
 *
 * Deduplication, precisely: each message carries `Nats-Msg-Id = <prefix>:<run>:<subtask>:<n>`,
 * where `n` numbers the subtask's records from the start of the run and `run` is a random id
 * chosen when a writer starts without restored state. Both travel in every checkpoint as this
 * sink's committable, so after a restore the writer continues the numbering where the checkpoint
 * left it. When the job replays the same records in the same order per subtask (a replayable
 * source such as NATS or Kafka, and deterministic operators with the same parallelism), a replayed
 * record gets the id it had before, and JetStream drops it if the first copy is still inside the
 * stream's `duplicate_window` (default two minutes): effectively exactly-once. Replays that
 * differ, arrive after the window, or follow a restart without any completed checkpoint (a new
 * `run`) are stored again: at-least-once. A new run never collides with an old one's ids.
 *
 * Example: `stream.toSink(new NatsSink({ servers: "127.0.0.1:4222", subject: "orders.out",
 * messageIdPrefix: "orders-job", serializer: (o) => encoder.encode(JSON.stringify(o)) }))`.
 * @module
 */

import { randomBytes } from "node:crypto";
import {
  createInbox,
  type Msg,
  type NatsConnection,
  headers as natsHeaders,
  type Subscription,
} from "@nats-io/transport-node";
import type { Committer, Sink, SinkWriter, SinkWriterContext } from "@weir/api";
import { checkServers, connectNats } from "./nats-connection.ts";

/** @public */
export interface NatsSinkOptions<T> {
  readonly servers: string | readonly string[];
  /** The subject of every message, or a function of the record. */
  readonly subject: string | ((record: T) => string);
  readonly serializer: (record: T) => Uint8Array;
  /** Extra headers per record (besides `Nats-Msg-Id`). */
  readonly headers?: (record: T) => Readonly<Record<string, string>> | undefined;
  /** Unique per sink and job: the first part of every `Nats-Msg-Id`. */
  readonly messageIdPrefix: string;
  /** Publishes awaiting their ack before `write` pauses the task (default 4096). */
  readonly maxInFlight?: number;
}

/** What a checkpoint remembers of a writer: its run and the number of the next record. @public */
export interface NatsSinkCommittable {
  readonly subtask: number;
  readonly run: string;
  readonly next: number;
}

/** This thread's NATS sink counters (live object). @public */
export interface NatsSinkMetrics {
  published: number;
  /** Publishes JetStream answered as duplicates (a replay deduplicated by message id). */
  duplicates: number;
}

const metrics: NatsSinkMetrics = { published: 0, duplicates: 0 };

/** @public */
export function natsSinkMetrics(): NatsSinkMetrics {
  return metrics;
}

/** @public */
export class NatsSink<T> implements Sink<T, NatsSinkCommittable> {
  readonly #options: NatsSinkOptions<T>;
  readonly #servers: readonly string[];
  readonly #maxInFlight: number;
  /** Numbering per subtask restored from a checkpoint (fed by the committer on restore). */
  readonly #restored = new Map<number, NatsSinkCommittable>();

  constructor(options: NatsSinkOptions<T>) {
    const where = `NatsSink(${JSON.stringify(typeof options?.subject === "string" ? options.subject : "<function>")})`;
    this.#servers = checkServers(options.servers, where);
    if (
      typeof options.subject !== "function" &&
      (typeof options.subject !== "string" || options.subject === "")
    )
      throw new Error(`${where}: 'subject' must be a subject or a function returning one`);
    if (typeof options.serializer !== "function")
      throw new Error(`${where}: 'serializer' must be a function`);
    if (typeof options.messageIdPrefix !== "string" || options.messageIdPrefix === "")
      throw new Error(`${where}: 'messageIdPrefix' must be a non-empty string unique to this sink and job`);
    const maxInFlight = options.maxInFlight ?? 4096;
    if (!Number.isSafeInteger(maxInFlight) || maxInFlight <= 0)
      throw new Error(`${where}: 'maxInFlight' must be a positive integer (got ${maxInFlight})`);
    this.#options = options;
    this.#maxInFlight = maxInFlight;
  }

  createWriter(ctx: SinkWriterContext): SinkWriter<T, NatsSinkCommittable> {
    // A new writer (a new attempt) learns its numbering only from this attempt's restored committables.
    this.#restored.delete(ctx.indexOfSubtask);
    return new NatsSinkWriter(ctx, this.#options, this.#servers, this.#maxInFlight, () =>
      this.#restored.get(ctx.indexOfSubtask),
    );
  }

  /**
   * Nothing to commit in NATS (messages are stored when acked); on restore the runtime hands back
   * the checkpoint's committables first, which tell each writer where to continue its numbering.
   */
  createCommitter(): Committer<NatsSinkCommittable> {
    return {
      commit: (committables) => {
        for (const c of committables) {
          const known = this.#restored.get(c.subtask);
          if (known === undefined || known.run !== c.run || known.next < c.next)
            this.#restored.set(c.subtask, c);
        }
      },
    };
  }
}

/**
 * Publishes with core `publish` and one shared reply inbox instead of one request per message: the
 * JetStream publish acks arrive on the inbox and are only counted, so the hot path has no promise
 * or timer per record. Invariant: after `flush` returns, `acked === published` with no error.
 */
class NatsSinkWriter<T> implements SinkWriter<T, NatsSinkCommittable> {
  readonly #ctx: SinkWriterContext;
  readonly #options: NatsSinkOptions<T>;
  readonly #servers: readonly string[];
  readonly #maxInFlight: number;
  readonly #restoredState: () => NatsSinkCommittable | undefined;
  #connection: Promise<NatsConnection> | null = null;
  #nc: NatsConnection | null = null;
  #inbox = "";
  #subscription: Subscription | null = null;
  /** Empty until the first write or checkpoint reads the restored numbering. */
  #run = "";
  #next = 0;
  #published = 0;
  #acked = 0;
  #error: Error | null = null;
  /** Resolved when acks catch up with `#waitFor`. */
  #waiter: { readonly target: number; readonly resolve: () => void } | null = null;

  constructor(
    ctx: SinkWriterContext,
    options: NatsSinkOptions<T>,
    servers: readonly string[],
    maxInFlight: number,
    restoredState: () => NatsSinkCommittable | undefined,
  ) {
    this.#ctx = ctx;
    this.#options = options;
    this.#servers = servers;
    this.#maxInFlight = maxInFlight;
    this.#restoredState = restoredState;
  }

  get #name(): string {
    return `NATS sink ${this.#options.messageIdPrefix} (subtask ${this.#ctx.indexOfSubtask})`;
  }

  async #open(): Promise<NatsConnection> {
    if (this.#nc !== null) return this.#nc;
    this.#connection ??= connectNats(this.#servers, this.#name);
    const nc = await this.#connection;
    if (this.#nc !== null) return this.#nc;
    this.#inbox = createInbox();
    this.#subscription = nc.subscribe(this.#inbox, { callback: (_error, message) => this.#onAck(message) });
    this.#nc = nc;
    return nc;
  }

  #onAck(message: Msg): void {
    this.#acked++;
    if (message.headers?.hasError === true) {
      const code = message.headers.code;
      this.#error ??= new Error(
        `${this.#name}: a publish was not acknowledged: ${code === 503 ? "no stream listens on the subject (503 no responders)" : `status ${code} ${message.headers.description}`}`,
      );
    } else {
      try {
        const ack = JSON.parse(utf8.decode(message.data)) as {
          error?: { description?: string };
          duplicate?: boolean;
        };
        if (ack.error !== undefined)
          this.#error ??= new Error(
            `${this.#name}: a publish was not acknowledged: ${ack.error.description ?? "error"}`,
          );
        else {
          metrics.published++;
          if (ack.duplicate === true) metrics.duplicates++;
        }
      } catch {
        this.#error ??= new Error(`${this.#name}: unreadable publish ack`);
      }
    }
    const waiter = this.#waiter;
    if (waiter !== null && (this.#acked >= waiter.target || this.#error !== null)) {
      this.#waiter = null;
      waiter.resolve();
    }
  }

  /** Waits until at most `outstanding` publishes lack their ack; fails on an error or after the timeout. */
  async #waitForAcks(outstanding: number): Promise<void> {
    const target = this.#published - outstanding;
    if (this.#acked < target && this.#error === null) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#waiter = { target, resolve };
        timer = setTimeout(() => {
          this.#error ??= new Error(
            `${this.#name}: ${this.#published - this.#acked} publish ack(s) missing after ${ACK_TIMEOUT_MS} ms`,
          );
          this.#waiter = null;
          resolve();
        }, ACK_TIMEOUT_MS);
      });
      clearTimeout(timer);
    }
    if (this.#error !== null) throw this.#error;
  }

  #startNumbering(): void {
    if (this.#run !== "") return;
    const restored = this.#restoredState();
    this.#run = restored?.run ?? randomBytes(6).toString("hex");
    this.#next = restored?.next ?? 0;
  }

  write(records: readonly T[]): Promise<void> | undefined {
    if (records.length === 0) return undefined;
    this.#startNumbering();
    if (this.#nc === null) return this.#open().then(() => this.#publish(records));
    return this.#publish(records);
  }

  #publish(records: readonly T[]): Promise<void> | undefined {
    if (this.#error !== null) throw this.#error;
    const nc = this.#nc!;
    const { subject, serializer, headers, messageIdPrefix } = this.#options;
    const idBase = `${messageIdPrefix}:${this.#run}:${this.#ctx.indexOfSubtask}:`;
    const reply = this.#inbox;
    for (const record of records) {
      const target = typeof subject === "string" ? subject : subject(record);
      const h = natsHeaders();
      h.set("Nats-Msg-Id", idBase + this.#next++);
      const extra = headers?.(record);
      if (extra !== undefined) for (const [k, v] of Object.entries(extra)) h.set(k, v);
      nc.publish(target, serializer(record), { reply, headers: h });
      this.#published++;
    }
    return this.#published - this.#acked >= this.#maxInFlight
      ? this.#waitForAcks(this.#maxInFlight >> 1)
      : undefined;
  }

  async flush(): Promise<void> {
    if (this.#nc === null) return;
    await this.#nc.flush();
    await this.#waitForAcks(0);
  }

  prepareCommit(): readonly NatsSinkCommittable[] {
    this.#startNumbering();
    return [{ subtask: this.#ctx.indexOfSubtask, run: this.#run, next: this.#next }];
  }

  async close(): Promise<void> {
    this.#subscription?.unsubscribe();
    const connection = this.#connection;
    this.#connection = null;
    this.#nc = null;
    if (connection === null) return;
    const nc = await connection.catch(() => null);
    if (nc !== null) await nc.drain().catch(() => nc.close());
  }
}

const utf8 = new TextDecoder();
/** How long a flush waits for outstanding publish acks before failing the writer. */
const ACK_TIMEOUT_MS = 30_000;
