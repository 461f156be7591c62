/**
 * Runs one golden file in one runtime mode and checks each expectation.
 *
 * Strategy, so that one broken statement does not hide the rest of its file and the file stays
 * cheap: the whole script runs as one `runSqlScript` call. When a statement throws, its outcome is
 * recorded, the statement is blanked out (positions of the others do not move), INSERTs that already
 * ran are blanked too (their rows are already in the sink directory), and the script runs again; so a
 * file costs one run plus one per throwing statement. Files put expected errors before their queries
 * so that reruns replay only DDL. A statement without an expectation that throws (setup) fails every
 * case still open in the file with that error, instead of cascading into misleading errors.
 *
 * Invariant: every case of the file gets exactly one outcome per mode.
 * @module
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  blankUnits,
  changesSession,
  type Expectation,
  type GoldenFile,
  type RuntimeMode,
  type Unit,
} from "./golden-format.ts";
import { diffRows } from "./result-rows.ts";
import {
  type RunSqlScript,
  type ScriptErrorFields,
  type ScriptStatementResult,
  scriptErrorFields,
} from "./sql-runner-contract.ts";

export type Outcome =
  | { readonly kind: "result"; readonly result: ScriptStatementResult }
  | { readonly kind: "error"; readonly error: ScriptErrorFields }
  | { readonly kind: "missing"; readonly reason: string };

/** Placeholders of the golden format (`${data}`, `${sink}`), literally. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the golden files' placeholder text, not a template
const DATA_PLACEHOLDER = "${data}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: the golden files' placeholder text, not a template
const SINK_PLACEHOLDER = "${sink}";

/**
 * A job that has not finished in this long is stuck (every golden input is tiny and bounded); the
 * budget is per job statement, generous because CI machines are small and busy.
 */
const JOB_TIMEOUT_MS = 30_000;

/** Runs `file` in `mode`; returns the outcome of every unit that has an expectation, by unit index. */
export async function runGoldenFile(
  file: GoldenFile,
  mode: RuntimeMode,
  dataDir: string,
  runSqlScript: RunSqlScript,
): Promise<Map<number, Outcome>> {
  const outcomes = new Map<number, Outcome>();
  const pending = new Set<number>();
  file.units.forEach((unit, index) => {
    if (unit.expectation !== null) pending.add(index);
  });
  const blanked = new Set<number>();
  const sinkDir = mkdtempSync(join(tmpdir(), "weir-golden-sink-"));
  try {
    while (pending.size > 0) {
      const text = blankUnits(
        file.text,
        [...blanked].map((i) => file.units[i]!),
      )
        .replaceAll(DATA_PLACEHOLDER, dataDir)
        .replaceAll(SINK_PLACEHOLDER, sinkDir);
      let results: ScriptStatementResult[];
      try {
        const run = await runSqlScript(text, {
          parallelism: file.parallelism,
          config: { "execution.runtime-mode": mode },
          signal: AbortSignal.timeout(
            JOB_TIMEOUT_MS * (1 + file.units.filter((u) => !changesSession(u)).length),
          ),
        });
        results = run.results;
      } catch (thrown) {
        const error = scriptErrorFields(thrown);
        const failed = failingUnit(file.units, blanked, pending, error);
        if (failed < 0 || blanked.has(failed)) {
          for (const index of pending) outcomes.set(index, { kind: "error", error });
          break;
        }
        if (file.units[failed]!.expectation === null) {
          const unit = file.units[failed]!;
          const reason = `setup statement on line ${unit.line} (${unit.leading}) failed: ${error.message}`;
          for (const index of pending) outcomes.set(index, { kind: "missing", reason });
          break;
        }
        outcomes.set(failed, { kind: "error", error });
        pending.delete(failed);
        blanked.add(failed);
        // Statements before the failing one ran (the script stops at the first failure): do not
        // repeat their side effects (sink rows), and record that those INSERTs succeeded.
        file.units.forEach((unit, index) => {
          if (index < failed && !blanked.has(index) && !changesSession(unit) && !isReadOnly(unit)) {
            blanked.add(index);
            if (pending.delete(index)) {
              outcomes.set(index, { kind: "result", result: { kind: "insert", line: unit.line } });
            }
          }
        });
        continue;
      }
      for (const result of results) {
        const index = unitAtLine(file.units, blanked, result.line);
        if (index >= 0 && pending.has(index)) {
          outcomes.set(index, { kind: "result", result });
          pending.delete(index);
        }
      }
      for (const index of pending) {
        outcomes.set(index, {
          kind: "missing",
          reason: `no result reported for line ${file.units[index]!.line}`,
        });
      }
      pending.clear();
    }
  } finally {
    rmSync(sinkDir, { recursive: true, force: true });
  }
  return outcomes;
}

/** Queries and inspections: running them again repeats nothing. */
function isReadOnly(unit: Unit): boolean {
  return /^(SELECT|WITH|VALUES|\(|SHOW|DESCRIBE|DESC|EXPLAIN)\b/.test(unit.leading);
}

/** The unit (not blanked) whose lines contain `line`, else -1. */
function unitAtLine(units: readonly Unit[], blanked: ReadonlySet<number>, line: number): number {
  for (let k = 0; k < units.length; k++) {
    const unit = units[k]!;
    if (!blanked.has(k) && unit.line <= line && line <= unit.endLine) return k;
  }
  return -1;
}

/**
 * Which unit threw: by the error's line, else by its statement index among the units still in the
 * script, else the first open case (a runtime failure without a position belongs to the job that
 * was running, and jobs run in order).
 */
function failingUnit(
  units: readonly Unit[],
  blanked: ReadonlySet<number>,
  pending: ReadonlySet<number>,
  error: ScriptErrorFields,
): number {
  if (error.line !== null) {
    const byLine = unitAtLine(units, blanked, error.line);
    if (byLine >= 0) return byLine;
  }
  const live = units.map((_, k) => k).filter((k) => !blanked.has(k));
  if (error.statementIndex !== null && error.statementIndex < live.length) return live[error.statementIndex]!;
  return pending.size > 0 ? Math.min(...pending) : -1;
}

/** Checks one outcome against its expectation; returns null when it holds, else why not. */
export function checkOutcome(
  expectation: Expectation,
  outcome: Outcome | undefined,
  mode: RuntimeMode,
): string | null {
  if (outcome === undefined) return "no outcome recorded";
  if (outcome.kind === "missing") return outcome.reason;
  if (expectation.kind === "error") {
    if (outcome.kind !== "error")
      return `expected an error containing "${expectation.message}", got a ${describe(outcome.result)}`;
    const { error } = outcome;
    if (
      expectation.line !== null &&
      (error.line !== expectation.line || error.column !== expectation.column)
    ) {
      return `expected the error at line ${expectation.line}, column ${expectation.column}; got line ${error.line}, column ${error.column}: ${error.message}`;
    }
    if (!error.message.toLowerCase().includes(expectation.message.toLowerCase())) {
      return `expected an error containing "${expectation.message}", got: ${error.message}`;
    }
    return null;
  }
  if (outcome.kind === "error") return `unexpected error: ${outcome.error.message}`;
  const { result } = outcome;
  switch (expectation.kind) {
    case "rows": {
      if (result.kind !== "select") return `expected rows, got a ${describe(result)}`;
      const first = expectation.rows[0];
      const columns = first === undefined ? result.columns : Object.keys(first);
      if (first !== undefined && result.columns.join(",") !== columns.join(",")) {
        return `expected columns [${columns.join(", ")}], got [${result.columns.join(", ")}]`;
      }
      // A streaming result materializes a changelog in arrival order; only batch output is sorted.
      return diffRows(result.rows, expectation.rows, columns, expectation.ordered && mode === "batch");
    }
    case "table": {
      if (result.kind !== "table") return `expected a table, got a ${describe(result)}`;
      const actual = JSON.stringify(result.rows);
      return actual === JSON.stringify(expectation.rows)
        ? null
        : `table differs:\nexpected ${JSON.stringify(expectation.rows)}\nactual   ${actual}`;
    }
    case "contains": {
      const text =
        result.kind === "table" ? result.rows.map((r) => r.join(" | ")).join("\n") : JSON.stringify(result);
      const absent = expectation.fragments.filter((f) => !text.includes(f));
      return absent.length === 0 ? null : `output lacks ${JSON.stringify(absent)}; output:\n${text}`;
    }
    case "ok": {
      // A finished INSERT or statement set is "ok" too: the job ran to its end without error.
      if (result.kind === "insert" && expectation.message === "") return null;
      if (result.kind !== "ok") return `expected ok, got a ${describe(result)}`;
      return result.message.includes(expectation.message)
        ? null
        : `expected the message to contain "${expectation.message}", got "${result.message}"`;
    }
  }
}

function describe(result: ScriptStatementResult): string {
  return result.kind === "select" ? `select result with ${result.rows.length} rows` : `${result.kind} result`;
}
