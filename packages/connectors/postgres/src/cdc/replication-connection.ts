/**
 * A Postgres replication connection (streaming replication protocol, logical): creates slots and
 * streams a slot's changes, sending standby status updates that say how far the consumer has
 * *durably* processed (the slot's confirmed flush LSN).
 *
 * Built on `pg`'s client with `replication: 'database'`; the CopyBoth stream of
 * `START_REPLICATION` is consumed by a small submittable query object, so nothing depends on pg's
 * private events beyond `connection.stream` (paused for flow control) and `sendCopyFromChunk`.
 *
 * Invariant: the flush position sent to the server only moves forward and only to LSNs the owner
 * passed to {@link ReplicationConnection.acknowledge} — never to what was merely received —
 * because the server may discard WAL up to it. Keepalives asking for a reply are answered with
 * that same acknowledged position.
 * @module
 */

import pg from "pg";
import { type ConnectionOptions, POSTGRES_SESSION_OPTIONS, quotePg } from "../connection-options.ts";
import { formatLsn, parseLsn } from "./lsn.ts";

/** Microseconds between the Unix epoch and Postgres' epoch (2000-01-01). */
const PG_EPOCH_MICROS = 946_684_800_000_000n;
/** Status updates are sent at least this often, well inside the default wal_sender_timeout (60 s). */
const STATUS_INTERVAL_MS = 5_000;

export interface ReplicationHandlers {
  /** One XLogData message: the WAL position it starts at and its pgoutput payload. */
  data(walStart: bigint, payload: Buffer): void;
  /** A keepalive: the server has sent everything before `walEnd`. */
  keepalive(walEnd: bigint): void;
  /** The stream ended with an error (connection lost, server refused…). */
  error(error: Error): void;
}

interface PgConnectionInternals {
  stream: { pause(): void; resume(): void };
  sendCopyFromChunk(chunk: Buffer): void;
}

export class ReplicationConnection {
  readonly #client: pg.Client;
  #internals: PgConnectionInternals | undefined;
  #acknowledged = 0n;
  #received = 0n;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async open(options: ConnectionOptions): Promise<ReplicationConnection> {
    const client = new pg.Client({
      host: options.host,
      port: options.port,
      user: options.user,
      ...(options.password === undefined ? {} : { password: options.password }),
      database: options.database,
      replication: "database",
      options: POSTGRES_SESSION_OPTIONS,
    } as pg.ClientConfig);
    await client.connect();
    const connection = new ReplicationConnection(client);
    client.on("error", () => {});
    connection.#internals = (client as unknown as { connection: PgConnectionInternals }).connection;
    return connection;
  }

  /**
   * Creates a persistent logical slot for pgoutput. With `exportSnapshot`, the returned snapshot
   * stays importable (`SET TRANSACTION SNAPSHOT`) until this connection runs another command.
   */
  async createSlot(
    slot: string,
    exportSnapshot: boolean,
  ): Promise<{ consistentPoint: string; snapshotName: string | null }> {
    const result = await this.#client.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT ${quotePg(slot)} LOGICAL pgoutput ${exportSnapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT"}`,
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error(`creating replication slot "${slot}" returned nothing`);
    return { consistentPoint: row.consistent_point, snapshotName: row.snapshot_name };
  }

  /**
   * Starts streaming `slot` from `startLsn` (the server starts at the later of it and the slot's
   * confirmed position). Resolves once the server accepted; afterwards errors go to `handlers.error`.
   */
  start(slot: string, publication: string, startLsn: string, handlers: ReplicationHandlers): Promise<void> {
    this.#acknowledged = parseLsn(startLsn);
    this.#received = this.#acknowledged;
    const sql =
      `START_REPLICATION SLOT ${quotePg(slot)} LOGICAL ${formatLsn(parseLsn(startLsn))} ` +
      `(proto_version '1', publication_names '${publication.replaceAll("'", "''")}')`;
    return new Promise((resolve, reject) => {
      let started = false;
      const fail = (error: Error) => {
        if (!started) reject(error);
        else if (!this.#closed) handlers.error(error);
      };
      const submittable = {
        submit: (connection: { query(text: string): void; once(event: string, fn: () => void): void }) => {
          connection.once("replicationStart", () => {
            started = true;
            this.#timer = setInterval(() => this.#sendStatus(false), STATUS_INTERVAL_MS);
            this.#timer.unref?.();
            resolve();
          });
          connection.query(sql);
        },
        handleCopyData: (message: { chunk: Buffer }) => {
          const chunk = message.chunk;
          const kind = chunk[0];
          if (kind === 0x77 /* w: XLogData */) {
            const walStart = chunk.readBigUInt64BE(1);
            if (walStart > this.#received) this.#received = walStart;
            handlers.data(walStart, chunk.subarray(25));
          } else if (kind === 0x6b /* k: keepalive */) {
            const walEnd = chunk.readBigUInt64BE(1);
            if (walEnd > this.#received) this.#received = walEnd;
            handlers.keepalive(walEnd);
            if (chunk[17] === 1) this.#sendStatus(false);
          }
        },
        handleError: (error: Error) => fail(error),
        handleReadyForQuery: () => fail(new Error("the replication stream ended")),
        handleCommandComplete: () => {},
        handleRowDescription: () => {},
        handleDataRow: () => {},
        handleEmptyQuery: () => {},
        handlePortalSuspended: () => {},
        handleCopyInResponse: () => {},
      };
      this.#client.on("end", () => fail(new Error("the replication connection closed")));
      this.#client.on("error", (error: Error) => fail(error));
      void this.#client.query(submittable as unknown as pg.QueryConfig);
    });
  }

  /** Confirms that everything before `lsn` is durably processed; the server may free that WAL. */
  acknowledge(lsn: string): void {
    const value = parseLsn(lsn);
    if (value <= this.#acknowledged) return;
    this.#acknowledged = value;
    this.#sendStatus(false);
  }

  #sendStatus(replyRequested: boolean): void {
    if (this.#closed || this.#internals === undefined) return;
    const message = Buffer.alloc(34);
    message[0] = 0x72; // r: standby status update
    let written = this.#acknowledged;
    if (this.#received > written) written = this.#received;
    message.writeBigUInt64BE(written, 1);
    message.writeBigUInt64BE(this.#acknowledged, 9);
    message.writeBigUInt64BE(this.#acknowledged, 17);
    message.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_MICROS, 25);
    message[33] = replyRequested ? 1 : 0;
    try {
      this.#internals.sendCopyFromChunk(message);
    } catch {
      // A broken connection is reported by the stream's error handler.
    }
  }

  /** Stops reading from the socket (flow control); the server waits for us. */
  pause(): void {
    this.#internals?.stream.pause();
  }

  resume(): void {
    this.#internals?.stream.resume();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#internals?.stream.resume();
    await Promise.race([
      this.#client.end().catch(() => {}),
      new Promise((r) => setTimeout(r, 1_000).unref()),
    ]);
  }
}
