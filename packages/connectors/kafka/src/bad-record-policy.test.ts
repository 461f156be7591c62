/** Bad-record policies: validation messages, and the drop log's rate limit. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { DropLog, kafkaSourceMetrics, validateBadRecordPolicy } from "./bad-record-policy.ts";

test("the default policy is fail; unknown or malformed policies are rejected by name", () => {
  assert.deepEqual(validateBadRecordPolicy(undefined, "S"), { kind: "fail" });
  assert.throws(
    () => validateBadRecordPolicy({ kind: "ignore" } as never, "S"),
    /S: unknown badRecords policy "ignore" \(fail, drop or dead-letter\)/,
  );
  assert.throws(
    () => validateBadRecordPolicy({ kind: "dead-letter", sink: {} } as never, "S"),
    /S: badRecords.sink must be a Sink/,
  );
  assert.throws(() => validateBadRecordPolicy({ kind: "drop", logIntervalMs: -1 }, "S"), /logIntervalMs/);
});

test("drops are all counted, but logged at most once per interval with the count since the last line", () => {
  const lines: string[] = [];
  const log = new DropLog("Src", 1_000, (line) => lines.push(line));
  const before = kafkaSourceMetrics().droppedRecords;
  log.dropped("topic t partition 0 offset 1", "bad", 0);
  log.dropped("topic t partition 0 offset 2", "bad", 500);
  log.dropped("topic t partition 0 offset 3", "worse", 900);
  log.dropped("topic t partition 0 offset 4", "worst", 1_000);
  assert.equal(kafkaSourceMetrics().droppedRecords - before, 4);
  assert.deepEqual(lines, [
    "Src: dropped 1 malformed record(s); latest at topic t partition 0 offset 1: bad",
    "Src: dropped 3 malformed record(s); latest at topic t partition 0 offset 4: worst",
  ]);
});
