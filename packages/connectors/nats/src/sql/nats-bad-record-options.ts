/**
 * The bad-record options of the `nats` SQL table, named and checked as the `kafka` table's are,
 * beside Flink's per-format `<format>.ignore-parse-errors`:
 * - `'bad-records.policy' = 'fail' | 'drop' | 'dead-letter'` (default `fail`; `drop` when the
 *   format's `ignore-parse-errors` is true: Flink's option maps to the drop policy);
 * - `'bad-records.dead-letter.subject'`: the subject dead letters are published to (same servers;
 *   a JetStream stream must capture it), one JSON {@link NatsDeadLetter} per rejected message:
 *   `{"stream","subject","sequence","timestamp","data","dataBase64","error"}`, acknowledged by
 *   JetStream before the source moves past the message.
 *
 * Invariant: contradictory settings (a dead-letter subject without the policy, `ignore-parse-errors`
 * with a policy other than drop, a dead-letter subject the table itself reads) are refused when the
 * table is planned, naming the options (the checks shared by every connector are `@weir/sql`'s
 * `readBadRecordOptions`; the subject's own checks are here).
 *
 * Worked sequence: `'subject' = 'orders.>'` with `'bad-records.dead-letter.subject' = 'orders.dlq'`
 * is refused (the table would read its own dead letters); with `'dlq.orders'` it is accepted, and
 * message 17 `{broken` on `orders.eu` becomes `{"stream":"ORDERS","subject":"orders.eu",
 * "sequence":17,…,"data":"{broken","error":"…invalid JSON…"}` on `dlq.orders`.
 * @module
 */

import {
  BAD_RECORDS_POLICY_OPTION,
  ConnectorOptionError,
  type ResolvedTable,
  readBadRecordOptions as readSharedBadRecordOptions,
} from "@weir/sql";
import type { NatsDeadLetter } from "../nats-message.ts";

const DEAD_LETTER_SUBJECT = "bad-records.dead-letter.subject";

export const BAD_RECORD_OPTIONS = [BAD_RECORDS_POLICY_OPTION, DEAD_LETTER_SUBJECT];

export type NatsTableBadRecords =
  | { readonly kind: "fail" }
  | {
      readonly kind: "drop";
      /** The `ignore-parse-errors` option that chose drop (e.g. `json.ignore-parse-errors`), if any. */
      readonly lenient: string | null;
    }
  | { readonly kind: "dead-letter"; readonly subject: string };

/** Whether the subject filter `filter` (`*` one token, `>` the rest) matches the literal `subject`. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split(".");
  const s = subject.split(".");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === ">") return s.length > i;
    if (i >= s.length || (f[i] !== "*" && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

/**
 * The table's policy. `format` is the table's format identifier; `filters` the table's subject
 * filters (empty: the whole stream, which the planner cannot inspect — documented, not checked).
 */
export function readBadRecordOptions(
  table: ResolvedTable,
  format: string,
  filters: readonly string[],
): NatsTableBadRecords {
  const options = readSharedBadRecordOptions(table, {
    deadLetterKey: DEAD_LETTER_SUBJECT,
    ignoreKeys: [`${format}.ignore-parse-errors`],
  });
  if (options.kind === "fail") return options;
  if (options.kind === "drop") return { kind: "drop", lenient: options.lenient[0] ?? null };
  const subject = options.target.trim();
  if (/[\s*>]/.test(subject) || subject.split(".").some((token) => token === ""))
    throw new ConnectorOptionError(
      `Invalid value for option '${DEAD_LETTER_SUBJECT}' of table '${table.name}': '${subject}' is not a literal NATS subject (dot-separated non-empty tokens, no wildcards or whitespace)`,
    );
  const own = filters.find((filter) => subjectMatches(filter, subject));
  if (own !== undefined)
    throw new ConnectorOptionError(
      `Table '${table.name}': '${DEAD_LETTER_SUBJECT}' '${subject}' is read by the table itself (subject '${own}'); choose a subject outside it`,
    );
  return { kind: "dead-letter", subject };
}

/** A dead letter as its JSON bytes (the payload is kept twice: as text and exactly, in base64). */
export function encodeDeadLetter(letter: NatsDeadLetter): Uint8Array {
  return textEncoder.encode(JSON.stringify(letter));
}

const textEncoder = new TextEncoder();
