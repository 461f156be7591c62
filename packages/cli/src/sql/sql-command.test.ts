/** `weir sql`: scripts with each output format, errors and exit codes, and the interactive client. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isCompleteInput } from "./interactive-client.ts";

const WEIR = fileURLToPath(new URL("../../bin/weir.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "weir-sql-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function weir(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [WEIR, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    input,
    env: { ...process.env, HOME: dir },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const DATA = join(dir, "people.csv");
writeFileSync(DATA, "1,Alice,\n2,Bob,30\n3,Alice,40\n");
const CREATE = `CREATE TABLE people (id INT, name STRING, age INT) WITH ('connector' = 'filesystem', 'path' = '${DATA}', 'format' = 'csv');\n`;

test("--format jsonl prints each SELECT's final rows as JSON objects, nothing else", () => {
  const file = script(
    "jsonl.sql",
    `${CREATE}SELECT name, COUNT(*) AS n FROM people GROUP BY name;\nSELECT id, age FROM people WHERE id = 1;
SELECT TO_TIMESTAMP_LTZ(id * 1000, 3) AS t FROM people WHERE id = 1;\n`,
  );
  const result = weir([
    "sql",
    "-f",
    file,
    "--format",
    "jsonl",
    "-p",
    "2",
    "--set",
    "table.local-time-zone=Asia/Tokyo",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.deepEqual(lines.slice(0, 2).sort(), ['{"name":"Alice","n":2}', '{"name":"Bob","n":1}']);
  assert.deepEqual(lines.slice(2), ['{"id":1,"age":null}', '{"t":"1970-01-01 09:00:01.000"}']);
});

test("tableau and changelog formats print Flink's boxed tables", () => {
  const file = script(
    "tableau.sql",
    `${CREATE}SELECT id, age FROM people WHERE id < 3;
CREATE TABLE shown (id INT, name STRING) WITH ('connector' = 'print', 'print-identifier' = 'out');
INSERT INTO shown SELECT id, name FROM people WHERE id > 1;
CREATE TABLE errors (id INT) WITH ('connector' = 'print', 'standard-error' = 'true');
INSERT INTO errors SELECT id FROM people WHERE id = 3;\n`,
  );
  const tableau = weir(["sql", "-f", file]);
  assert.equal(tableau.code, 0, tableau.stderr);
  assert.deepEqual(
    tableau.stdout.split("\n").filter((line) => line.startsWith("out> ")),
    ["out> +I[2, Bob]", "out> +I[3, Alice]"],
  );
  assert.match(tableau.stderr, /^\+I\[3\]$/m);
  assert.doesNotMatch(tableau.stdout, /^\+I\[3\]$/m);
  assert.match(tableau.stdout, /^\[INFO\] /m);
  assert.ok(
    tableau.stdout.includes(
      [
        "+----+--------+",
        "| id |    age |",
        "+----+--------+",
        "|  1 | <NULL> |",
        "|  2 |     30 |",
        "+----+--------+",
        "2 rows in set",
      ].join("\n"),
    ),
    tableau.stdout,
  );
  const changelog = weir(["sql", "-f", file, "--format", "changelog"]);
  assert.equal(changelog.code, 0, changelog.stderr);
  assert.match(changelog.stdout, /\| op \| id \| {4}age \|/);
  assert.match(changelog.stdout, /\| \+I \| {2}1 \| <NULL> \|/);
  assert.match(changelog.stdout, /Received a total of 2 rows/);
});

test("a failing statement prints [ERROR] line L, column C on stderr and exits 1", () => {
  const file = script("bad.sql", `${CREATE}SELECT id FROM people;\nSELECT missing FROM people;\n`);
  const result = weir(["sql", "-f", file, "--format", "jsonl"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^\[ERROR\] line 3, column 8: .*missing/m);
  assert.equal(result.stdout.trim().split("\n").length, 3, "the statements before the error ran");
  const syntax = weir(["sql", "-f", script("syntax.sql", "SELECT 1;\nSELECT FROM;\n"), "--format", "jsonl"]);
  assert.equal(syntax.code, 1);
  assert.match(syntax.stderr, /^\[ERROR\] line 2, column 8: /m);
  assert.match(syntax.stderr, /2 \| SELECT FROM;/);
});

test("bad flags exit 2 with a usage message", () => {
  const cases: [string[], RegExp][] = [
    [["sql", "-f", join(dir, "nope.sql")], /SQL script not found/],
    [["sql", "--format", "xml"], /--format must be tableau, jsonl, changelog, got "xml"/],
    [["sql", "--set", "novalue"], /--set expects KEY=VALUE, got "novalue"/],
  ];
  for (const [args, message] of cases) {
    const result = weir(args);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, message);
  }
  const help = weir(["help", "sql"]);
  assert.equal(help.code, 0);
  for (const flag of ["--file PATH", "--format FORMAT", "--parallelism N", "--set KEY=VALUE"])
    assert.ok(help.stdout.includes(flag), flag);
});

test("the interactive client runs multi-line statements until QUIT", () => {
  const input = `${CREATE}SET 'sql-client.execution.result-mode' = 'table';\nSELECT name,\n  COUNT(*) AS n\n  FROM people GROUP BY name;\nSELECT nope;\nHELP;\nSELECT 2 AS two;\nQUIT;\nSELECT 3;\n`;
  const result = weir(["sql"], input);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\| {2}name \| n \|/);
  assert.match(result.stdout, /\| Alice \| 2 \|/);
  assert.match(result.stderr, /\[ERROR\] line 1, column 8: /);
  assert.match(result.stdout, /The following commands are available/);
  assert.match(result.stdout, /\| two \|/);
  assert.doesNotMatch(result.stdout, /\| 3 \|/, "nothing runs after QUIT");
  const history = readFileSync(join(dir, ".weir", "sql_history"), "utf8")
    .trim()
    .split("\n");
  assert.deepEqual(history.slice(-4), ["SELECT nope;", "HELP;", "SELECT 2 AS two;", "QUIT;"]);
  assert.ok(history.includes("SELECT name, COUNT(*) AS n FROM people GROUP BY name;"), history.join("\n"));
});

test("input is complete at a ';' outside quotes and comments", () => {
  assert.equal(isCompleteInput("SELECT 1;"), true);
  assert.equal(isCompleteInput("SELECT 1"), false);
  assert.equal(isCompleteInput("SELECT 'a;"), false);
  assert.equal(isCompleteInput("SELECT 'a;'"), false);
  assert.equal(isCompleteInput("SELECT 1 -- done;"), false);
  assert.equal(isCompleteInput("SELECT 1; -- done"), true);
  assert.equal(isCompleteInput("BEGIN STATEMENT SET;"), false);
  assert.equal(isCompleteInput("BEGIN STATEMENT SET;\nINSERT INTO t SELECT 1;\nEND;"), true);
});
