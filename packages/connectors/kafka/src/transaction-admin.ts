/**
 * The raw transaction-coordinator requests the exactly-once sink needs beyond a producer's own
 * transaction: committing a transaction by its (transactional id, producer id, epoch) from any
 * process — the recovery step after a restore — and finding and fencing the transactions an
 * earlier attempt left open. Flink reaches the same state through reflection on the Java producer;
 * here the Kafka protocol's EndTxn, InitProducerId and ListTransactions requests are sent directly.
 *
 * Invariant: `commit` is idempotent: committing a transaction that is already committed (same
 * producer epoch) succeeds; a transaction that was aborted or fenced meanwhile is an error that
 * names it, since its records are lost.
 * @module
 */

import {
  Admin,
  Connection,
  endTxnV4,
  FindCoordinatorKeyTypes,
  findCoordinatorV6,
  initProducerIdV5,
  listTransactionsV1,
} from "@platformatic/kafka";
import { baseClientOptions, type KafkaClientOptions } from "./kafka-client-options.ts";
import { kafkaErrorText } from "./kafka-error-text.ts";

/** What the Committer needs to finish a pre-committed transaction. @public */
export interface KafkaCommittable {
  readonly transactionalId: string;
  /** Decimal string of the 64-bit producer id (plain data for checkpoints). */
  readonly producerId: string;
  readonly producerEpoch: number;
  readonly records: number;
}

/** Errors worth retrying: the coordinator is busy, moving or loading. */
const RETRIABLE = new Set([
  "CONCURRENT_TRANSACTIONS",
  "COORDINATOR_LOAD_IN_PROGRESS",
  "COORDINATOR_NOT_AVAILABLE",
  "NOT_COORDINATOR",
  "REQUEST_TIMED_OUT",
  "NETWORK_EXCEPTION",
]);

function apiErrorId(error: unknown): string | undefined {
  const e = error as { apiId?: string; errors?: unknown[]; code?: string };
  if (typeof e?.apiId === "string") return e.apiId;
  for (const inner of e?.errors ?? []) {
    const id = apiErrorId(inner);
    if (id !== undefined) return id;
  }
  if (e?.code === "PLT_KFK_NETWORK" || e?.code === "ECONNREFUSED" || e?.code === "ECONNRESET")
    return "NETWORK_EXCEPTION";
  return undefined;
}

export class TransactionAdmin {
  readonly #options: KafkaClientOptions;
  readonly #name: string;
  readonly #connections = new Map<string, Promise<Connection>>();
  readonly #timeoutMs: number;

  constructor(options: KafkaClientOptions, name: string, timeoutMs = 60_000) {
    this.#options = options;
    this.#name = name;
    this.#timeoutMs = timeoutMs;
  }

  #connection(host: string, port: number): Promise<Connection> {
    const key = `${host}:${port}`;
    let connection = this.#connections.get(key);
    if (connection === undefined) {
      const base = baseClientOptions(this.#options, this.#name, "transactions");
      connection = (async () => {
        const c = new Connection(base.clientId, {
          connectTimeout: base.connectTimeout,
          requestTimeout: base.requestTimeout,
        });
        await c.connect(host, port);
        return c;
      })();
      connection.catch(() => this.#connections.delete(key));
      this.#connections.set(key, connection);
    }
    return connection;
  }

  async #bootstrap(): Promise<Connection> {
    const servers = baseClientOptions(this.#options, this.#name, "transactions").bootstrapBrokers;
    let last: unknown;
    for (const server of servers) {
      const colon = server.lastIndexOf(":");
      try {
        return await this.#connection(server.slice(0, colon), Number(server.slice(colon + 1)));
      } catch (error) {
        last = error;
      }
    }
    throw new Error(`${this.#name}: no bootstrap server reachable: ${(last as Error)?.message}`);
  }

  async #coordinator(transactionalId: string): Promise<Connection> {
    const bootstrap = await this.#bootstrap();
    const response = await findCoordinatorV6.api.async(bootstrap, FindCoordinatorKeyTypes.TRANSACTION, [
      transactionalId,
    ]);
    const coordinator = response.coordinators[0];
    if (coordinator === undefined || coordinator.errorCode !== 0)
      throw Object.assign(new Error(`no coordinator for transactional id ${transactionalId}`), {
        apiId: "COORDINATOR_NOT_AVAILABLE",
      });
    return this.#connection(coordinator.host, coordinator.port);
  }

  /** Runs `request` against the id's coordinator, retrying while the coordinator is busy or moving. */
  async #withRetry<R>(
    transactionalId: string,
    what: string,
    request: (c: Connection) => Promise<R>,
  ): Promise<R> {
    const deadline = Date.now() + this.#timeoutMs;
    let delay = 20;
    for (;;) {
      try {
        return await request(await this.#coordinator(transactionalId));
      } catch (error) {
        const id = apiErrorId(error);
        if (id === undefined || !RETRIABLE.has(id) || Date.now() > deadline)
          throw new Error(
            `${this.#name}: ${what} of transaction ${transactionalId} failed: ${kafkaErrorText(error)}`,
            { cause: error },
          );
        if (id === "NETWORK_EXCEPTION" || id === "NOT_COORDINATOR") this.#dropConnections();
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 500);
      }
    }
  }

  #dropConnections(): void {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    for (const c of all) void c.then((conn) => conn.close()).catch(() => {});
  }

  /** Commits a pre-committed transaction; succeeds again if it already is committed. */
  async commit(committable: KafkaCommittable): Promise<void> {
    const { transactionalId, producerEpoch } = committable;
    const producerId = BigInt(committable.producerId);
    try {
      await this.#withRetry(transactionalId, "commit", (c) =>
        endTxnV4.api.async(c, transactionalId, producerId, producerEpoch, true),
      );
    } catch (error) {
      const id = apiErrorId((error as Error).cause);
      if (id === "INVALID_TXN_STATE" || id === "PRODUCER_FENCED" || id === "INVALID_PRODUCER_EPOCH")
        throw new Error(
          `${this.#name}: transaction ${transactionalId} (producer ${producerId}, epoch ${producerEpoch}) ` +
            `can no longer be committed (${id}): it was aborted or fenced, most likely because it outlived ` +
            `the transaction timeout; its ${committable.records} records are lost`,
          { cause: error },
        );
      throw error;
    }
  }

  /**
   * Fences every earlier producer of `transactionalId` and aborts its open transaction, if any
   * (InitProducerId bumps the epoch and rolls back what is open).
   */
  async fenceAndAbort(transactionalId: string): Promise<void> {
    await this.#withRetry(transactionalId, "abort", (c) =>
      initProducerIdV5.api.async(c, transactionalId, this.#timeoutMs, -1n, -1),
    );
  }

  /** Every transactional id the brokers know, with its state (`Ongoing`, `CompleteCommit`, …). */
  async listTransactions(): Promise<{ transactionalId: string; state: string }[]> {
    const admin = new Admin({
      ...baseClientOptions(this.#options, this.#name, "admin"),
      retries: 3,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      const result: { transactionalId: string; state: string }[] = [];
      for (const broker of metadata.brokers.values()) {
        const connection = await this.#connection(broker.host, broker.port);
        const response = await listTransactionsV1.api.async(connection, [], [], -1n, null);
        for (const t of response.transactionStates)
          result.push({ transactionalId: t.transactionalId, state: t.transactionState });
      }
      return result;
    } finally {
      await admin.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.#dropConnections();
  }
}
