/**
 * Differential tests against DuckDB for window-TVF aggregations: random bounded event-time tables
 * (keys, nullable values, timestamps on a 500 ms grid so many rows tie, in random order) are
 * written as JSON lines for Weir, with a watermark delay longer than the data's span so no row is
 * late and the final rows depend on the data alone. DuckDB has no window TVFs; each window kind is
 * rewritten with arithmetic on epoch milliseconds: TUMBLE as `e - e % size`, HOP and CUMULATE as a
 * join with the window starts (ends) covering each row, SESSION as `lag()`-based session numbering
 * per key (a gap of exactly `gap` still merges: Flink's session windows merge when they touch).
 * Every query runs under the default (two-phase for TUMBLE/HOP/CUMULATE) and ONE_PHASE strategies.
 * Window sizes vary per run, so grid and window boundaries line up in some runs and not in others.
 *
 * The seed is printed in every failure; rerun with `WEIR_DIFF_SEED=<seed>`.
 * @module
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { runSqlScript } from "weir/sql-runner";

const SEED = Number(process.env.WEIR_DIFF_SEED ?? Date.now() % 2 ** 31);
const RUNS = 10;
/** 2024-01-01T00:00:00Z: away from the epoch, so HOP windows before the first row start > 0. */
const BASE_MS = Date.UTC(2024, 0, 1);

const duckdb = await DuckDBInstance.create(":memory:");
after(() => duckdb.closeSync());

/** A small seeded generator (mulberry32), so a failing seed reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Row {
  readonly k: number;
  readonly v: number | null;
  readonly ms: number;
}

/** Rows in random time order over a ~25 s span, on a 500 ms grid (ties), with sparse gaps. */
function rows(next: () => number, count: number): Row[] {
  const out: Row[] = [];
  for (let n = 0; n < count; n++) {
    const ms = BASE_MS + Math.floor(next() * 50) * 500;
    out.push({ k: 1 + Math.floor(next() * 3), v: next() < 0.1 ? null : Math.floor(next() * 41) - 20, ms });
  }
  return out;
}

const pick = <T>(next: () => number, options: readonly T[]): T =>
  options[Math.floor(next() * options.length)] as T;

const timestamp = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** Window sizes of one run, in ms; HOP size and CUMULATE max are multiples of their step. */
interface Sizes {
  readonly tumble: number;
  readonly hopSlide: number;
  readonly hopSize: number;
  readonly cumStep: number;
  readonly cumMax: number;
  readonly gap: number;
}

function sizes(next: () => number): Sizes {
  const hopSlide = pick(next, [1000, 1500, 2000]);
  const cumStep = pick(next, [500, 1000, 2000]);
  return {
    tumble: pick(next, [1000, 2000, 3000, 5000]),
    hopSlide,
    hopSize: hopSlide * pick(next, [1, 2, 3, 4]),
    cumStep,
    cumMax: cumStep * pick(next, [1, 2, 4, 5]),
    gap: pick(next, [500, 1000, 1500, 2500]),
  };
}

const SELECT_AGG = "window_start, window_end, k, COUNT(*), SUM(v), MIN(v), MAX(v)";
const GROUP = "GROUP BY window_start, window_end, k";
const seconds = (ms: number): string => `INTERVAL '${ms / 1000}' SECOND`;
/** A DuckDB aggregation over `w`, a relation of rows tagged with their window [ws, we). */
const duckAgg = (run: number, w: string): string =>
  `SELECT ${run} AS r, ws, we, k, COUNT(*), SUM(v), MIN(v), MAX(v) FROM (${w}) GROUP BY ws, we, k`;
const E = "epoch_ms(ts)";

/** One run's query in both engines: Weir SQL and DuckDB SQL over `table`, rows tagged with `run`. */
interface Pair {
  readonly weir: string;
  readonly duck: string;
}
type Template = (s: Sizes, table: string, run: number) => Pair;

const tumble: Template = (s, t, run) => {
  const ws = `${E} - ${E} % ${s.tumble}`;
  return {
    weir: `SELECT ${run} AS r, ${SELECT_AGG} FROM TABLE(TUMBLE(TABLE ${t}, DESCRIPTOR(ts), ${seconds(s.tumble)})) ${GROUP}`,
    duck: duckAgg(run, `SELECT k, v, ${ws} AS ws, ${ws} + ${s.tumble} AS we FROM ${t}`),
  };
};

/** A row at e is in the HOP windows starting at e - e % slide - j·slide, j < size / slide. */
const hop: Template = (s, t, run) => {
  const ws = `${E} - ${E} % ${s.hopSlide} - j * ${s.hopSlide}`;
  return {
    weir: `SELECT ${run} AS r, ${SELECT_AGG} FROM TABLE(HOP(TABLE ${t}, DESCRIPTOR(ts), ${seconds(s.hopSlide)}, ${seconds(s.hopSize)})) ${GROUP}`,
    duck: duckAgg(
      run,
      `SELECT k, v, ${ws} AS ws, ${ws} + ${s.hopSize} AS we FROM ${t} CROSS JOIN range(${s.hopSize / s.hopSlide}) AS r(j)`,
    ),
  };
};

/** A row at e is in the CUMULATE windows [e - e % max, start + i·step) that end after e. */
const cumulate: Template = (s, t, run) => {
  const ws = `${E} - ${E} % ${s.cumMax}`;
  const we = `${ws} + i * ${s.cumStep}`;
  return {
    weir: `SELECT ${run} AS r, ${SELECT_AGG} FROM TABLE(CUMULATE(TABLE ${t}, DESCRIPTOR(ts), ${seconds(s.cumStep)}, ${seconds(s.cumMax)})) ${GROUP}`,
    duck: duckAgg(
      run,
      `SELECT k, v, ${ws} AS ws, ${we} AS we FROM ${t} CROSS JOIN range(1, ${s.cumMax / s.cumStep + 1}) AS r(i) WHERE ${we} > ${E}`,
    ),
  };
};

/**
 * Per key in time order, a row opens a new session unless it is at most `gap` after the previous
 * one; a session is [first row, last row + gap). The running sum of "opens a session" is over a
 * RANGE frame so rows of equal time (whose order LAG and SUM may see differently) share a session.
 */
const session: Template = (s, t, run) => ({
  weir: `SELECT ${run} AS r, ${SELECT_AGG} FROM TABLE(SESSION(TABLE ${t} PARTITION BY k, DESCRIPTOR(ts), ${seconds(s.gap)})) ${GROUP}`,
  duck: duckAgg(
    run,
    `SELECT k, v, MIN(e) OVER (PARTITION BY k, sid) AS ws, MAX(e) OVER (PARTITION BY k, sid) + ${s.gap} AS we
     FROM (SELECT *, SUM(fresh) OVER (PARTITION BY k ORDER BY e RANGE UNBOUNDED PRECEDING) AS sid
       FROM (SELECT k, v, e, CASE WHEN e - LAG(e) OVER (PARTITION BY k ORDER BY e) <= ${s.gap} THEN 0 ELSE 1 END AS fresh
         FROM (SELECT k, v, ${E} AS e FROM ${t})))`,
  ),
});

/** Window Top-N over a TUMBLE aggregation: the 2 keys with the most rows per window, ties by key. */
const topN: Template = (s, t, run) => {
  const ws = `${E} - ${E} % ${s.tumble}`;
  return {
    weir: `SELECT ${run} AS r, window_start, window_end, k, c, s FROM (
       SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY c DESC, k ASC) AS rn FROM (
         SELECT window_start, window_end, k, COUNT(*) AS c, SUM(v) AS s
         FROM TABLE(TUMBLE(TABLE ${t}, DESCRIPTOR(ts), ${seconds(s.tumble)})) ${GROUP}))
     WHERE rn <= 2`,
    duck: `SELECT ${run} AS r, ws, we, k, c, s FROM (
       SELECT *, ROW_NUMBER() OVER (PARTITION BY ws, we ORDER BY c DESC, k ASC) AS rn FROM (
         SELECT ws, we, k, COUNT(*) AS c, SUM(v) AS s
         FROM (SELECT k, v, ${ws} AS ws, ${ws} + ${s.tumble} AS we FROM ${t}) GROUP BY ws, we, k))
     WHERE rn <= 2`,
  };
};

interface Run {
  readonly table: string;
  readonly data: readonly Row[];
  readonly sizes: Sizes;
}

/**
 * The query over all runs at once (a UNION ALL of one branch per run, each tagged with its run), so
 * one Weir job covers every run; it runs under the default strategy, then under ONE_PHASE.
 */
async function weirRows(dir: string, runs: readonly Run[], sql: string): Promise<string[][]> {
  const ddl: string[] = [];
  for (const { table, data } of runs) {
    const path = join(dir, `${table}.jsonl`);
    await writeFile(
      path,
      data.map((r) => JSON.stringify({ k: r.k, v: r.v, ts: timestamp(r.ms) })).join("\n"),
    );
    ddl.push(`CREATE TABLE ${table} (k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '10' MINUTE)
      WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'json');`);
  }
  const script = `${ddl.join("\n")}
    ${sql};
    SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE';
    ${sql};`;
  const { results } = await runSqlScript(script, { parallelism: 2 });
  assert.deepEqual(
    results.filter((r) => r.kind !== "select" && r.kind !== "ok"),
    [],
    "every statement runs",
  );
  return results.flatMap((r) => (r.kind === "select" ? [canonical(r.rows)] : []));
}

async function duckRows(runs: readonly Run[], sql: string): Promise<string[]> {
  const connection = await duckdb.connect();
  try {
    for (const { table, data } of runs) {
      await connection.run(`CREATE OR REPLACE TABLE ${table} (k INTEGER, v INTEGER, ts TIMESTAMP)`);
      const values = data.map((r) => `(${r.k}, ${r.v ?? "NULL"}, TIMESTAMP '${timestamp(r.ms)}')`);
      await connection.run(`INSERT INTO ${table} VALUES ${values.join(", ")}`);
    }
    return canonical((await connection.runAndReadAll(sql)).getRowObjectsJson());
  } finally {
    connection.closeSync();
  }
}

/**
 * Rows as sorted text. Numbers compare by value (DuckDB gives big integers as strings); Weir's
 * timestamps ("2024-01-01 00:00:05.000", UTC) become epoch ms, as DuckDB's window bounds are.
 */
function canonical(rows: readonly Record<string, unknown>[]): string[] {
  const value = (v: unknown): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "string" && /^\d{4}-\d\d-\d\d /.test(v))
      return String(Date.parse(`${v.replace(" ", "T")}Z`));
    return String(Number(v));
  };
  return rows.map((row) => Object.values(row).map(value).join(",")).sort();
}

const ofRun = (rows: readonly string[], run: number): string[] => rows.filter((r) => r.startsWith(`${run},`));

async function compare(name: string, template: Template): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "weir-window-diff-"));
  try {
    const runs: Run[] = [];
    for (let run = 0; run < RUNS; run++) {
      const next = random(SEED + run);
      runs.push({ table: `t${run}`, data: rows(next, 40 + Math.floor(next() * 40)), sizes: sizes(next) });
    }
    const pairs = runs.map((run, i) => template(run.sizes, run.table, i));
    const union = (side: keyof Pair) => pairs.map((p) => `(${p[side]})`).join("\nUNION ALL\n");
    const duck = await duckRows(runs, union("duck"));
    const weir = await weirRows(dir, runs, union("weir"));
    assert.equal(weir.length, 2, "one result per strategy");
    for (let run = 0; run < RUNS; run++) {
      const expected = ofRun(duck, run);
      assert.ok(expected.length > 0, `${name}: the reference query of run ${run} yields rows`);
      for (const [strategy, actual] of [
        ["default", weir[0] ?? []],
        ["ONE_PHASE", weir[1] ?? []],
      ] as const) {
        assert.deepEqual(
          ofRun(actual, run),
          expected,
          `${name} (${strategy}), seed ${SEED + run} (WEIR_DIFF_SEED=${SEED}, run ${run}), sizes ${JSON.stringify(runs[run]?.sizes)}: ${pairs[run]?.weir}`,
        );
      }
    }
    assert.equal(weir[0]?.length, duck.length, `${name}: no rows outside the runs (default)`);
    assert.equal(weir[1]?.length, duck.length, `${name}: no rows outside the runs (ONE_PHASE)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("TUMBLE window aggregation agrees with DuckDB's time buckets", async () => {
  await compare("TUMBLE", tumble);
});

test("HOP window aggregation agrees with DuckDB's join on covering window starts", async () => {
  await compare("HOP", hop);
});

test("CUMULATE window aggregation agrees with DuckDB's join on covering window ends", async () => {
  await compare("CUMULATE", cumulate);
});

test("SESSION window aggregation (PARTITION BY key) agrees with DuckDB's lag()-numbered sessions", async () => {
  await compare("SESSION", session);
});

test("window Top-N over a TUMBLE aggregation agrees with DuckDB", async () => {
  await compare("window Top-N", topN);
});
