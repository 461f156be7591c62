/**
 * The Postgres server of the Postgres benchmarks: started once per `npm run bench` process (from
 * Debian's binaries, as the tests do) and stopped when the process exits. Its address reaches the
 * job modules through environment variables, which worker threads inherit, so every thread
 * builds the same graph.
 * @module
 */

import { type PostgresTestServer, startPostgres } from "@weir/connector-postgres/testing";

const HOST = "WEIR_BENCH_PG_HOST";
const PORT = "WEIR_BENCH_PG_PORT";

let server: PostgresTestServer | undefined;

/** Starts the server on first use; later calls return the same one. */
export async function benchDatabase(): Promise<PostgresTestServer> {
  if (server === undefined) {
    const started = await startPostgres();
    server = started;
    process.once("exit", () => started.stop());
    process.env[HOST] = started.host;
    process.env[PORT] = String(started.port);
  }
  return server;
}

/** In a job module: where the benchmark database listens. */
export function benchConnection(): { host: string; port: number; user: string; database: string } {
  const host = process.env[HOST];
  const port = Number(process.env[PORT]);
  if (host === undefined || !Number.isInteger(port))
    throw new Error(`the Postgres benchmarks need ${HOST} and ${PORT} (set by their prepare step)`);
  return { host, port, user: "postgres", database: "postgres" };
}
