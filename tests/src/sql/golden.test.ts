/**
 * The golden SQL suite: every `golden/<family>/*.sql` file runs through `runSqlScript` in each of
 * its runtime modes (streaming and batch unless the file says otherwise), and every expectation in
 * it becomes one test per mode, named `<family>/<file>.sql:<line> [<mode>]`. Cases listed in
 * `golden/known-failures.txt` are reported as `todo` with their reason. The format is described in
 * `golden-format.ts`.
 *
 * `WEIR_GOLDEN=<substring>` runs only the files whose relative path contains the substring.
 * @module
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseGoldenFile } from "./golden-format.ts";
import { checkOutcome, type Outcome, runGoldenFile } from "./golden-runner.ts";
import { KnownFailures } from "./known-failures.ts";
import { loadRunSqlScript } from "./sql-runner-contract.ts";

const GOLDEN_DIR = fileURLToPath(new URL("./golden/", import.meta.url));

function goldenFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...goldenFiles(path));
    else if (entry.name.endsWith(".sql")) found.push(path);
  }
  return found.sort();
}

const filter = process.env.WEIR_GOLDEN ?? "";
const files = goldenFiles(GOLDEN_DIR).filter((path) => relative(GOLDEN_DIR, path).includes(filter));
const knownFailures = KnownFailures.read(join(GOLDEN_DIR, "known-failures.txt"));
const runSqlScript = await loadRunSqlScript();

test("golden SQL cases", { concurrency: 3 }, async (suite) => {
  await Promise.all(
    files.map((path) =>
      suite.test(relative(GOLDEN_DIR, path), async (fileTest) => {
        const name = relative(GOLDEN_DIR, path).split("\\").join("/");
        const golden = parseGoldenFile(readFileSync(path, "utf8"));
        const cases = golden.units
          .map((unit, index) => ({ unit, index }))
          .filter(({ unit }) => unit.expectation !== null);
        assert.ok(cases.length > 0, `${name} has no expectations`);
        // Both modes at once: a job mostly waits for worker threads to start.
        const byMode = await Promise.all(
          golden.modes.map((mode) => runGoldenFile(golden, mode, dirname(path), runSqlScript)),
        );
        for (const [m, mode] of golden.modes.entries()) {
          const outcomes: Map<number, Outcome> = byMode[m]!;
          for (const { unit, index } of cases) {
            const caseName = `${name}:${unit.line} [${mode}]`;
            const known = knownFailures.reasonFor(name, unit.line, mode);
            const problem = checkOutcome(unit.expectation!, outcomes.get(index), mode);
            if (known !== null) {
              const todo =
                problem === null
                  ? `known failure now passes; remove it from known-failures.txt (${known})`
                  : known;
              await fileTest.test(caseName, { todo }, () => {
                if (problem !== null) assert.fail(problem);
              });
            } else {
              await fileTest.test(caseName, () => {
                if (problem !== null) assert.fail(problem);
              });
            }
          }
        }
      }),
    ),
  );
  if (filter === "") {
    const stale = knownFailures.unused();
    await suite.test("known-failures.txt names only existing cases", () => {
      assert.deepEqual(stale, [], "stale entries in known-failures.txt");
    });
  }
});
