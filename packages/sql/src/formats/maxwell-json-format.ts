/**
 * The `maxwell-json` changelog format (Flink's): each message is a Maxwell binlog event with a
 * `type` and the changed row in `data` (one object, not an array as in Canal). Reading: `insert` →
 * `+I data`; `delete` → `-D data`; `update` → `-U before` then `+U data`, where the before image is
 * `data` with the fields present in `old` replaced by their old values (a field absent from `old`
 * did not change). Any other `type` is an error (Maxwell's DDL and bootstrap events are not row
 * changes), skipped with `maxwell-json.ignore-parse-errors` like every bad message. A message that
 * is JSON `null` is skipped.
 *
 * Writing, as Flink's MaxwellJsonSerializationSchema: `+I`/`+U` → `{"data":{…},"type":"insert"}`,
 * `-U`/`-D` → `{"data":{…},"type":"delete"}`. Worked example for `(id INT, name STRING)`:
 * ```text
 * {"data":{"id":1,"name":"b"},"old":{"name":"a"},"type":"update"}  → -U[1, a], +U[1, b]
 * +U[1, b] → {"data":{"id":1,"name":"b"},"type":"insert"}
 * ```
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

export const maxwellJsonFormat: RecordFormatFactory = {
  identifier: "maxwell-json",
  optionalOptions: [
    "maxwell-json.ignore-parse-errors",
    "maxwell-json.timestamp-format.standard",
    "maxwell-json.map-null-key.mode",
    "maxwell-json.map-null-key.literal",
    "maxwell-json.encode.decimal-as-plain-number",
  ],
  changelog: true,
  createDecoder(rowType, options, context) {
    const ignoreErrors = flag(options, "maxwell-json.ignore-parse-errors");
    const image = jsonImageReader(rowType, context.timeZone);
    function decodeEvent(bytes: Uint8Array, out: RowData[]): void {
      const parsed = parseJsonMessage(bytes);
      if (parsed === null) return;
      if (typeof parsed !== "object" || Array.isArray(parsed))
        throw new FormatError(`expected a Maxwell event object but found ${JSON.stringify(parsed)}`);
      const event = parsed as Record<string, unknown>;
      switch (event.type) {
        case "insert":
          out.push({ kind: RowKind.INSERT, fields: image(event.data, "data") });
          return;
        case "delete":
          out.push({ kind: RowKind.DELETE, fields: image(event.data, "data") });
          return;
        case "update": {
          const after = image(event.data, "data");
          const old = event.old ?? {};
          if (typeof old !== "object" || old === null || Array.isArray(old))
            throw new FormatError(`'old' must be a JSON object but is ${JSON.stringify(old)}`);
          const before = image({ ...(event.data as object), ...old }, "old");
          out.push(
            { kind: RowKind.UPDATE_BEFORE, fields: before },
            { kind: RowKind.UPDATE_AFTER, fields: after },
          );
          return;
        }
        default:
          throw new FormatError(
            `unknown Maxwell event 'type' = ${JSON.stringify(event.type) ?? "missing"} (expected insert, update or delete)`,
          );
      }
    }
    return changelogEventDecoder(decodeEvent, ignoreErrors);
  },
  createEncoder(rowType, options, context) {
    const write = jsonImageWriter(rowType, options, "maxwell-json", context);
    return {
      encode(row) {
        const type = row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER ? "insert" : "delete";
        return utf8.encode(`{"data":${write(row.fields)},"type":"${type}"}`);
      },
    };
  },
};
