/** The `weir` command line: help, bad input, running a job, failures. Runs the real binary. */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const WORD_COUNT = fileURLToPath(new URL("../../../examples/src/word-count.job.ts", import.meta.url));
const FAILING = fileURLToPath(new URL("../jobs/failing.job.ts", import.meta.url));

function weir(...args: string[]) {
  const run = spawnSync(process.execPath, [WEIR, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("--help documents every command and run's flags", () => {
  const general = weir("--help");
  assert.equal(general.code, 0);
  assert.match(general.stdout, /Usage: weir <command> \[flags\]/);
  assert.match(general.stdout, /run\s+Run a job module/);
  const run = weir("help", "run");
  assert.equal(run.code, 0);
  for (const flag of [
    "--parallelism N",
    "--params JSON",
    "--param KEY=VALUE",
    "--mode MODE",
    "--job-name NAME",
    "--checkpoint-interval MS",
    "--checkpoint-dir PATH",
    "--from-savepoint PATH",
    "--allow-non-restored-state",
    "--restart-attempts N",
    "--help",
  ]) {
    assert.ok(run.stdout.includes(flag), `help for run lists ${flag}`);
  }
  assert.equal(weir("run", "--help").stdout, run.stdout);
});

test("bad input gets a clear error and exit code 2", () => {
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /unknown command "frobnicate"/],
    [["--frobnicate"], /unknown flag --frobnicate/],
    [["run"], /missing the job file/],
    [["run", "does-not-exist.ts"], /job file not found: does-not-exist\.ts/],
    [["run", WORD_COUNT, "--bogus"], /unknown flag --bogus for "weir run"/],
    [["run", WORD_COUNT, "-p", "0"], /--parallelism must be an integer from 1 to 1024, got "0"/],
    [["run", WORD_COUNT, "-p", "2.5"], /--parallelism must be an integer from 1 to 1024, got "2\.5"/],
    [["run", WORD_COUNT, "--params", "{nope"], /--params is not valid JSON/],
    [["run", WORD_COUNT, "--param", "novalue"], /--param expects KEY=VALUE, got "novalue"/],
    [["run", WORD_COUNT, "--mode", "turbo"], /--mode must be streaming, batch or automatic, got "turbo"/],
    [
      ["run", WORD_COUNT, "--checkpoint-interval", "0"],
      /--checkpoint-interval must be an integer of at least 1, got "0"/,
    ],
    [
      ["run", WORD_COUNT, "--restart-attempts", "x"],
      /--restart-attempts must be an integer of at least 0, got "x"/,
    ],
    [["run", WORD_COUNT, WORD_COUNT], /expected one job file, got 2/],
    [["help", "nope"], /unknown command "nope"/],
  ];
  for (const [args, message] of cases) {
    const result = weir(...args);
    assert.equal(result.code, 2, `exit code for ${args.join(" ")}`);
    assert.match(result.stderr, message, `message for ${args.join(" ")}`);
    assert.match(result.stderr, /Run "weir (help run|--help)" for usage/);
  }
});

test("weir run runs a job file directly and prints its results", () => {
  const result = weir("run", WORD_COUNT, "--parallelism", "2", "--param", 'lines=["b a b", "a"]');
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout
    .trim()
    .split("\n")
    .map((line) => line.replace(/^[12]> /, ""))
    .sort();
  assert.deepEqual(lines, ['{"word":"a","count":2}', '{"word":"b","count":2}']);
  assert.match(result.stderr, /job "word-count" finished in \d+ ms/);
});

test("a failing job exits 1 and shows the operator and the user's stack", () => {
  const result = weir("run", FAILING, "--params", '{"poison": 3, "count": 10}');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Exploding map: cannot handle record 3/);
  assert.match(result.stderr, /explodeOn/);
});
