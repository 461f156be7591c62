/**
 * Differential tests against DuckDB (an engine no one here wrote): random bounded tables (with
 * NULLs) are written as JSON-lines and CSV files for Weir and inserted into DuckDB, random queries
 * from the templates of `differential-queries.ts` run in both, and the final rows must be equal as
 * multisets (as lists for ORDER BY … LIMIT in batch mode), after normalizing representations:
 * numeric text (DECIMAL, DuckDB's HUGEINT) becomes a number, timestamps become
 * `YYYY-MM-DD HH:mm:ss.SSS`, and every non-integer number keeps 12 significant digits (see
 * `result-rows.ts`).
 *
 * One test per template and runtime mode. The seed is fixed per process and printed in every
 * failure; rerun a failure with `WEIR_DIFF_SEED=<seed>`. `WEIR_DIFF_RUNS` (default 2) sets the
 * data sets per test; each data set is queried with 3 queries of the template in one script.
 * `WEIR_DIFF=<substring>` runs only the templates whose name contains it.
 * Templates that Weir is known to get wrong are listed in `duckdb-known-failures.txt` (same
 * format as the golden list, the key being the template name) and reported as `todo`.
 * @module
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { type DataSet, dataSetArbitrary, duckDbTables, writeWeirTables } from "./differential-data.ts";
import { type DifferentialQuery, TEMPLATES } from "./differential-queries.ts";
import type { RuntimeMode } from "./golden-format.ts";
import { KnownFailures } from "./known-failures.ts";
import { diffRows } from "./result-rows.ts";
import { loadRunSqlScript, type RunSqlScript, scriptErrorFields } from "./sql-runner-contract.ts";

const SEED = Number(process.env.WEIR_DIFF_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.WEIR_DIFF_RUNS ?? 2);
const QUERIES_PER_RUN = 3;
const MODES: readonly RuntimeMode[] = ["streaming", "batch"];

const knownFailures = KnownFailures.read(
  fileURLToPath(new URL("./duckdb-known-failures.txt", import.meta.url)),
);
const runSqlScript = await loadRunSqlScript();
const duckdb = await DuckDBInstance.create(":memory:");
after(() => duckdb.closeSync());

const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;

/**
 * Numeric text to numbers, so that DECIMAL strings and DuckDB's big integers compare by value;
 * timestamps to Flink's millisecond text (DuckDB drops trailing zeros of the fraction).
 */
function normalize(
  row: Readonly<Record<string, unknown>>,
  columns: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const value = row[column];
    const timestamp = typeof value === "string" ? TIMESTAMP_TEXT.exec(value) : null;
    if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) out[column] = Number(value);
    else if (timestamp !== null) {
      const [, date, time, fraction] = timestamp;
      out[column] = `${date} ${time}.${(fraction ?? "").padEnd(3, "0").slice(0, 3)}`;
    } else out[column] = value;
  }
  return out;
}

async function duckDbRows(
  data: DataSet,
  queries: readonly DifferentialQuery[],
): Promise<Record<string, unknown>[][]> {
  const connection = await duckdb.connect();
  try {
    await connection.run("DROP TABLE IF EXISTS t1");
    await connection.run("DROP TABLE IF EXISTS t2");
    for (const statement of duckDbTables(data)) await connection.run(statement);
    const results: Record<string, unknown>[][] = [];
    for (const query of queries) {
      const reader = await connection.runAndReadAll(query.sql);
      results.push(reader.getRowObjectsJson().map((row) => normalize(row, query.columns)));
    }
    return results;
  } finally {
    connection.closeSync();
  }
}

async function weirRows(
  run: RunSqlScript,
  data: DataSet,
  queries: readonly DifferentialQuery[],
  mode: RuntimeMode,
): Promise<Record<string, unknown>[][]> {
  const dir = mkdtempSync(join(tmpdir(), "weir-differential-"));
  try {
    const ddl = writeWeirTables(data, dir);
    const script = `${ddl}\n${queries.map((q) => `${q.sql};`).join("\n")}\n`;
    const { results } = await run(script, {
      parallelism: 2,
      config: { "execution.runtime-mode": mode },
      signal: AbortSignal.timeout(30_000 * (queries.length + 1)),
    });
    const selects = results.filter((r) => r.kind === "select");
    assert.equal(
      selects.length,
      queries.length,
      `expected ${queries.length} SELECT results, got ${selects.length}`,
    );
    return selects.map((r, i) =>
      r.kind === "select" ? r.rows.map((row) => normalize(row, queries[i]!.columns)) : [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.env.WEIR_DIFF ?? "";

for (const [name, template] of Object.entries(TEMPLATES)) {
  if (!name.includes(only)) continue;
  for (const mode of MODES) {
    const known = knownFailures.reasonFor(name, 0, mode);
    const title = `${name} [${mode}] (seed ${SEED})`;
    const run = runSqlScript;
    test(title, known === null ? {} : { todo: known }, async () => {
      const property = fc.asyncProperty(
        dataSetArbitrary,
        fc.array(template, { minLength: QUERIES_PER_RUN, maxLength: QUERIES_PER_RUN }),
        async (data, queries) => {
          const expected = await duckDbRows(data, queries);
          let actual: Record<string, unknown>[][];
          try {
            actual = await weirRows(run, data, queries, mode);
          } catch (error) {
            const fields = scriptErrorFields(error);
            throw new Error(
              `Weir failed (${mode}, seed ${SEED}): ${fields.message}\nqueries:\n${queries.map((q) => q.sql).join("\n")}`,
            );
          }
          queries.forEach((query, i) => {
            const difference = diffRows(
              actual[i]!,
              expected[i]!,
              query.columns,
              query.ordered && mode === "batch",
            );
            if (difference !== null) {
              assert.fail(`${query.sql}\n(${mode}, seed ${SEED}; Weir vs DuckDB)\n${difference}`);
            }
          });
        },
      );
      await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    });
  }
}
