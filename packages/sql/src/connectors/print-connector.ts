/**
 * The `print` SQL sink connector.
 *
 * `print` writes each row as Flink's print connector does (see `print-row-text.ts`), prefixed by
 * the identifier and/or the 1-based subtask number when given / parallel:
 * ```text
 * +I[1, Alice]          parallelism 1, no 'print-identifier'
 * 2> -U[1, Alice]       parallelism > 1
 * orders:2> +U[1, Bob]  'print-identifier' = 'orders', parallelism > 1
 * ```
 * Invariant: the sink accepts every changelog mode (it only shows rows).
 * @module
 */

import type { NonKeyedPartitionStream, Sink, SinkWriter } from "@weir/api";
import type { RowData } from "../data/row.ts";
import { sessionTimeZone } from "../formats/session-time-zone.ts";
import type { RowType } from "../types/logical-type.ts";
import { checkTableOptions, OptionReader } from "./connector-options.ts";
import { printRowText } from "./print-row-text.ts";
import type { SinkContext, TableConnectorFactory, TableSink } from "./table-connector.ts";

const PRINT_OPTIONS = { required: [], optional: ["print-identifier", "standard-error", "sink.parallelism"] };

function printSink(
  type: RowType,
  identifier: string | undefined,
  toStderr: boolean,
  timeZone: string,
): Sink<RowData> {
  return {
    createWriter(ctx): SinkWriter<RowData> {
      const subtask = ctx.parallelism > 1 ? String(ctx.indexOfSubtask + 1) : "";
      const prefix =
        identifier !== undefined && identifier !== ""
          ? `${identifier}${subtask === "" ? "" : `:${subtask}`}> `
          : subtask === ""
            ? ""
            : `${subtask}> `;
      const out = toStderr ? process.stderr : process.stdout;
      return {
        write(records) {
          let text = "";
          for (const record of records) text += `${prefix}${printRowText(record, type, timeZone)}\n`;
          out.write(text);
        },
        flush() {},
        close() {},
      };
    },
  };
}

/** Attaches `sink` with the table's `sink.parallelism`, when set. */
export function attachSink(
  stream: NonKeyedPartitionStream<RowData>,
  sink: Sink<RowData>,
  name: string,
  context: SinkContext,
): void {
  const parallelism = new OptionReader(context.table).integer("sink.parallelism", undefined, 1);
  const handle = stream.toSink(sink).withName(name);
  if (parallelism !== undefined) handle.withParallelism(parallelism);
}

export const printConnector: TableConnectorFactory = {
  identifier: "print",
  requiredOptions: PRINT_OPTIONS.required,
  optionalOptions: PRINT_OPTIONS.optional,
  createSink(context: SinkContext): TableSink {
    checkTableOptions("print", context.table, PRINT_OPTIONS);
    const reader = new OptionReader(context.table);
    const sink = printSink(
      context.physicalType,
      reader.string("print-identifier"),
      reader.boolean("standard-error", false),
      sessionTimeZone(context.config),
    );
    return {
      acceptedModes: ["insert-only", "retract", "upsert"],
      consume(stream) {
        attachSink(stream, sink, `Sink: print ${context.table.name}`, context);
      },
    };
  },
};
