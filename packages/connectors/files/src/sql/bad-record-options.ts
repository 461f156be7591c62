/**
 * The filesystem connector's bad-record options (Weir's, beside Flink's per-format
 * `*.ignore-parse-errors`):
 * - `'bad-records.policy' = 'fail' | 'drop' | 'dead-letter'` (default `fail`; `drop` when the
 *   format's `ignore-parse-errors` is true — Flink's option maps to the drop policy);
 * - `'bad-records.dead-letter.path'`: the directory dead letters are written to, as JSON lines
 *   `{"path", "line", "offset", "raw", "error"}` through the exactly-once file sink (each letter
 *   is committed before the source moves past its record).
 * Invariant: contradictory settings (a dead-letter path without the policy, `ignore-parse-errors`
 * with a policy other than drop) are refused when the table is planned, naming the options.
 * @module
 */

import type { BadRecordPolicy } from "@weir/api";
import { ConnectorOptionError, OptionReader, type ResolvedTable } from "@weir/sql";
import { FileSink } from "../file-sink.ts";
import type { FileDeadLetter } from "../source/file-format.ts";

export const BAD_RECORD_OPTIONS = ["bad-records.policy", "bad-records.dead-letter.path"];

/** The table's bad-record policy for records of `format`. */
export function badRecordPolicy(table: ResolvedTable, format: string): BadRecordPolicy<FileDeadLetter> {
  const reader = new OptionReader(table);
  const ignoreKey = `${format}.ignore-parse-errors`;
  const ignore = table.options[ignoreKey] !== undefined && reader.boolean(ignoreKey, false);
  const explicit = table.options["bad-records.policy"];
  const kind = reader.choice(
    "bad-records.policy",
    ["fail", "drop", "dead-letter"] as const,
    ignore ? "drop" : "fail",
  );
  if (ignore && explicit !== undefined && kind !== "drop")
    throw new ConnectorOptionError(
      `Table '${table.name}': '${ignoreKey}' = 'true' means the drop policy; it contradicts 'bad-records.policy' = '${explicit}'`,
    );
  const deadLetterPath = reader.string("bad-records.dead-letter.path");
  if (kind !== "dead-letter") {
    if (deadLetterPath !== undefined)
      throw new ConnectorOptionError(
        `Table '${table.name}': option 'bad-records.dead-letter.path' needs 'bad-records.policy' = 'dead-letter'`,
      );
    return kind === "drop" ? { kind: "drop", log: (line) => console.warn(line) } : { kind: "fail" };
  }
  if (deadLetterPath === undefined || deadLetterPath.trim() === "")
    throw new ConnectorOptionError(
      `Table '${table.name}': 'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.path'`,
    );
  return { kind: "dead-letter", sink: FileSink.forRows<FileDeadLetter>(deadLetterPath, { format: "jsonl" }) };
}
