/**
 * The `debezium-json` changelog format (Flink's): each message is a Debezium change event, whose
 * `op` says what happened and whose `before`/`after` hold the row images. Reading:
 * `c` (create) and `r` (snapshot read) → `+I after`; `u` → `-U before` then `+U after` (the
 * source table must log full before images, e.g. Postgres REPLICA IDENTITY FULL); `d` → `-D
 * before`. With `debezium-json.schema-include` = true the event is wrapped as
 * `{"schema": …, "payload": {…}}` (Kafka Connect's JsonConverter with schemas enabled). With
 * `debezium-json.ignore-parse-errors` a bad message is skipped. A message that is JSON `null` (a
 * Kafka tombstone) is skipped, as Flink does.
 *
 * Writing, as Flink: `+I`/`+U` → `{"before":null,"after":{…},"op":"c"}`, `-U`/`-D` →
 * `{"before":{…},"after":null,"op":"d"}` (the schema is never written).
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

export const debeziumJsonFormat: RecordFormatFactory = {
  identifier: "debezium-json",
  optionalOptions: [
    "debezium-json.schema-include",
    "debezium-json.ignore-parse-errors",
    "debezium-json.timestamp-format.standard",
    "debezium-json.map-null-key.mode",
    "debezium-json.map-null-key.literal",
    "debezium-json.encode.decimal-as-plain-number",
  ],
  changelog: true,
  createDecoder(rowType, options, context) {
    const schemaInclude = flag(options, "debezium-json.schema-include");
    const ignoreErrors = flag(options, "debezium-json.ignore-parse-errors");
    const image = jsonImageReader(rowType, context.timeZone);
    function decodeEvent(bytes: Uint8Array, out: RowData[]): void {
      const parsed = parseJsonMessage(bytes);
      if (parsed === null) return;
      let event = parsed as Record<string, unknown>;
      if (typeof event !== "object" || Array.isArray(event))
        throw new FormatError(`expected a Debezium event object but found ${JSON.stringify(parsed)}`);
      if (schemaInclude) {
        const payload = event.payload;
        if (typeof payload !== "object" || payload === null)
          throw new FormatError(
            "'payload' is missing: with 'debezium-json.schema-include' = 'true' the event must be {\"schema\": …, \"payload\": …}",
          );
        event = payload as Record<string, unknown>;
      } else if ("schema" in event && "payload" in event && !("op" in event)) {
        throw new FormatError(
          "the event has 'schema' and 'payload' fields: set 'debezium-json.schema-include' = 'true' to read it",
        );
      }
      const op = event.op;
      switch (op) {
        case "c":
        case "r":
          out.push({ kind: RowKind.INSERT, fields: image(event.after, "after") });
          return;
        case "u": {
          if (event.before === null || event.before === undefined)
            throw new FormatError(
              "the 'before' field of an UPDATE event is null; if the source is Debezium's Postgres connector, set the table's REPLICA IDENTITY to FULL",
            );
          const before = image(event.before, "before");
          const after = image(event.after, "after");
          out.push(
            { kind: RowKind.UPDATE_BEFORE, fields: before },
            { kind: RowKind.UPDATE_AFTER, fields: after },
          );
          return;
        }
        case "d":
          out.push({ kind: RowKind.DELETE, fields: image(event.before, "before") });
          return;
        default:
          throw new FormatError(
            `unknown Debezium operation 'op' = ${JSON.stringify(op) ?? "missing"} (expected c, r, u or d)`,
          );
      }
    }
    return changelogEventDecoder(decodeEvent, ignoreErrors);
  },
  createEncoder(rowType, options, context) {
    const write = jsonImageWriter(rowType, options, "debezium-json", context);
    return {
      encode(row) {
        const text =
          row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER
            ? `{"before":null,"after":${write(row.fields)},"op":"c"}`
            : `{"before":${write(row.fields)},"after":null,"op":"d"}`;
        return utf8.encode(text);
      },
    };
  },
};
