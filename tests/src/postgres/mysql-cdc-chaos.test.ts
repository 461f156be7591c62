/**
 * MariaDB CDC into a MariaDB upsert sink on the local mini-cluster, under worker kills: random
 * inserts, updates and deletes (in multi-statement transactions) run against the source table while
 * the job's worker threads are killed several times; the job restarts from its latest checkpoint
 * each time (the MySQL CDC source resumes from the checkpointed snapshot key or binlog position,
 * the sink replays idempotently). At the end the target table equals the source table.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { useMariadbDatabase } from "@weir/connector-postgres/testing/mariadb";
import { runJob } from "@weir/runtime";
import type mysql from "mysql2/promise";
import type { CdcUpsertParams } from "./cdc-upsert.job.ts";

const JOB = new URL("./cdc-upsert.job.ts", import.meta.url);

const shop = useMariadbDatabase("shop");

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
  const [rows] = await shop.db.query<mysql.RowDataPacket[]>(
    `SELECT (SELECT COUNT(*) FROM (SELECT * FROM src EXCEPT SELECT * FROM dst) a) +
            (SELECT COUNT(*) FROM (SELECT * FROM dst EXCEPT SELECT * FROM src) b) AS n`,
  );
  return Number(rows[0]!.n);
}

test("MariaDB CDC into an upsert sink: after random changes and repeated worker kills, the target equals the source", async () => {
  const schema = "(id INT PRIMARY KEY, v TEXT, n DECIMAL(12,2), ts TIMESTAMP(3) NULL, b VARBINARY(16))";
  await shop.db.query(`CREATE TABLE src ${schema}`);
  await shop.db.query(`CREATE TABLE dst ${schema}`);
  await shop.db.query("SET SESSION max_recursive_iterations = 10000");
  await shop.db.query(
    `INSERT INTO src WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 3000)
     SELECT i, CONCAT('initial ', i), i * 1.25, TIMESTAMP'2026-01-01 00:00:00' + INTERVAL i SECOND, UNHEX(LPAD(HEX(i), 8, '0')) FROM g`,
  );
  const params: CdcUpsertParams = {
    system: "mysql",
    connection: { host: shop.server.host, port: shop.server.port, user: "root", database: "shop" },
    sourceTable: "src",
    targetTable: "dst",
    slotName: "unused",
    kills: 3,
    killAfter: 400,
    killNotBeforeMs: 1_500,
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
    const next = random(20261124);
    let nextId = 3001;
    // A killed thread never confirms its cancellation, so each restart waits out the runtime's 5 s grace.
    const deadline = Date.now() + 120_000;
    for (let round = 0; restarts() < params.kills || round < 150; round++) {
      assert.ok(Date.now() < deadline, `workload timed out after ${restarts()} restarts`);
      await shop.db.query("START TRANSACTION");
      const statements = 1 + Math.floor(next() * 4);
      for (let s = 0; s < statements; s++) {
        const id = 1 + Math.floor(next() * (nextId - 1));
        const dice = next();
        if (dice < 0.35)
          await shop.db.query("INSERT INTO src VALUES (?, ?, ?, NOW(3), ?)", [
            nextId++,
            `inserted ${round}`,
            (next() * 1e6).toFixed(2),
            Buffer.from([round & 255, s]),
          ]);
        else if (dice < 0.75)
          await shop.db.query("UPDATE src SET v = ?, n = n + 1, ts = ts + INTERVAL 1 HOUR WHERE id = ?", [
            `updated ${round}`,
            id,
          ]);
        else if (dice < 0.9) await shop.db.query("DELETE FROM src WHERE id = ?", [id]);
        else await shop.db.query("UPDATE src SET n = n * 2 WHERE id BETWEEN ? AND ? + 20", [id, id]);
      }
      await shop.db.query("COMMIT");
      await new Promise((r) => setTimeout(r, 5));
    }
    let ended: Error | undefined;
    void running.then((error) => {
      ended = error;
    });
    while ((await differences()) !== 0) {
      if (Date.now() > deadline || ended !== undefined) {
        const [missing] = await shop.db.query(
          "SELECT id, v FROM (SELECT * FROM src EXCEPT SELECT * FROM dst) a ORDER BY id LIMIT 3",
        );
        const [extra] = await shop.db.query(
          "SELECT id, v FROM (SELECT * FROM dst EXCEPT SELECT * FROM src) a ORDER BY id LIMIT 3",
        );
        assert.fail(
          `target never equalled source (job ended: ${ended?.message}); source only: ${JSON.stringify(missing)}, ` +
            `target only: ${JSON.stringify(extra)}; last log lines:\n${log.slice(-5).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
  assert.ok(restarts() >= params.kills, `${restarts()} restarts`);
  const [counts] = await shop.db.query<mysql.RowDataPacket[]>(
    "SELECT (SELECT COUNT(*) FROM src) AS src, (SELECT COUNT(*) FROM dst) AS dst",
  );
  assert.equal(Number(counts[0]!.src), Number(counts[0]!.dst));
  assert.ok(Number(counts[0]!.src) > 2500);
});
