/** The shared `'bad-records.*'` options: the policy's default, its contradictions, the dead-letter target. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { readBadRecordOptions } from "./bad-record-options.ts";
import { ConnectorOptionError } from "./table-connector.ts";

function table(options: Record<string, string>): ResolvedTable {
  return {
    kind: "table",
    name: "orders",
    columns: [{ kind: "physical", name: "a", type: { kind: "INT", nullable: true } }],
    watermark: null,
    primaryKey: null,
    partitionKeys: [],
    options: { connector: "x", ...options },
    temporary: false,
  } as ResolvedTable;
}

const spec = {
  deadLetterKey: "bad-records.dead-letter.topic",
  ignoreKeys: ["value.json.ignore-parse-errors", "key.csv.ignore-parse-errors"],
};
const read = (options: Record<string, string>, connector?: string) =>
  readBadRecordOptions(table(options), connector === undefined ? spec : { ...spec, connector });

test("fail by default; an ignore-parse-errors option set to true chooses drop and is named", () => {
  assert.deepEqual(read({}), { kind: "fail" });
  assert.deepEqual(read({ "value.json.ignore-parse-errors": "false" }), { kind: "fail" });
  assert.deepEqual(read({ "bad-records.policy": "DROP" }), { kind: "drop", lenient: [] });
  assert.deepEqual(read({ "key.csv.ignore-parse-errors": "true" }), {
    kind: "drop",
    lenient: ["key.csv.ignore-parse-errors"],
  });
  assert.deepEqual(
    read({
      "value.json.ignore-parse-errors": "true",
      "key.csv.ignore-parse-errors": "true",
      "bad-records.policy": "drop",
    }),
    { kind: "drop", lenient: ["value.json.ignore-parse-errors", "key.csv.ignore-parse-errors"] },
  );
});

test("dead-letter returns its target as written", () => {
  assert.deepEqual(read({ "bad-records.policy": "dead-letter", "bad-records.dead-letter.topic": " dlq " }), {
    kind: "dead-letter",
    target: " dlq ",
  });
});

test("contradictions and missing targets are refused, naming the table and the options", () => {
  const refused = (options: Record<string, string>, message: RegExp, connector?: string) =>
    assert.throws(
      () => read(options, connector),
      (error: unknown) => error instanceof ConnectorOptionError && message.test(error.message),
    );
  refused(
    { "value.json.ignore-parse-errors": "true", "bad-records.policy": "fail" },
    /^Table 'orders': 'value.json.ignore-parse-errors' = 'true' means the drop policy; it contradicts 'bad-records.policy' = 'fail'$/,
  );
  refused(
    { "bad-records.dead-letter.topic": "dlq" },
    /^Table 'orders': option 'bad-records.dead-letter.topic' needs 'bad-records.policy' = 'dead-letter'$/,
  );
  refused(
    { "bad-records.policy": "drop", "bad-records.dead-letter.topic": "dlq" },
    /option 'bad-records.dead-letter.topic' needs 'bad-records.policy' = 'dead-letter'/,
  );
  refused(
    { "bad-records.policy": "dead-letter" },
    /^Table 'orders' \('kafka'\): 'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.topic'$/,
    "kafka",
  );
  refused(
    { "bad-records.policy": "dead-letter", "bad-records.dead-letter.topic": "  " },
    /'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.topic'/,
  );
  refused({ "bad-records.policy": "skip" }, /option 'bad-records.policy' of table 'orders': 'skip'/);
  refused({ "key.csv.ignore-parse-errors": "yes" }, /option 'key.csv.ignore-parse-errors' of table 'orders'/);
});
