/**
 * A throwaway PostgreSQL server for tests and benchmarks, started from Debian's binaries
 * (`/usr/lib/postgresql/<version>/bin`) with the settings logical replication needs
 * (`wal_level=logical`, replication slots and WAL senders), on a free port of 127.0.0.1 with trust
 * authentication. Tests never depend on a server's settings they do not control, so each suite
 * starts its own.
 *
 * Invariant: everything the server writes lives in one temporary directory, removed by `stop()`.
 * When the process runs as root, the server runs as the `postgres` user (Postgres refuses root).
 * @module
 */

import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running test server. */
export interface PostgresTestServer {
  readonly host: string;
  readonly port: number;
  /** The superuser (trust authentication, no password). */
  readonly user: string;
  /** The database the server was created with (`postgres`). */
  readonly database: string;
  /** Runs SQL through `psql` (for setup only; tests use the driver). */
  psql(sql: string, database?: string): string;
  /** Stops the server immediately and deletes its files. */
  stop(): void;
}

/** A port that was free a moment ago (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}

function findBinaries(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined)
    throw new Error(
      `PostgreSQL server binaries not found under ${root}/<version>/bin (install Debian's postgresql package)`,
    );
  return join(root, newest, "bin");
}

/** Starts a fresh server; extra `-c name=value` settings may be given. */
export async function startPostgres(
  options: { settings?: Readonly<Record<string, string>> } = {},
): Promise<PostgresTestServer> {
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "weir-pg-"));
  chmodSync(dir, 0o700);
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (file: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, file), ...args], { encoding: "utf8" })
      : execFileSync(join(bin, file), args, { encoding: "utf8" });
  const data = join(dir, "data");
  try {
    run("initdb", [
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "--no-sync",
      "-E",
      "UTF8",
      "--no-instructions",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as Error).message}`);
  }
  const settings: Record<string, string> = {
    wal_level: "logical",
    max_replication_slots: "20",
    max_wal_senders: "20",
    max_prepared_transactions: "20",
    listen_addresses: "127.0.0.1",
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    ...options.settings,
  };
  let port = 0;
  for (let tries = 0; ; tries++) {
    port = await freePort();
    const flags = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)];
    try {
      run("pg_ctl", [
        "-D",
        data,
        "-l",
        join(dir, "server.log"),
        "-w",
        "-t",
        "30",
        "-o",
        flags.join(" "),
        "start",
      ]);
      break;
    } catch (error) {
      if (tries >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pg_ctl start failed: ${(error as Error).message}`);
      }
    }
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      // WEIR_KEEP_PG=1 keeps the server's directory (data and server.log) for a post-mortem.
      if (process.env.WEIR_KEEP_PG === "1") console.error(`kept Postgres test directory ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    database: "postgres",
    psql: (sql, database = "postgres") =>
      execFileSync(
        "psql",
        [
          "-X",
          "-q",
          "-A",
          "-t",
          "-v",
          "ON_ERROR_STOP=1",
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          "-U",
          "postgres",
          "-d",
          database,
          "-c",
          sql,
        ],
        { encoding: "utf8", env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" } },
      ),
    stop,
  };
}
