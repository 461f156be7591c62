/**
 * The `blackhole` SQL sink connector: takes every row of any changelog mode and drops it, for
 * benchmarks and for queries run only for their side effects.
 * @module
 */

import type { Sink } from "@weir/api";
import type { RowData } from "../data/row.ts";
import { checkTableOptions } from "./connector-options.ts";
import { attachSink } from "./print-connector.ts";
import type { SinkContext, TableConnectorFactory, TableSink } from "./table-connector.ts";

const BLACKHOLE_OPTIONS = { required: [], optional: ["sink.parallelism"] };

export const blackholeConnector: TableConnectorFactory = {
  identifier: "blackhole",
  requiredOptions: BLACKHOLE_OPTIONS.required,
  optionalOptions: BLACKHOLE_OPTIONS.optional,
  createSink(context: SinkContext): TableSink {
    checkTableOptions("blackhole", context.table, BLACKHOLE_OPTIONS);
    const sink: Sink<RowData> = {
      createWriter: () => ({ write() {}, flush() {}, close() {} }),
    };
    return {
      acceptedModes: ["insert-only", "retract", "upsert"],
      consume(stream) {
        attachSink(stream, sink, `Sink: blackhole ${context.table.name}`, context);
      },
    };
  },
};
