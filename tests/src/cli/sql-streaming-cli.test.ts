/**
 * `weir sql -f` with a SELECT over an unbounded source: the changes stream to stdout while the job
 * runs (jsonl: one object per change with its "op"; tableau: Flink's streaming table), until Ctrl-C
 * cancels the job: exit code 130 and the cancellation on stderr.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const WEIR = fileURLToPath(new URL("../../../packages/cli/bin/weir.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "weir-sql-stream-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = join(dir, "stream.sql");
writeFileSync(
  SCRIPT,
  `CREATE TABLE gen (id INT, name STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '50',
  'seed' = '7', 'fields.id.min' = '1', 'fields.id.max' = '1000', 'fields.name.length' = '5');
SELECT id, name FROM gen WHERE id > 0;
SELECT 'never reached' AS s;
`,
);

/** Runs `weir sql -f SCRIPT …`, sends SIGINT once stdout has `lines` lines, returns the outputs. */
async function streamUntil(
  args: string[],
  lines: number,
): Promise<{ stdout: string[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [WEIR, "sql", "-f", SCRIPT, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 30_000;
  while (stdout.split("\n").length - 1 < lines) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`weir exited or timed out before ${lines} lines; stdout: ${stdout}; stderr: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGINT");
  const [code] = (await once(child, "exit")) as [number | null];
  return { stdout: stdout.split("\n").slice(0, -1), stderr, code };
}

test("--format jsonl streams each change with its op until Ctrl-C cancels the job", async () => {
  const { stdout, stderr, code } = await streamUntil(["--format", "jsonl"], 8);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /job "[^"]+" was cancelled/);
  assert.ok(stdout.length >= 8);
  for (const line of stdout) {
    const change = JSON.parse(line) as { op: string; id: number; name: string };
    assert.deepEqual(Object.keys(change), ["op", "id", "name"]);
    assert.equal(change.op, "+I");
    assert.ok(Number.isInteger(change.id) && change.id >= 1 && change.id <= 1000, line);
    assert.equal(change.name.length, 5);
  }
  assert.ok(!stdout.join("\n").includes("never reached"), "the script stops at the cancelled SELECT");
});

test("--format tableau streams Flink's changelog table and closes it when cancelled", async () => {
  const { stdout: all, stderr, code } = await streamUntil([], 9);
  assert.equal(code, 130, stderr);
  assert.equal(all[0], "[INFO] Execute statement succeeded.");
  const stdout = all.slice(1);
  // The header has fixed widths from the column types (INT: 11, STRING: capped at 30).
  assert.equal(stdout[0], `+----+-------------+--------------------------------+`);
  assert.equal(stdout[1], `| op |          id |                           name |`);
  assert.equal(stdout[2], stdout[0]);
  for (const row of stdout.slice(3, 8)) assert.match(row, /^\| \+I \| {1,10}\d{1,4} \| {26}\w{5} \|$/);
  assert.match(stdout.at(-1)!, /^Received a total of \d+ rows$/);
  assert.equal(stdout.at(-2), stdout[0], "the table is closed before the summary");
});

test("interactive client: Ctrl-C cancels a streaming SELECT, and the client goes on", async () => {
  const child = spawn(process.execPath, [WEIR, "sql", "--format", "jsonl"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, HOME: dir },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waitUntil = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error(`no ${what}; stdout: ${stdout}; stderr: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  child.stdin.write(
    "CREATE TABLE gen (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '50',\n" +
      "  'fields.id.min' = '1', 'fields.id.max' = '9');\nSELECT id FROM gen;\n",
  );
  await waitUntil(() => (stdout.match(/"op":"\+I"/g) ?? []).length >= 3, "streamed rows");
  child.kill("SIGINT");
  await waitUntil(() => stderr.includes("[INFO] The statement was cancelled."), "cancellation");
  child.stdin.write("SELECT 'still here' AS s;\nQUIT;\n");
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0, stderr);
  assert.match(stdout, /\{"s":"still here"\}/);
});
