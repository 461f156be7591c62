import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { DEFAULT_LINES, RESULTS, type WordCount } from "./word-count.job.ts";

const JOB = new URL("./word-count.job.ts", import.meta.url);

/** Counts words with plain array code, independently of the engine. */
function oracle(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const word of line.toLowerCase().split(/[^a-z']+/)) {
      if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

function asMap(results: WordCount[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const { word, count } of results) {
    assert.equal(map.has(word), false, `word "${word}" reported twice`);
    map.set(word, count);
  }
  return map;
}

for (const parallelism of [1, 2]) {
  test(`word count over the default lines at parallelism ${parallelism}`, async () => {
    const result = await runJob(JOB, { parallelism, params: { collect: true } });
    assert.deepEqual(asMap(result.collected(RESULTS)), oracle(DEFAULT_LINES));
  });
}

test("word count over given lines", async () => {
  const lines = ["b a b", "c b a", "", "a"];
  const result = await runJob(JOB, { parallelism: 2, params: { collect: true, lines } });
  assert.deepEqual(
    asMap(result.collected(RESULTS)),
    new Map([
      ["a", 3],
      ["b", 3],
      ["c", 1],
    ]),
  );
});
