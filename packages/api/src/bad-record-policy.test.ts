import assert from "node:assert/strict";
import { test } from "node:test";
import { DroppedRecordLog, validateBadRecordPolicy } from "./bad-record-policy.ts";

test("an absent policy is fail; bad policies are refused naming the problem", () => {
  assert.deepEqual(validateBadRecordPolicy(undefined, "Src"), { kind: "fail" });
  assert.throws(
    () => validateBadRecordPolicy({ kind: "drop", logIntervalMs: -1 }, "Src"),
    /^Error: Src: badRecords.logIntervalMs must be a non-negative number$/,
  );
  assert.throws(
    () => validateBadRecordPolicy({ kind: "dead-letter", sink: {} as never }, "Src"),
    /Src: badRecords.sink must be a Sink/,
  );
  assert.throws(
    () => validateBadRecordPolicy({ kind: "skip" } as never, "Src"),
    /Src: unknown badRecords policy "skip" \(fail, drop or dead-letter\)/,
  );
});

test("dropped records are logged at once, then summed into one line per interval", () => {
  const lines: string[] = [];
  const log = new DroppedRecordLog("Src", { logIntervalMs: 1000, log: (l) => lines.push(l) });
  log.dropped("seq 1", "bad a", 0);
  log.dropped("seq 2", "bad b", 10);
  log.dropped("seq 3", "bad c", 999);
  assert.deepEqual(lines, ["Src: dropped 1 malformed record(s); latest at seq 1: bad a"]);
  log.dropped("seq 4", "bad d", 1000);
  assert.deepEqual(lines[1], "Src: dropped 3 malformed record(s); latest at seq 4: bad d");
});
