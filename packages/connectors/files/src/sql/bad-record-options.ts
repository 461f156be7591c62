/**
 * The filesystem connector's bad-record options (Weir's, beside Flink's per-format
 * `*.ignore-parse-errors`):
 * - `'bad-records.policy' = 'fail' | 'drop' | 'dead-letter'` (default `fail`; `drop` when the
 *   format's `ignore-parse-errors` is true — Flink's option maps to the drop policy);
 * - `'bad-records.dead-letter.path'`: the directory dead letters are written to, as JSON lines
 *   `{"path", "line", "offset", "raw", "error"}` through the exactly-once file sink (each letter
 *   is committed before the source moves past its record).
 * Invariant: contradictory settings (a dead-letter path without the policy, `ignore-parse-errors`
 * with a policy other than drop) are refused when the table is planned, naming the options (the
 * checks shared by every connector are `@weir/sql`'s `readBadRecordOptions`).
 * @module
 */

import type { BadRecordPolicy } from "@weir/api";
import { BAD_RECORDS_POLICY_OPTION, type ResolvedTable, readBadRecordOptions } from "@weir/sql";
import { FileSink } from "../file-sink.ts";
import type { FileDeadLetter } from "../source/file-format.ts";

const DEAD_LETTER_PATH = "bad-records.dead-letter.path";

export const BAD_RECORD_OPTIONS = [BAD_RECORDS_POLICY_OPTION, DEAD_LETTER_PATH];

/** The table's bad-record policy for records of `format`. */
export function badRecordPolicy(table: ResolvedTable, format: string): BadRecordPolicy<FileDeadLetter> {
  const options = readBadRecordOptions(table, {
    deadLetterKey: DEAD_LETTER_PATH,
    ignoreKeys: [`${format}.ignore-parse-errors`],
  });
  if (options.kind === "fail") return { kind: "fail" };
  if (options.kind === "drop") return { kind: "drop", log: (line) => console.warn(line) };
  return { kind: "dead-letter", sink: FileSink.forRows<FileDeadLetter>(options.target, { format: "jsonl" }) };
}
