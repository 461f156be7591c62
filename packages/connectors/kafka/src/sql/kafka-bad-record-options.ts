/**
 * The bad-record options of the `kafka` and `upsert-kafka` SQL tables — Weir's, named as the
 * filesystem connector names them, beside Flink's per-format `*.ignore-parse-errors`:
 * - `'bad-records.policy' = 'fail' | 'drop' | 'dead-letter'` (default `fail`; `drop` when the value
 *   or key format's `ignore-parse-errors` is true: Flink's option maps to the drop policy);
 * - `'bad-records.dead-letter.topic'`: the topic dead letters are written to (same cluster), one
 *   JSON object per rejected record: `{"topic","partition","offset","timestamp","key","value",
 *   "valueBase64","error"}`, each acknowledged before the source moves past its record.
 *
 * Invariant: contradictory settings (a dead-letter topic without the policy, `ignore-parse-errors`
 * with a policy other than drop, a dead-letter topic that is the table's own) are refused when the
 * table is planned, naming the options.
 * @module
 */

import { ConnectorOptionError, OptionReader, type ResolvedTable } from "@weir/sql";

export const BAD_RECORD_OPTIONS = ["bad-records.policy", "bad-records.dead-letter.topic"];

export type KafkaTableBadRecords =
  | { readonly kind: "fail" }
  | {
      readonly kind: "drop";
      /** The `ignore-parse-errors` options that chose drop (format-relative, e.g. `json.ignore-parse-errors`). */
      readonly lenient: readonly string[];
    }
  | { readonly kind: "dead-letter"; readonly topic: string };

/**
 * The table's policy. `ignoreKeys` are the full option keys of the formats' `ignore-parse-errors`
 * (`json.ignore-parse-errors`, `value.json.ignore-parse-errors`, `key.csv.ignore-parse-errors`).
 */
export function readBadRecordOptions(
  table: ResolvedTable,
  ignoreKeys: readonly string[],
  topics: readonly string[],
): KafkaTableBadRecords {
  const reader = new OptionReader(table);
  const lenient = ignoreKeys.filter((key) => table.options[key] !== undefined && reader.boolean(key, false));
  const explicit = table.options["bad-records.policy"];
  const kind = reader.choice(
    "bad-records.policy",
    ["fail", "drop", "dead-letter"] as const,
    lenient.length > 0 ? "drop" : "fail",
  );
  if (lenient.length > 0 && explicit !== undefined && kind !== "drop")
    throw new ConnectorOptionError(
      `Table '${table.name}': '${lenient[0]}' = 'true' means the drop policy; it contradicts 'bad-records.policy' = '${explicit}'`,
    );
  const topic = reader.string("bad-records.dead-letter.topic");
  if (kind !== "dead-letter") {
    if (topic !== undefined)
      throw new ConnectorOptionError(
        `Table '${table.name}': option 'bad-records.dead-letter.topic' needs 'bad-records.policy' = 'dead-letter'`,
      );
    return kind === "drop" ? { kind: "drop", lenient } : { kind: "fail" };
  }
  if (topic === undefined || topic.trim() === "")
    throw new ConnectorOptionError(
      `Table '${table.name}': 'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.topic'`,
    );
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic.trim()))
    throw new ConnectorOptionError(
      `Invalid value for option 'bad-records.dead-letter.topic' of table '${table.name}': '${topic}' is not a topic name`,
    );
  if (topics.includes(topic.trim()))
    throw new ConnectorOptionError(
      `Table '${table.name}': 'bad-records.dead-letter.topic' must differ from the table's topic '${topic.trim()}'`,
    );
  return { kind: "dead-letter", topic: topic.trim() };
}
