/**
 * A throwaway MariaDB server for tests, from Debian's binaries (`mariadb-install-db`, `mariadbd`),
 * with the binary log the MySQL CDC source reads: `log_bin`, `binlog_format=ROW`,
 * `binlog_row_metadata=FULL`, its own server id, port and socket. Root has no password.
 *
 * Invariant: everything the server writes lives in one temporary directory, removed by `stop()`;
 * `useMariadbDatabase` stops the server it starts after the test file's tests.
 * @module
 */

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import mysql from "mysql2/promise";
import { freePort } from "./postgres-server.ts";

export interface MariadbTestServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  stop(): Promise<void>;
}

function findBinary(names: readonly string[]): string {
  for (const name of names)
    for (const dir of ["/usr/sbin", "/usr/bin"]) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(
    `MariaDB server binaries not found (${names.join(", ")}); install Debian's mariadb-server package`,
  );
}

export async function startMariadb(): Promise<MariadbTestServer> {
  const install = findBinary(["mariadb-install-db", "mysql_install_db"]);
  const server = findBinary(["mariadbd", "mysqld"]);
  const dir = mkdtempSync(join(tmpdir(), "weir-mariadb-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0 ? ["--user=root"] : [];
  execFileSync(
    install,
    [
      "--no-defaults",
      `--datadir=${data}`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
      ...asRoot,
    ],
    {
      stdio: "ignore",
    },
  );
  const port = await freePort();
  const child = spawn(
    server,
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${join(dir, "socket")}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--log-bin=${join(dir, "binlog")}`,
      "--binlog-format=ROW",
      "--binlog-row-metadata=FULL",
      "--server-id=1",
      "--skip-name-resolve",
      ...asRoot,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const mysql = await import("mysql2/promise");
  for (let attempt = 0; ; attempt++) {
    try {
      const probe = await mysql.createConnection({ host: "127.0.0.1", port, user: "root" });
      await probe.end();
      break;
    } catch (error) {
      if (attempt > 100) {
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`MariaDB did not start: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host: "127.0.0.1",
    port,
    user: "root",
    async stop() {
      child.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test file's MariaDB server and a connection to its database; set once the file's `before` ran. */
export interface MariadbTestDatabase {
  readonly server: MariadbTestServer;
  /** The database's name. */
  readonly name: string;
  /** Connected as root, with `database` created and current. */
  readonly db: mysql.Connection;
}

/**
 * Registers the test file's `before` (start a server, create `database`, connect to it) and
 * `after` (disconnect, stop the server); the returned handle is filled in by `before`.
 */
export function useMariadbDatabase(database: string): MariadbTestDatabase {
  const handle: { server?: MariadbTestServer; db?: mysql.Connection } = {};
  before(async () => {
    handle.server = await startMariadb();
    handle.db = await mysql.createConnection({
      host: handle.server.host,
      port: handle.server.port,
      user: "root",
    });
    await handle.db.query(`CREATE DATABASE ${database}`);
    await handle.db.query(`USE ${database}`);
  });
  after(async () => {
    await handle.db?.end();
    await handle.server?.stop();
  });
  return {
    name: database,
    get server() {
      if (handle.server === undefined)
        throw new Error("the MariaDB server is started by the test file's before hook");
      return handle.server;
    },
    get db() {
      if (handle.db === undefined)
        throw new Error("the MariaDB connection is made by the test file's before hook");
      return handle.db;
    },
  };
}
