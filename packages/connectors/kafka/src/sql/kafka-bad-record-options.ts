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
 * table is planned, naming the options (the checks shared by every connector are `@weir/sql`'s
 * `readBadRecordOptions`; the topic's own checks are here).
 * @module
 */

import {
  BAD_RECORDS_POLICY_OPTION,
  type BadRecordOptions,
  ConnectorOptionError,
  type ResolvedTable,
  readBadRecordOptions as readSharedBadRecordOptions,
} from "@weir/sql";

const DEAD_LETTER_TOPIC = "bad-records.dead-letter.topic";

export const BAD_RECORD_OPTIONS = [BAD_RECORDS_POLICY_OPTION, DEAD_LETTER_TOPIC];

/** The shared policy, a dead letter naming its topic (trimmed and checked) rather than the raw option. */
export type KafkaTableBadRecords =
  | Exclude<BadRecordOptions, { readonly kind: "dead-letter" }>
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
  const options = readSharedBadRecordOptions(table, { deadLetterKey: DEAD_LETTER_TOPIC, ignoreKeys });
  if (options.kind !== "dead-letter") return options;
  const topic = options.target.trim();
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    throw new ConnectorOptionError(
      `Invalid value for option '${DEAD_LETTER_TOPIC}' of table '${table.name}': '${options.target}' is not a topic name`,
    );
  if (topics.includes(topic))
    throw new ConnectorOptionError(
      `Table '${table.name}': '${DEAD_LETTER_TOPIC}' must differ from the table's topic '${topic}'`,
    );
  return { kind: "dead-letter", topic };
}
