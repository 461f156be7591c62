/**
 * The `values` SQL connector: a table whose rows are written in its own `WITH` options, for tests
 * and examples (Flink's test `values` connector, but usable from pure SQL — the data is inline,
 * not registered from Java). One row per line of `data`: a JSON array of the column values,
 * optionally prefixed by its row kind and a space.
 *
 * ```sql
 * CREATE TABLE balances (who STRING, amount INT) WITH (
 *   'connector' = 'values', 'changelog-mode' = 'I,UB,UA,D',
 *   'data' = '+I ["alice", 10]
 *             +I ["bob", 5]
 *             -U ["alice", 10]
 *             +U ["alice", 12]
 *             -D ["bob", 5]');
 * ```
 * `changelog-mode` is Flink's: `I` (the default; only `+I`), `I,UB,UA,D` (retract) or `I,UA,D`
 * (upsert; needs a primary key, and the planner normalizes the rows by it). A row whose kind the
 * mode does not allow is an error naming its line. Values are read by the column types as the JSON
 * format reads them (`fromJsonValue`): numbers or strings for numerics (write a BIGINT beyond 2^53
 * as a string), `"YYYY-MM-DD HH:mm:ss"` for timestamps, and so on.
 *
 * Invariant: the rows are emitted in the order written, all by subtask 0 (see
 * `ordered-rows-source.ts`), so a changelog keeps its order up to and through the first keyed
 * exchange. `'bounded' = 'false'` only tells the planner to treat the table as unbounded
 * (streaming-only plans); the rows still end, as with Flink's test source. `'scan.parallelism'`
 * runs the source at that parallelism instead of the job's (as a CDC reader runs at 1), which the
 * planner answers for a changelog with a hash exchange (see `TableSource.parallelism`).
 * @module
 */

import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { fromJsonValue } from "../data/json-value.ts";
import { type ChangelogMode, ROW_KIND_SHORT, type RowData, RowKind } from "../data/row.ts";
import { sessionTimeZone } from "../formats/session-time-zone.ts";
import type { RowType } from "../types/logical-type.ts";
import { checkTableOptions, OptionReader } from "./connector-options.ts";
import { orderedRowsSource } from "./ordered-rows-source.ts";
import { ConnectorOptionError, type SourceContext, type TableConnectorFactory } from "./table-connector.ts";

const OPTIONS = { required: [], optional: ["data", "changelog-mode", "bounded", "scan.parallelism"] };

const KIND_OF_PREFIX: Readonly<Record<string, RowKind>> = {
  "+I": RowKind.INSERT,
  "-U": RowKind.UPDATE_BEFORE,
  "+U": RowKind.UPDATE_AFTER,
  "-D": RowKind.DELETE,
};

/** The kinds each mode lets a row have, indexed by RowKind. */
const ALLOWED_KINDS: Readonly<Record<ChangelogMode["kind"], readonly boolean[]>> = {
  "insert-only": [true, false, false, false],
  retract: [true, true, true, true],
  upsert: [true, false, true, true],
};

/**
 * Flink's `changelog-mode` text (a set of `I`, `UB`, `UA`, `D`, in any order and case) as one of
 * the three modes a source can declare; upsert mode is keyed by the table's primary key.
 */
function changelogModeOf(table: ResolvedTable, physicalType: RowType): ChangelogMode {
  const raw = table.options["changelog-mode"];
  if (raw === undefined) return { kind: "insert-only" };
  const kinds = new Set(
    raw
      .split(",")
      .map((k) => k.trim().toUpperCase())
      .filter((k) => k !== ""),
  );
  const is = (...expected: string[]) => kinds.size === expected.length && expected.every((k) => kinds.has(k));
  if (is("I")) return { kind: "insert-only" };
  if (is("I", "UB", "UA", "D")) return { kind: "retract" };
  if (is("I", "UA", "D")) {
    if (table.primaryKey === null || table.primaryKey.length === 0)
      throw new ConnectorOptionError(
        `Table '${table.name}': 'changelog-mode' = '${raw}' (upsert) needs a PRIMARY KEY, ` +
          "which the table does not declare",
      );
    const names = physicalType.fields.map((f) => f.name);
    const upsertKey = table.primaryKey.map((column) => {
      const index = names.indexOf(column);
      if (index < 0)
        throw new ConnectorOptionError(
          `Table '${table.name}': primary key column '${column}' is not a physical column`,
        );
      return index;
    });
    return { kind: "upsert", upsertKey };
  }
  throw new ConnectorOptionError(
    `Invalid value for option 'changelog-mode' of table '${table.name}': '${raw}' ` +
      "(expected I, I,UB,UA,D or I,UA,D)",
  );
}

function modeText(mode: ChangelogMode): string {
  return mode.kind === "insert-only" ? "I" : mode.kind === "retract" ? "I,UB,UA,D" : "I,UA,D";
}

/**
 * The rows of `data`, checked against the mode and the column types. Blank lines are skipped;
 * line numbers in errors count every line of the option, from 1.
 */
export function parseValuesData(
  table: ResolvedTable,
  physicalType: RowType,
  mode: ChangelogMode,
  timeZone: string,
): RowData[] {
  const data = table.options.data ?? "";
  const fields = physicalType.fields;
  const allowed = ALLOWED_KINDS[mode.kind];
  const rows: RowData[] = [];
  const lines = data.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === "") continue;
    const where = `Table '${table.name}', option 'data', line ${l + 1}`;
    let kind: RowKind = RowKind.INSERT;
    let body = line;
    if (line[0] !== "[") {
      const match = /^([+-][A-Z]+)\s+/i.exec(line);
      const prefix = match?.[1]?.toUpperCase();
      const parsed = prefix === undefined ? undefined : KIND_OF_PREFIX[prefix];
      if (parsed === undefined)
        throw new ConnectorOptionError(
          `${where}: expected a JSON array, optionally after a row kind (+I, -U, +U or -D) and a space, ` +
            `but got '${line.length > 40 ? `${line.slice(0, 40)}…` : line}'`,
        );
      kind = parsed;
      body = line.slice(match![0].length);
    }
    if (!allowed[kind])
      throw new ConnectorOptionError(
        `${where}: a ${ROW_KIND_SHORT[kind]} row, but 'changelog-mode' = '${modeText(mode)}' does not allow it`,
      );
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new ConnectorOptionError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(json))
      throw new ConnectorOptionError(`${where}: expected a JSON array of the column values`);
    if (json.length !== fields.length)
      throw new ConnectorOptionError(
        `${where}: ${json.length} values for ${fields.length} columns (${fields.map((f) => f.name).join(", ")})`,
      );
    const values = new Array(fields.length);
    for (let f = 0; f < fields.length; f++) {
      const { name, type } = fields[f]!;
      let value: unknown;
      try {
        value = fromJsonValue(json[f], type, timeZone);
      } catch (error) {
        throw new ConnectorOptionError(`${where}, column '${name}': ${(error as Error).message}`);
      }
      if (value === null && !type.nullable)
        throw new ConnectorOptionError(`${where}, column '${name}': NULL for a NOT NULL column`);
      values[f] = value;
    }
    rows.push({ kind, fields: values });
  }
  return rows;
}

export const valuesConnector: TableConnectorFactory = {
  identifier: "values",
  requiredOptions: OPTIONS.required,
  optionalOptions: OPTIONS.optional,
  createSource(context: SourceContext) {
    const { table, physicalType } = context;
    checkTableOptions("values", table, OPTIONS);
    if (context.metadata.length > 0)
      throw new ConnectorOptionError(
        `Table '${table.name}': the 'values' connector has no metadata, but metadata key ` +
          `'${context.metadata[0]!.key}' was requested`,
      );
    const options = new OptionReader(table);
    const bounded = options.boolean("bounded", true);
    const parallelism = options.integer("scan.parallelism", undefined, 1);
    const changelogMode = changelogModeOf(table, physicalType);
    const rows = parseValuesData(table, physicalType, changelogMode, sessionTimeZone(context.config));
    return {
      changelogMode,
      bounded,
      ...(parallelism !== undefined ? { parallelism } : {}),
      createStream() {
        const stream = context.env
          .fromSource(orderedRowsSource(rows), `values: ${table.name}`)
          .withName(`TableSourceScan(table=[${table.name}])`);
        return parallelism === undefined ? stream : stream.withParallelism(parallelism);
      },
    };
  },
};
