/**
 * The `canal-json` changelog format (Flink's): each message is a Canal binlog event with a `type`
 * and the changed rows in `data`. Reading: `INSERT` → `+I` per element of `data`; `DELETE` → `-D`
 * per element; `UPDATE` → per element `-U before` then `+U after`, where the after image is
 * `data[i]` and the before image is `data[i]` with the fields listed in `old[i]` replaced by their
 * old values; `CREATE` (a DDL event) is skipped. Options `canal-json.database.include` /
 * `canal-json.table.include` keep only events whose `database` / `table` match the regular
 * expression. With `canal-json.ignore-parse-errors` a bad message is skipped.
 *
 * Writing, as Flink: `+I`/`+U` → `{"data":[{…}],"type":"INSERT"}`, `-U`/`-D` →
 * `{"data":[{…}],"type":"DELETE"}`.
 * @module
 */

import { type RowData, RowKind } from "../data/row.ts";
import {
  changelogEventDecoder,
  formatFlag as flag,
  jsonImageReader,
  jsonImageWriter,
  parseJsonMessage,
} from "./json-row-object.ts";
import type { RecordFormatFactory } from "./record-format.ts";
import { FormatError } from "./row-format.ts";

const utf8 = new TextEncoder();

function pattern(options: Readonly<Record<string, string>>, key: string): RegExp | null {
  const raw = options[key];
  if (raw === undefined) return null;
  try {
    return new RegExp(`^(?:${raw})$`);
  } catch (error) {
    throw new FormatError(`option '${key}' is not a valid regular expression: ${(error as Error).message}`);
  }
}

function elements(event: Record<string, unknown>, key: string): unknown[] {
  const value = event[key];
  if (!Array.isArray(value))
    throw new FormatError(`'${key}' must be a JSON array but is ${JSON.stringify(value) ?? "missing"}`);
  return value;
}

export const canalJsonFormat: RecordFormatFactory = {
  identifier: "canal-json",
  optionalOptions: [
    "canal-json.ignore-parse-errors",
    "canal-json.timestamp-format.standard",
    "canal-json.map-null-key.mode",
    "canal-json.map-null-key.literal",
    "canal-json.encode.decimal-as-plain-number",
    "canal-json.database.include",
    "canal-json.table.include",
  ],
  changelog: true,
  createDecoder(rowType, options, context) {
    const ignoreErrors = flag(options, "canal-json.ignore-parse-errors");
    const database = pattern(options, "canal-json.database.include");
    const table = pattern(options, "canal-json.table.include");
    const image = jsonImageReader(rowType, context.timeZone);
    function decodeEvent(bytes: Uint8Array, out: RowData[]): void {
      const parsed = parseJsonMessage(bytes);
      if (parsed === null) return;
      if (typeof parsed !== "object" || Array.isArray(parsed))
        throw new FormatError(`expected a Canal event object but found ${JSON.stringify(parsed)}`);
      const event = parsed as Record<string, unknown>;
      if (database !== null && !database.test(String(event.database))) return;
      if (table !== null && !table.test(String(event.table))) return;
      switch (event.type) {
        case "INSERT":
          elements(event, "data").forEach((d, i) => {
            out.push({ kind: RowKind.INSERT, fields: image(d, `data[${i}]`) });
          });
          return;
        case "DELETE":
          elements(event, "data").forEach((d, i) => {
            out.push({ kind: RowKind.DELETE, fields: image(d, `data[${i}]`) });
          });
          return;
        case "UPDATE": {
          const old = elements(event, "old");
          elements(event, "data").forEach((d, i) => {
            const after = image(d, `data[${i}]`);
            const changed = old[i];
            if (typeof changed !== "object" || changed === null)
              throw new FormatError(
                `'old[${i}]' must be a JSON object but is ${JSON.stringify(changed) ?? "missing"}`,
              );
            const before = image({ ...(d as object), ...(changed as object) }, `old[${i}]`);
            out.push(
              { kind: RowKind.UPDATE_BEFORE, fields: before },
              { kind: RowKind.UPDATE_AFTER, fields: after },
            );
          });
          return;
        }
        case "CREATE":
          return;
        default:
          throw new FormatError(
            `unknown Canal event 'type' = ${JSON.stringify(event.type) ?? "missing"} (expected INSERT, UPDATE, DELETE or CREATE)`,
          );
      }
    }
    return changelogEventDecoder(decodeEvent, ignoreErrors);
  },
  createEncoder(rowType, options, context) {
    const write = jsonImageWriter(rowType, options, "canal-json", context);
    return {
      encode(row) {
        const type = row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER ? "INSERT" : "DELETE";
        return utf8.encode(`{"data":[${write(row.fields)}],"type":"${type}"}`);
      },
    };
  },
};
