/**
 * Catalog chores of the CDC source, done on a plain (non-replication) connection: opening that
 * connection with the connectors' session settings, making sure the publication lists the
 * captured tables, and freeing the slot from a connection that still holds it.
 *
 * Invariant: the slot belongs to one job, so a backend still streaming from it can only be a
 * failed attempt's connection the server has not noticed yet; ending it is safe and lets the new
 * attempt stream at once.
 * @module
 */

import pg from "pg";
import { type ConnectionOptions, POSTGRES_SESSION_OPTIONS, quotePg } from "../connection-options.ts";
import type { CapturedTable } from "./captured-table.ts";

/** Opens a session in UTC with ISO dates; `onError` hears about a connection lost later. */
export async function openSession(
  connection: ConnectionOptions,
  onError: (error: Error) => void,
): Promise<pg.Client> {
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    user: connection.user,
    ...(connection.password === undefined ? {} : { password: connection.password }),
    database: connection.database,
    options: POSTGRES_SESSION_OPTIONS,
  });
  client.on("error", onError);
  await client.connect();
  return client;
}

/** Creates the publication for `tables`, or adds the ones it lacks. */
export async function ensurePublication(
  client: pg.Client,
  name: string,
  tables: readonly CapturedTable[],
): Promise<void> {
  const found = await client.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [name]);
  if (found.rows.length === 0) {
    await client.query(
      `CREATE PUBLICATION ${quotePg(name)} FOR TABLE ${tables.map((t) => t.qualified).join(", ")}`,
    );
    return;
  }
  const listed = await client.query<{ id: string }>(
    "SELECT schemaname || '.' || tablename AS id FROM pg_publication_tables WHERE pubname = $1",
    [name],
  );
  const present = new Set(listed.rows.map((r) => r.id));
  const missing = tables.filter((t) => !present.has(t.id));
  if (missing.length > 0)
    await client.query(
      `ALTER PUBLICATION ${quotePg(name)} ADD TABLE ${missing.map((t) => t.qualified).join(", ")}`,
    );
}

/** Ends a backend still holding `slot`, waiting until the slot is free (about 5 s at most). */
export async function releaseSlot(client: pg.Client, slot: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const active = await client.query<{ pid: number | null }>(
      "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1",
      [slot],
    );
    const pid = active.rows[0]?.pid ?? null;
    if (pid === null) return;
    await client.query("SELECT pg_terminate_backend($1)", [pid]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the replication slot "${slot}" stays in use by another connection`);
}
