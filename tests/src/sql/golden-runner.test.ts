/**
 * The golden runner's strategy, checked against a scripted stand-in for `runSqlScript` (the real
 * engine is exercised by golden.test.ts): a failing statement is recorded and blanked, the script
 * reruns without repeating INSERTs, a failing setup statement fails the open cases with its error.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseGoldenFile } from "./golden-format.ts";
import { checkOutcome, runGoldenFile } from "./golden-runner.ts";
import type { RunSqlScript, ScriptStatementResult } from "./sql-runner-contract.ts";

class FakeScriptError extends Error {
  readonly line: number;
  readonly column: number;
  readonly statementIndex: number;
  constructor(message: string, line: number, column: number, statementIndex: number) {
    super(message);
    this.line = line;
    this.column = column;
    this.statementIndex = statementIndex;
  }
}

/** Runs statements in order: `FAIL` throws at its line, SELECT returns its line, INSERT inserts. */
function fakeEngine(calls: string[]): RunSqlScript {
  return async (script) => {
    calls.push(script);
    const results: ScriptStatementResult[] = [];
    // Comments blanked (positions kept): the stand-in only needs the statements.
    const statementsOnly = script.replace(/^--.*$/gm, (comment) => " ".repeat(comment.length));
    parseGoldenFile(statementsOnly).units.forEach((unit, index) => {
      const text = script.slice(unit.start, unit.end);
      if (text.includes("FAIL"))
        throw new FakeScriptError(`line ${unit.line}, column 8: boom`, unit.line, 8, index);
      if (unit.leading.startsWith("SELECT")) {
        results.push({ kind: "select", line: unit.line, columns: ["n"], rows: [{ n: unit.line }] });
      } else if (unit.leading.startsWith("INSERT")) results.push({ kind: "insert", line: unit.line });
      else results.push({ kind: "ok", line: unit.line, message: "[INFO] Execute statement succeeded." });
    });
    return { results };
  };
}

const FILE = [
  "CREATE TABLE t (a INT);", // 1
  "INSERT INTO s SELECT 1;", // 2
  "SELECT 1;", // 3
  "-- expect:", // 4
  '-- {"n": 3}', // 5
  "SELECT FAIL;", // 6
  "-- expect error: line 6, column 8: boom", // 7
  "SELECT 2;", // 8
  "-- expect:", // 9
  '-- {"n": 8}', // 10
  "SELECT FAIL AGAIN;", // 11
  "-- expect:", // 12
  '-- {"n": 11}', // 13
].join("\n");

test("a throwing statement is recorded, blanked, and the rest runs again without the INSERTs", async () => {
  const calls: string[] = [];
  const file = parseGoldenFile(FILE);
  const outcomes = await runGoldenFile(file, "streaming", "/data", fakeEngine(calls));
  assert.equal(calls.length, 3);
  assert.match(calls[0]!, /INSERT INTO s/);
  assert.doesNotMatch(calls[1]!, /INSERT INTO s|SELECT FAIL;/);
  assert.equal(calls[1]!.length, FILE.length, "blanking keeps every position");
  const check = (index: number) =>
    checkOutcome(file.units[index]!.expectation!, outcomes.get(index), "streaming");
  assert.equal(check(2), null);
  assert.equal(check(3), null);
  assert.equal(check(4), null);
  assert.match(check(5) ?? "", /unexpected error: line 11, column 8: boom/);
});

test("a failing setup statement fails every open case with its error", async () => {
  const calls: string[] = [];
  const file = parseGoldenFile('CREATE FAIL;\nSELECT 1;\n-- expect:\n-- {"n": 2}\n');
  const outcomes = await runGoldenFile(file, "batch", "/data", fakeEngine(calls));
  assert.equal(calls.length, 1);
  assert.match(
    checkOutcome(file.units[1]!.expectation!, outcomes.get(1), "batch") ?? "",
    /setup statement on line 1 .* boom/,
  );
});

test("ordered expectations are lists in batch mode and multisets in streaming mode", () => {
  const file = parseGoldenFile('SELECT 1;\n-- expect ordered:\n-- {"n": 1}\n-- {"n": 2}\n');
  const outcome = {
    kind: "result" as const,
    result: { kind: "select" as const, line: 1, columns: ["n"], rows: [{ n: 2 }, { n: 1 }] },
  };
  assert.equal(checkOutcome(file.units[0]!.expectation!, outcome, "streaming"), null);
  assert.match(checkOutcome(file.units[0]!.expectation!, outcome, "batch") ?? "", /position 0/);
});
