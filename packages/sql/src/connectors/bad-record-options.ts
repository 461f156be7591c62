/**
 * The `'bad-records.*'` options every SQL source connector reads the same way (Weir's, beside
 * Flink's per-format `<format>.ignore-parse-errors`): `'bad-records.policy' = 'fail' | 'drop' |
 * 'dead-letter'` and one connector-specific dead-letter target option (`…dead-letter.path`,
 * `…dead-letter.topic`, `…dead-letter.subject`, `…dead-letter.table`). A connector checks only what
 * is its own about the target (a topic name's syntax, a subject the table reads itself).
 *
 * Invariant: the policy defaults to `fail`, or to `drop` when a format's `ignore-parse-errors` is
 * true (Flink's option maps to the drop policy); contradictory settings are refused when the table
 * is planned, naming the options: `ignore-parse-errors` with another explicit policy, a target
 * without the dead-letter policy, the dead-letter policy without a (non-blank) target.
 *
 * Worked sequence (`deadLetterKey` = `bad-records.dead-letter.topic`, `ignoreKeys` =
 * [`json.ignore-parse-errors`]): `{}` → fail; `{'json.ignore-parse-errors': 'true'}` → drop with
 * `lenient` = [`json.ignore-parse-errors`]; adding `'bad-records.policy' = 'fail'` → refused;
 * `{'bad-records.policy': 'dead-letter', 'bad-records.dead-letter.topic': 'dlq'}` → dead-letter
 * with target `dlq`; `{'bad-records.dead-letter.topic': 'dlq'}` alone → refused.
 * @module
 */

import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { OptionReader } from "./connector-options.ts";
import { ConnectorOptionError } from "./table-connector.ts";

/** The option choosing what happens to a record the format cannot decode. */
export const BAD_RECORDS_POLICY_OPTION = "bad-records.policy";

/** How a connector names its bad-record options. */
export interface BadRecordOptionSpec {
  /** The connector's dead-letter target option, e.g. `bad-records.dead-letter.topic`. */
  readonly deadLetterKey: string;
  /** The full keys of the formats' `ignore-parse-errors` options (none for a format-less source). */
  readonly ignoreKeys?: readonly string[];
  /** Named after the table in the messages (`Table 'orders' ('mysql-cdc'): …`) when given. */
  readonly connector?: string;
}

/** The policy the options chose; the connector turns it into its runtime policy. */
export type BadRecordOptions =
  | { readonly kind: "fail" }
  | {
      readonly kind: "drop";
      /** The `ignore-parse-errors` keys set to true that chose drop (empty: chosen explicitly). */
      readonly lenient: readonly string[];
    }
  /** `target` is the option's value as written (not blank; callers that need it trimmed trim it). */
  | { readonly kind: "dead-letter"; readonly target: string };

/** Reads and cross-checks the table's bad-record options as {@link BadRecordOptionSpec} names them. */
export function readBadRecordOptions(table: ResolvedTable, spec: BadRecordOptionSpec): BadRecordOptions {
  const reader = new OptionReader(table);
  const where =
    spec.connector === undefined ? `Table '${table.name}'` : `Table '${table.name}' ('${spec.connector}')`;
  const key = spec.deadLetterKey;
  const lenient = (spec.ignoreKeys ?? []).filter(
    (ignoreKey) => table.options[ignoreKey] !== undefined && reader.boolean(ignoreKey, false),
  );
  const explicit = table.options[BAD_RECORDS_POLICY_OPTION];
  const kind = reader.choice(
    BAD_RECORDS_POLICY_OPTION,
    ["fail", "drop", "dead-letter"] as const,
    lenient.length > 0 ? "drop" : "fail",
  );
  if (lenient.length > 0 && explicit !== undefined && kind !== "drop")
    throw new ConnectorOptionError(
      `${where}: '${lenient[0]}' = 'true' means the drop policy; it contradicts '${BAD_RECORDS_POLICY_OPTION}' = '${explicit}'`,
    );
  const target = reader.string(key);
  if (kind !== "dead-letter") {
    if (target !== undefined)
      throw new ConnectorOptionError(
        `${where}: option '${key}' needs '${BAD_RECORDS_POLICY_OPTION}' = 'dead-letter'`,
      );
    return kind === "drop" ? { kind: "drop", lenient } : { kind: "fail" };
  }
  if (target === undefined || target.trim() === "")
    throw new ConnectorOptionError(
      `${where}: '${BAD_RECORDS_POLICY_OPTION}' = 'dead-letter' needs option '${key}'`,
    );
  return { kind: "dead-letter", target };
}
