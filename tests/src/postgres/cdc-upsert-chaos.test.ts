/**
 * Postgres CDC into a Postgres upsert sink on the local mini-cluster, under worker kills: a
 * workload of random inserts, updates and deletes (in transactions of several statements) runs
 * against the source table while the job's worker threads are killed several times; the job
 * restarts from its latest checkpoint each time (the CDC source resumes from the checkpointed
 * snapshot key or LSN, the sink replays idempotently). At the end the target table must equal the
 * source table, row for row and value for value.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type PostgresTestServer, startPostgres } from "@weir/connector-postgres/testing";
import { runJob } from "@weir/runtime";
import pg from "pg";
import type { CdcUpsertParams } from "./cdc-upsert.job.ts";

const JOB = new URL("./cdc-upsert.job.ts", import.meta.url);

let server: PostgresTestServer;
let db: pg.Client;

before(async () => {
  server = await startPostgres();
  db = new pg.Client({ host: server.host, port: server.port, user: "postgres", database: "postgres" });
  await db.connect();
});
after(async () => {
  await db?.end();
  server?.stop();
});

/** A small deterministic generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function differences(): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM (SELECT * FROM src EXCEPT SELECT * FROM dst) a) +
             (SELECT count(*) FROM (SELECT * FROM dst EXCEPT SELECT * FROM src) b))::int AS n`,
  );
  return result.rows[0]!.n;
}

test("CDC into an upsert sink: after random changes and repeated worker kills, the target equals the source", async () => {
  // Timestamps keep milliseconds (the SQL value representation drops sub-millisecond digits).
  const schema = "(id int PRIMARY KEY, v text, n numeric(12,2), ts timestamptz(3), b bytea)";
  await db.query(`CREATE TABLE src ${schema}`);
  await db.query("ALTER TABLE src REPLICA IDENTITY FULL");
  await db.query(`CREATE TABLE dst ${schema}`);
  await db.query(
    `INSERT INTO src SELECT g, 'initial ' || g, g * 1.25, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',
     decode(lpad(to_hex(g), 8, '0'), 'hex') FROM generate_series(1, 3000) g`,
  );
  const params: CdcUpsertParams = {
    connection: { host: server.host, port: server.port, user: "postgres", database: "postgres" },
    sourceTable: "public.src",
    targetTable: "public.dst",
    slotName: "chaos_slot",
    kills: 4,
    killAfter: 400,
  };
  const log: string[] = [];
  const abort = new AbortController();
  const running = runJob(JOB, {
    parallelism: 2,
    batchSize: 64,
    params,
    signal: abort.signal,
    checkpointing: { intervalMs: 100, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 20, delayMs: 50 },
    log: (line) => log.push(line),
  }).then(
    () => new Error("the unbounded job finished on its own"),
    (error: unknown) => error as Error,
  );

  const restarts = () => log.filter((l) => l.startsWith("restarting job")).length;
  try {
    await workload(params.kills);
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
  assert.ok(restarts() >= params.kills, `${restarts()} restarts`);
  const counts = await db.query(
    "SELECT (SELECT count(*) FROM src)::int AS src, (SELECT count(*) FROM dst)::int AS dst",
  );
  assert.equal(counts.rows[0].src, counts.rows[0].dst);
  assert.ok(counts.rows[0].src > 2500);
  assert.equal(await differences(), 0);

  async function workload(kills: number): Promise<void> {
    const next = random(20261123);
    let nextId = 3001;
    // A killed thread never confirms its cancellation, so each restart waits out the runtime's 5 s grace.
    const deadline = Date.now() + 120_000;
    // The workload runs until every planned kill has struck, so kills land amid changes.
    for (let round = 0; restarts() < kills || round < 150; round++) {
      assert.ok(
        Date.now() < deadline,
        `workload timed out after ${restarts()} restarts:\n${log.slice(-5).join("\n")}`,
      );
      await db.query("BEGIN");
      const statements = 1 + Math.floor(next() * 4);
      for (let s = 0; s < statements; s++) {
        const id = 1 + Math.floor(next() * (nextId - 1));
        const dice = next();
        if (dice < 0.35)
          await db.query("INSERT INTO src VALUES ($1, $2, $3, date_trunc('milliseconds', now()), $4)", [
            nextId++,
            `inserted ${round}`,
            (next() * 1e6).toFixed(2),
            Buffer.from([round & 255, s]),
          ]);
        else if (dice < 0.75)
          await db.query("UPDATE src SET v = $2, n = n + 1, ts = ts + interval '1 hour' WHERE id = $1", [
            id,
            `updated ${round}`,
          ]);
        else if (dice < 0.9) await db.query("DELETE FROM src WHERE id = $1", [id]);
        else await db.query("UPDATE src SET n = n * 2 WHERE id BETWEEN $1 AND $1 + 20", [id]);
      }
      await db.query("COMMIT");
      await new Promise((r) => setTimeout(r, 5));
    }
    // Converge: every change reaches the target.
    let ended: Error | undefined;
    void running.then((error) => {
      ended = error;
    });
    while ((await differences()) !== 0) {
      if (Date.now() > deadline || ended !== undefined) {
        const missing = await db.query(
          "SELECT * FROM (SELECT * FROM src EXCEPT SELECT * FROM dst) a ORDER BY id LIMIT 3",
        );
        const extra = await db.query(
          "SELECT * FROM (SELECT * FROM dst EXCEPT SELECT * FROM src) a ORDER BY id LIMIT 3",
        );
        assert.fail(
          `target never equalled source (job ended: ${ended?.message}); source only: ${JSON.stringify(missing.rows)}, ` +
            `target only: ${JSON.stringify(extra.rows)}; last log lines:\n${log.slice(-5).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
