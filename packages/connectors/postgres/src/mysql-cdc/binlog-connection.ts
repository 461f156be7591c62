/**
 * A binary log stream from a MariaDB/MySQL server (`COM_BINLOG_DUMP` from a file and position,
 * or, on MariaDB, from a GTID position as MariaDB replicas ask: `@slave_connect_state` set, strict
 * mode on, empty file name), on a `mysql2` connection. mysql2's own binlog stream decodes only a
 * few event kinds and drops the bytes of the others (rows events among them), so this module
 * sends the command itself and hands every event's raw bytes (checksum removed) to the caller.
 *
 * Invariant: events arrive in binlog order on the connection's socket; `pause`/`resume` stop and
 * restart reading from it (the server then waits), which is how a slow job slows the dump.
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import mysql from "mysql2";
import type { ConnectionOptions } from "../connection-options.ts";

interface Mysql2Packet {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly end: number;
  isEOF(): boolean;
}

interface Mysql2Connection {
  addCommand(command: unknown): void;
  writePacket(packet: unknown): void;
  stream: { pause(): void; resume(): void };
}

const require = createRequire(import.meta.url);
const mysql2Root = dirname(require.resolve("mysql2"));
const Command = require(join(mysql2Root, "lib/commands/command.js")) as new () => {
  on(event: string, fn: (error: Error) => void): void;
};
const Packet = require(join(mysql2Root, "lib/packets/packet.js")) as new (
  id: number,
  buffer: Buffer,
  start: number,
  end: number,
) => unknown;

/** Where the dump starts: after the transactions of a MariaDB GTID list, or at a file position. */
export type BinlogStart =
  | { readonly gtidPosition: string }
  | { readonly file: string; readonly position: number; readonly gtidPosition?: undefined };

export interface BinlogHandlers {
  event(bytes: Buffer): void;
  error(error: Error): void;
}

export class BinlogConnection {
  readonly #connection: mysql.Connection;
  #checksum = false;
  #closed = false;

  private constructor(connection: mysql.Connection) {
    this.#connection = connection;
  }

  static async open(options: ConnectionOptions): Promise<BinlogConnection> {
    const connection = mysql.createConnection({
      host: options.host,
      port: options.port,
      user: options.user,
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    const binlog = new BinlogConnection(connection);
    connection.on("error", () => {});
    const query = (sql: string) => binlog.#query(sql);
    const [row] = (await query("SELECT @@global.binlog_checksum AS checksum")) as { checksum: string }[];
    binlog.#checksum = row?.checksum !== "NONE";
    // Announce that checksums are understood, and (MariaDB) that GTID events are.
    await query("SET @master_binlog_checksum = @@global.binlog_checksum");
    await query("SET @mariadb_slave_capability = 4");
    return binlog;
  }

  /**
   * Streams events from `from`; `serverId` must be unique among the server's replicas. A GTID start
   * sets the session's replica state first (the server reads it when the dump command arrives);
   * strict mode makes the server refuse a GTID its binlog does not hold instead of guessing.
   */
  async start(from: BinlogStart, serverId: number, handlers: BinlogHandlers): Promise<void> {
    const checksum = this.#checksum;
    if (from.gtidPosition !== undefined) {
      await this.#query("SET @slave_connect_state = ?", [from.gtidPosition]);
      await this.#query("SET @slave_gtid_strict_mode = 1");
    }
    if (this.#closed) return;
    const name = Buffer.from(from.gtidPosition === undefined ? from.file : "", "utf8");
    const position = from.gtidPosition === undefined ? from.position : 4;
    const command = new (class extends Command {
      start(_packet: unknown, connection: Mysql2Connection) {
        const buffer = Buffer.alloc(4 + 11 + name.length);
        buffer[4] = 0x12; // COM_BINLOG_DUMP
        buffer.writeUInt32LE(position, 5);
        buffer.writeUInt16LE(0, 9);
        buffer.writeUInt32LE(serverId, 11);
        name.copy(buffer, 15);
        connection.writePacket(new Packet(0, buffer, 0, buffer.length));
        return this.data;
      }
      data(packet: Mysql2Packet) {
        if (packet.isEOF()) {
          handlers.error(new Error("the binlog stream ended"));
          return null;
        }
        // Byte 0 is the OK marker; the event follows.
        const event = packet.buffer.subarray(packet.offset + 1, checksum ? packet.end - 4 : packet.end);
        handlers.event(Buffer.from(event));
        return this.data;
      }
    })();
    command.on("error", (error: Error) => {
      if (!this.#closed) handlers.error(error);
    });
    this.#connection.on("end", () => {
      if (!this.#closed) handlers.error(new Error("the binlog connection closed"));
    });
    (this.#connection as unknown as Mysql2Connection).addCommand(command);
  }

  #query(sql: string, values: readonly string[] = []): Promise<unknown[]> {
    return new Promise<unknown[]>((resolve, reject) =>
      this.#connection.query({ sql, values: [...values] }, (error: Error | null, rows: unknown) =>
        error ? reject(error) : resolve(rows as unknown[]),
      ),
    );
  }

  pause(): void {
    (this.#connection as unknown as Mysql2Connection).stream.pause();
  }

  resume(): void {
    (this.#connection as unknown as Mysql2Connection).stream.resume();
  }

  close(): void {
    this.#closed = true;
    this.#connection.destroy();
  }
}
