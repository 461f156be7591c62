/**
 * The writer of one Kafka sink subtask. Sends are pipelined (up to `maxInFlightSends` batches in
 * flight; `write` returns a promise, pausing the task, only beyond that).
 *
 * Exactly-once: the writer opens a transaction (a fresh producer with transactional id
 * `<prefix>-<subtask>-<n>`) on the first record after each checkpoint; at the barrier it waits for
 * every send and hands the transaction over as a {@link KafkaCommittable} (pre-commit), which the
 * Committer commits when the checkpoint completes. Before its first transaction it lists the
 * transactional ids of its subtask so that `n` continues after the highest id ever used: no id of a
 * pre-committed transaction is reused (re-committing it after a restore must find its producer
 * epoch unchanged). Transactions an earlier attempt left open — of this subtask or, after a restore
 * at a lower parallelism, of subtasks that no longer exist — are aborted once the attempt's first
 * checkpoint completes (transaction-recovery.ts says why then and who owns which ids): until then
 * each pre-commit carries a {@link KafkaRecoveryMarker}.
 * @module
 */

import { randomUUID } from "node:crypto";
import { Producer } from "@platformatic/kafka";

type Transaction = NonNullable<Producer["transaction"]>;

import type { SinkWriter, SinkWriterContext } from "@weir/api";
import { baseClientOptions } from "./kafka-client-options.ts";
import { kafkaErrorText } from "./kafka-error-text.ts";
import type { KafkaProducerRecord } from "./kafka-record-serializer.ts";
import type { ResolvedKafkaSinkOptions } from "./kafka-sink-options.ts";
import { type KafkaCommittable, TransactionAdmin } from "./transaction-admin.ts";
import {
  type KafkaRecoveryMarker,
  needsRecovery,
  parseTransactionalId,
  registerWriter,
  unregisterWriter,
} from "./transaction-recovery.ts";

interface OutgoingMessage {
  topic: string;
  key?: Buffer;
  value?: Buffer;
  headers?: Map<Buffer, Buffer>;
  partition?: number;
  timestamp?: bigint;
}

interface Sender {
  send(options: { messages: OutgoingMessage[] }): Promise<unknown>;
}

const EMPTY = Buffer.alloc(0);
const toBuffer = (value: Buffer | string): Buffer => (typeof value === "string" ? Buffer.from(value) : value);

export class KafkaSinkWriter<T> implements SinkWriter<T, KafkaCommittable | KafkaRecoveryMarker> {
  readonly #options: ResolvedKafkaSinkOptions<T>;
  readonly #ctx: SinkWriterContext;
  readonly #inFlight = new Set<Promise<void>>();
  #error: unknown;
  #producer: Producer | undefined;
  // Exactly-once only.
  #admin: TransactionAdmin | undefined;
  /** The first transaction number of this writer, once the subtask's ids were listed. */
  #firstTransaction: Promise<number> | undefined;
  #nextTransaction = -1;
  readonly #writerId = randomUUID();
  #transaction:
    | {
        id: string;
        producer: Producer;
        handle: Transaction;
        sender: Sender;
        records: number;
        /** Topics whose partitions are all in the transaction. */
        topics: Set<string>;
      }
    | undefined;

  constructor(options: ResolvedKafkaSinkOptions<T>, ctx: SinkWriterContext) {
    this.#options = options;
    this.#ctx = ctx;
    if (options.deliveryGuarantee === "exactly-once") registerWriter(this.#writerId);
  }

  #toMessage(element: T): OutgoingMessage | null {
    let record: KafkaProducerRecord | null;
    try {
      record = this.#options.serializer.serialize(element);
    } catch (error) {
      throw new Error(
        `${this.#options.name}: serializing ${describe(element)} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (record === null) return null;
    const topic = record.topic ?? this.#options.topic;
    if (topic === undefined)
      throw new Error(
        `${this.#options.name}: no topic for ${describe(element)}: set the sink's topic option`,
      );
    const message: OutgoingMessage = { topic };
    if (record.key !== undefined && record.key !== null) message.key = toBuffer(record.key);
    if (record.value !== null) message.value = toBuffer(record.value);
    if (record.partition !== undefined) message.partition = record.partition;
    if (record.timestamp !== undefined) message.timestamp = BigInt(Math.floor(record.timestamp));
    if (record.headers !== undefined) {
      const headers = new Map<Buffer, Buffer>();
      for (const [k, v] of Object.entries(record.headers)) headers.set(Buffer.from(k), toBuffer(v));
      message.headers = headers;
    }
    return message;
  }

  write(records: readonly T[]): void | Promise<void> {
    this.#throwIfFailed();
    const messages: OutgoingMessage[] = [];
    for (let i = 0; i < records.length; i++) {
      const message = this.#toMessage(records[i]!);
      if (message !== null) messages.push(message);
    }
    if (this.#options.deliveryGuarantee === "exactly-once") {
      const transaction = this.#transaction;
      if (transaction === undefined || messages.some((m) => !transaction.topics.has(m.topic)))
        return this.#prepareTransaction(messages).then(() => this.#send(messages));
    }
    return this.#send(messages);
  }

  /**
   * Opens the transaction if needed and adds every partition of the messages' topics to it before
   * any send. @platformatic/kafka merges concurrent "add partitions" requests of one producer into
   * one (dropping the partitions of all but the first), so pipelined sends could reach partitions
   * the transaction does not hold, which the broker rejects (TRANSACTION_ABORTABLE). Adding whole
   * topics up front, with no send in flight, keeps every later send clear of that.
   */
  async #prepareTransaction(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.#transaction === undefined) await this.#beginTransaction();
    const transaction = this.#transaction!;
    const topics = [...new Set(messages.map((m) => m.topic))].filter((t) => !transaction.topics.has(t));
    if (topics.length === 0) return;
    await this.#awaitSends();
    const metadata = await transaction.producer.metadata({ topics });
    // Only topic and partition are read; the empty value satisfies the record type.
    const all: { topic: string; partition: number; value: Buffer }[] = [];
    for (const topic of topics) {
      const count = metadata.topics.get(topic)?.partitionsCount;
      if (count === undefined) throw new Error(`${this.#options.name}: topic "${topic}" does not exist`);
      for (let partition = 0; partition < count; partition++) all.push({ topic, partition, value: EMPTY });
    }
    await transaction.handle.addPartitions(metadata, all);
    for (const topic of topics) transaction.topics.add(topic);
  }

  #sender(): Sender {
    if (this.#transaction !== undefined) return this.#transaction.sender;
    this.#producer ??= new Producer({
      ...baseClientOptions(this.#options, this.#options.name, `writer-${this.#ctx.indexOfSubtask}`),
      idempotent: this.#options.deliveryGuarantee !== "none",
      acks: this.#options.deliveryGuarantee === "none" ? 1 : -1,
      retries: 5,
    });
    return this.#producer as unknown as Sender;
  }

  #send(messages: OutgoingMessage[]): void | Promise<void> {
    if (messages.length === 0) return;
    if (this.#transaction !== undefined) this.#transaction.records += messages.length;
    const sending: Promise<void> = this.#sender()
      .send({ messages })
      .then(
        () => {
          this.#inFlight.delete(sending);
        },
        (error: unknown) => {
          this.#inFlight.delete(sending);
          this.#error ??= error;
        },
      );
    this.#inFlight.add(sending);
    if (this.#inFlight.size >= this.#options.maxInFlightSends) return Promise.race(this.#inFlight);
  }

  #throwIfFailed(): void {
    if (this.#error === undefined) return;
    const error = this.#error as Error;
    throw new Error(`${this.#options.name}: sending to Kafka failed: ${kafkaErrorText(error)}`, {
      cause: error,
    });
  }

  async #awaitSends(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    this.#throwIfFailed();
  }

  async flush(endOfInput: boolean): Promise<void> {
    if (this.#options.deliveryGuarantee === "none" && !endOfInput) {
      this.#throwIfFailed();
      return;
    }
    await this.#awaitSends();
  }

  /**
   * Exactly-once: hands the open transaction over to the Committer (pre-commit), with the recovery
   * marker until this writer's recovery ran.
   */
  async prepareCommit(): Promise<readonly (KafkaCommittable | KafkaRecoveryMarker)[]> {
    if (this.#options.deliveryGuarantee !== "exactly-once") return [];
    const committables: (KafkaCommittable | KafkaRecoveryMarker)[] = [];
    const transaction = this.#transaction;
    if (transaction !== undefined) {
      await this.#awaitSends();
      const producerId = transaction.producer.producerId;
      const producerEpoch = transaction.producer.producerEpoch;
      if (producerId === undefined || producerEpoch === undefined)
        throw new Error(`${this.#options.name}: transaction ${transaction.id} has no producer id`);
      this.#transaction = undefined;
      // Closing the producer leaves its transaction open: the Committer ends it by id and epoch.
      await transaction.producer.close(true).catch(() => {});
      committables.push({
        transactionalId: transaction.id,
        producerId: producerId.toString(),
        producerEpoch,
        records: transaction.records,
      });
    }
    if (needsRecovery(this.#writerId))
      committables.push({
        recovery: {
          writer: this.#writerId,
          subtask: this.#ctx.indexOfSubtask,
          parallelism: this.#ctx.parallelism,
          firstTransaction: await this.#numbering(),
        },
      });
    return committables;
  }

  #transactionAdmin(): TransactionAdmin {
    this.#admin ??= new TransactionAdmin(
      this.#options,
      this.#options.name,
      this.#options.transactionTimeoutMs,
    );
    return this.#admin;
  }

  /**
   * The first transaction number: one above the highest id of this subtask the brokers know, in
   * any state. Open ones among them are not touched here (see the module comment).
   */
  #numbering(): Promise<number> {
    this.#firstTransaction ??= (async () => {
      let highest = -1;
      for (const { transactionalId } of await this.#transactionAdmin().listTransactions()) {
        const id = parseTransactionalId(this.#options.transactionalIdPrefix, transactionalId);
        if (id?.subtask === this.#ctx.indexOfSubtask) highest = Math.max(highest, id.number);
      }
      return highest + 1;
    })();
    return this.#firstTransaction;
  }

  async #beginTransaction(): Promise<void> {
    if (this.#nextTransaction < 0) this.#nextTransaction = await this.#numbering();
    const prefix = `${this.#options.transactionalIdPrefix}-${this.#ctx.indexOfSubtask}-`;
    const id = `${prefix}${this.#nextTransaction++}`;
    const producer = new Producer({
      ...baseClientOptions(this.#options, this.#options.name, `writer-${this.#ctx.indexOfSubtask}`),
      transactionalId: id,
      idempotent: true,
      acks: -1,
      retries: 5,
      timeout: this.#options.transactionTimeoutMs,
    });
    try {
      const transaction = await producer.beginTransaction();
      this.#transaction = {
        id,
        producer,
        handle: transaction,
        sender: transaction as unknown as Sender,
        records: 0,
        topics: new Set(),
      };
    } catch (error) {
      await producer.close(true).catch(() => {});
      throw new Error(`${this.#options.name}: beginning transaction ${id} failed: ${kafkaErrorText(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    unregisterWriter(this.#writerId);
    await Promise.allSettled(this.#inFlight);
    const transaction = this.#transaction;
    this.#transaction = undefined;
    if (transaction !== undefined) {
      // Not pre-committed: nothing will ever commit it, so end it now rather than at its timeout.
      const open = transaction.producer.transaction;
      await open?.abort().catch(() => {});
      await transaction.producer.close(true).catch(() => {});
    }
    await this.#producer?.close(true).catch(() => {});
    await this.#admin?.close();
  }
}

function describe(element: unknown): string {
  try {
    const text = JSON.stringify(element);
    return text === undefined ? String(element) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(element);
  }
}
