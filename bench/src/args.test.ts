/** The `npm run bench` command line: selection, flags, and usage errors. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseArgs, UsageError } from "./args.ts";
import { BENCHMARKS } from "./benchmarks/index.ts";

const names = (argv: string[]) => parseArgs(argv, BENCHMARKS).benchmarks.map((b) => b.name);

test("no name selects every benchmark, in registry order", () => {
  const all = BENCHMARKS.map((b) => b.name);
  assert.ok(all.includes("chained-map-filter") && all.includes("keyed-count-exchange"));
  assert.equal(new Set(all).size, all.length, "benchmark names are unique");
  assert.deepEqual(names([]), all);
  assert.deepEqual(names(["--json"]), all);
});

test("names select benchmarks once each, in registry order", () => {
  assert.deepEqual(names(["keyed-count-exchange"]), ["keyed-count-exchange"]);
  assert.deepEqual(names(["keyed-count-exchange", "chained-map-filter", "keyed-count-exchange"]), [
    "chained-map-filter",
    "keyed-count-exchange",
  ]);
});

test("flags", () => {
  const args = parseArgs(["--", "--json", "--events", "1_000_000", "--verify"], BENCHMARKS);
  assert.equal(args.json, true);
  assert.equal(args.verify, true);
  assert.equal(args.events, 1_000_000);
  assert.equal(parseArgs(["--events=5"], BENCHMARKS).events, 5);
  assert.equal(parseArgs(["-h"], BENCHMARKS).help, true);
  assert.equal(parseArgs([], BENCHMARKS).events, undefined);
});

test("unknown names and options, and bad event counts, are usage errors naming what is valid", () => {
  assert.throws(
    () => parseArgs(["nope"], BENCHMARKS),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(
        error.message,
        /unknown benchmark "nope"; valid benchmarks: chained-map-filter, keyed-count-exchange/,
      );
      return true;
    },
  );
  assert.throws(() => parseArgs(["--fast"], BENCHMARKS), /unknown option "--fast"; valid options: --json/);
  assert.throws(() => parseArgs(["--events"], BENCHMARKS), /--events needs a value/);
  assert.throws(() => parseArgs(["--events", "--json"], BENCHMARKS), /--events needs a value/);
  for (const bad of ["0", "-3", "1.5", "lots"]) {
    assert.throws(() => parseArgs(["--events", bad], BENCHMARKS), UsageError, bad);
  }
});
