/** The `nats` table's bad-record options: the kafka table's semantics, contradictions refused by name. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResolvedTable } from "@weir/sql";
import { readBadRecordOptions, subjectMatches } from "./nats-bad-record-options.ts";

function table(options: Record<string, string>): ResolvedTable {
  return {
    kind: "table",
    name: "t",
    columns: [{ kind: "physical", name: "a", type: { kind: "INT", nullable: true } }],
    watermark: null,
    primaryKey: null,
    partitionKeys: [],
    options: { connector: "nats", format: "json", ...options },
    temporary: false,
  } as ResolvedTable;
}

const read = (options: Record<string, string>, filters: string[] = ["orders.in"]) =>
  readBadRecordOptions(table(options), "json", filters);

test("fail by default, ignore-parse-errors means drop, dead-letter takes a subject", () => {
  assert.deepEqual(read({}), { kind: "fail" });
  assert.deepEqual(read({ "bad-records.policy": "drop" }), { kind: "drop", lenient: null });
  assert.deepEqual(read({ "json.ignore-parse-errors": "true" }), {
    kind: "drop",
    lenient: "json.ignore-parse-errors",
  });
  assert.deepEqual(read({ "json.ignore-parse-errors": "true", "bad-records.policy": "drop" }), {
    kind: "drop",
    lenient: "json.ignore-parse-errors",
  });
  assert.deepEqual(read({ "json.ignore-parse-errors": "false" }), { kind: "fail" });
  assert.deepEqual(
    read({ "bad-records.policy": "dead-letter", "bad-records.dead-letter.subject": " dlq.orders " }),
    { kind: "dead-letter", subject: "dlq.orders" },
  );
});

test("contradictory or malformed bad-record options are refused naming the options", () => {
  assert.throws(
    () => read({ "bad-records.policy": "skip" }),
    /Invalid value for option 'bad-records.policy' of table 't': 'skip'/,
  );
  assert.throws(
    () => read({ "json.ignore-parse-errors": "true", "bad-records.policy": "fail" }),
    /'json.ignore-parse-errors' = 'true' means the drop policy; it contradicts 'bad-records.policy' = 'fail'/,
  );
  assert.throws(
    () => read({ "json.ignore-parse-errors": "true", "bad-records.policy": "dead-letter" }),
    /contradicts 'bad-records.policy' = 'dead-letter'/,
  );
  assert.throws(
    () => read({ "bad-records.policy": "dead-letter" }),
    /'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.subject'/,
  );
  assert.throws(
    () => read({ "bad-records.dead-letter.subject": "dlq" }),
    /option 'bad-records.dead-letter.subject' needs 'bad-records.policy' = 'dead-letter'/,
  );
  for (const bad of ["dlq.*", "dlq.>", "a..b", "a b", "."])
    assert.throws(
      () => read({ "bad-records.policy": "dead-letter", "bad-records.dead-letter.subject": bad }),
      /'bad-records.dead-letter.subject' of table 't': .* is not a literal NATS subject/,
      bad,
    );
  assert.throws(
    () =>
      read({ "bad-records.policy": "dead-letter", "bad-records.dead-letter.subject": "orders.dlq" }, [
        "orders.in",
        "orders.>",
      ]),
    /'bad-records.dead-letter.subject' 'orders.dlq' is read by the table itself \(subject 'orders.>'\)/,
  );
});

test("subject filters match as NATS matches them", () => {
  assert.equal(subjectMatches("a.b", "a.b"), true);
  assert.equal(subjectMatches("a.b", "a.b.c"), false);
  assert.equal(subjectMatches("a.*", "a.b"), true);
  assert.equal(subjectMatches("a.*", "a.b.c"), false);
  assert.equal(subjectMatches("a.>", "a.b.c"), true);
  assert.equal(subjectMatches("a.>", "a"), false);
  assert.equal(subjectMatches(">", "x"), true);
  assert.equal(subjectMatches("*.b", "a.c"), false);
});
