/**
 * Random bounded tables for the DuckDB differential suite, and the two ways the same rows reach
 * the engines: JSON-lines / CSV files that Weir reads with the `filesystem` connector, and INSERT
 * statements for DuckDB. Invariant: both engines see exactly the same values (DECIMALs are written
 * as exact text; doubles are multiples of 1/4 so that sums are exact in any order).
 *
 * Tables:
 * ```text
 * t1 (id INT NOT NULL unique, k STRING nullable, x INT nullable, amount DECIMAL(10, 2) nullable, d DOUBLE nullable,
 *     ts TIMESTAMP(3) nullable, within three days from 2024-01-01 00:00:00)
 * t2 (k STRING, z INT)   -- no NULLs: written as CSV
 * ```
 * @module
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

export interface T1Row {
  readonly id: number;
  readonly k: string | null;
  readonly x: number | null;
  /** Hundredths, so the DECIMAL(10, 2) value is exact. */
  readonly amountCents: number | null;
  /** Quarters, so the DOUBLE value and its sums are exact. */
  readonly dQuarters: number | null;
  /** Milliseconds after 2024-01-01 00:00:00 (wall clock, no zone). */
  readonly tsMillis: number | null;
}

export interface T2Row {
  readonly k: string;
  readonly z: number;
}

export interface DataSet {
  readonly t1: readonly T1Row[];
  readonly t2: readonly T2Row[];
}

/** Keys from a small alphabet, so joins and groups hit. */
export const KEYS = ["a", "b", "c", "d", "e"] as const;

const key = fc.constantFrom(...KEYS);
const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 5 });

export const dataSetArbitrary: fc.Arbitrary<DataSet> = fc.record({
  t1: fc
    .array(
      fc.record({
        k: nullable(key),
        x: nullable(fc.integer({ min: -50, max: 50 })),
        amountCents: nullable(fc.integer({ min: -100_000, max: 100_000 })),
        dQuarters: nullable(fc.integer({ min: -400, max: 400 })),
        tsMillis: nullable(fc.integer({ min: 0, max: 3 * 86_400_000 - 1 })),
      }),
      { minLength: 10, maxLength: 30 },
    )
    .map((rows) => rows.map((row, id) => ({ id, ...row }))),
  t2: fc.array(fc.record({ k: key, z: fc.integer({ min: -50, max: 50 }) }), { minLength: 4, maxLength: 12 }),
});

function decimalText(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** The epoch of the generated timestamps: 2024-01-01 00:00:00 read as UTC. */
export const TS_EPOCH = Date.UTC(2024, 0, 1);

/** `YYYY-MM-DD HH:mm:ss.SSS`, Flink's text for a TIMESTAMP(3). */
export function timestampText(millis: number): string {
  return new Date(TS_EPOCH + millis).toISOString().replace("T", " ").replace("Z", "");
}

function sqlLiteral(value: string | number | null, kind: "string" | "number" = "number"): string {
  if (value === null) return "NULL";
  return kind === "string" ? `'${value}'` : String(value);
}

/** Writes `t1.jsonl` and `t2.csv` into `dir`; returns Weir's DDL reading them. */
export function writeWeirTables(data: DataSet, dir: string): string {
  const t1 = data.t1
    .map(
      (r) =>
        `{"id": ${r.id}, "k": ${r.k === null ? "null" : `"${r.k}"`}, "x": ${r.x ?? "null"}, ` +
        `"amount": ${r.amountCents === null ? "null" : decimalText(r.amountCents)}, ` +
        `"d": ${r.dQuarters === null ? "null" : r.dQuarters / 4}, ` +
        `"ts": ${r.tsMillis === null ? "null" : `"${timestampText(r.tsMillis)}"`}}`,
    )
    .join("\n");
  writeFileSync(join(dir, "t1.jsonl"), data.t1.length === 0 ? "" : `${t1}\n`);
  writeFileSync(join(dir, "t2.csv"), data.t2.map((r) => `${r.k},${r.z}\n`).join(""));
  return [
    `CREATE TABLE t1 (id INT, k STRING, x INT, amount DECIMAL(10, 2), d DOUBLE, ts TIMESTAMP(3)) WITH (` +
      `'connector' = 'filesystem', 'path' = '${join(dir, "t1.jsonl")}', 'format' = 'json');`,
    `CREATE TABLE t2 (k STRING, z INT) WITH (` +
      `'connector' = 'filesystem', 'path' = '${join(dir, "t2.csv")}', 'format' = 'csv');`,
  ].join("\n");
}

/** DuckDB statements creating and filling the same two tables. */
export function duckDbTables(data: DataSet): string[] {
  const statements = [
    "CREATE TABLE t1 (id INTEGER, k VARCHAR, x INTEGER, amount DECIMAL(10, 2), d DOUBLE, ts TIMESTAMP)",
    "CREATE TABLE t2 (k VARCHAR, z INTEGER)",
  ];
  if (data.t1.length > 0) {
    const values = data.t1.map(
      (r) =>
        `(${r.id}, ${sqlLiteral(r.k, "string")}, ${sqlLiteral(r.x)}, ` +
        `${r.amountCents === null ? "NULL" : `CAST('${decimalText(r.amountCents)}' AS DECIMAL(10, 2))`}, ` +
        `${r.dQuarters === null ? "NULL" : `${r.dQuarters / 4}::DOUBLE`}, ` +
        `${r.tsMillis === null ? "NULL" : `TIMESTAMP '${timestampText(r.tsMillis)}'`})`,
    );
    statements.push(`INSERT INTO t1 VALUES ${values.join(", ")}`);
  }
  if (data.t2.length > 0) {
    statements.push(`INSERT INTO t2 VALUES ${data.t2.map((r) => `('${r.k}', ${r.z})`).join(", ")}`);
  }
  return statements;
}
