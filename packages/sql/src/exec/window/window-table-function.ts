/**
 * The window TVF as an operator: each insert-only input row comes out once per aligned window that
 * holds its time attribute, with `window_start`, `window_end` and `window_time` appended.
 *
 * Example, `TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)`, a row at 00:00:12.5:
 * `+I[..., 00:00:12.5]` → `+I[..., 00:00:12.5, 00:00:10, 00:00:20, 00:00:19.999]`.
 * @module
 */

import type { Collector, OneInputStreamProcessFunction, PartitionedContext } from "@weir/api";
import { type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { forEachWindow, validateStrategy } from "./window-assigner.ts";
import type { WindowTableFunctionSpec } from "./window-specs.ts";

export class WindowTableFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #spec: WindowTableFunctionSpec;

  constructor(spec: WindowTableFunctionSpec) {
    if (spec.strategy.kind === "SESSION") {
      throw new Error("a SESSION window table function is only supported under a window aggregation");
    }
    validateStrategy(spec.strategy);
    this.#spec = spec;
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error(
        "window table functions take only insert-only input, but received an update or delete (as Flink, use them on append streams)",
      );
    }
    const fields = record.fields;
    const time =
      this.#spec.timeKind === "proctime"
        ? ctx.processingTimeManager.currentTime()
        : fields[this.#spec.timeIndex];
    if (typeof time !== "number") return; // NULL time attribute: the row belongs to no window.
    forEachWindow(this.#spec.strategy, time, (start, end) => {
      const row: SqlValue[] = fields.slice();
      row.push(start, end, end - 1);
      output.collect({ kind: RowKind.INSERT, fields: row });
    });
  }
}
