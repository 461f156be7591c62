/**
 * Built-in sinks: print (stdout), discard, and collect (records returned to the job's caller).
 * @module
 */

import type { Sink, SinkWriter } from "../sink.ts";

/** A sink whose records the runtime sends back to the caller of `execute()`. @public */
export interface CollectSink<T> extends Sink<T> {
  readonly collectName: string;
}

/** Renders a record for printing: strings as they are, everything else as JSON (bigints as digits). */
function render(record: unknown): string {
  if (typeof record === "string") return record;
  if (typeof record === "bigint") return record.toString();
  return (
    JSON.stringify(record, (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    ) ?? String(record)
  );
}

/**
 * Factories for the built-in sinks.
 * @public
 */
export const Sinks = {
  /**
   * Prints each record on its own line to stdout. With parallelism above 1 each line starts with
   * the 1-based subtask number, as Flink's print sink does (`2> record`).
   */
  print<T>(): Sink<T> {
    return {
      createWriter(ctx): SinkWriter<T> {
        const prefix = ctx.parallelism > 1 ? `${ctx.indexOfSubtask + 1}> ` : "";
        return {
          write(records) {
            let text = "";
            for (const record of records) text += `${prefix}${render(record)}\n`;
            process.stdout.write(text);
          },
          flush() {},
          close() {},
        };
      },
    };
  },
  /** Drops every record (for benchmarks). */
  discard<T>(): Sink<T> {
    return {
      createWriter(): SinkWriter<T> {
        return { write() {}, flush() {}, close() {} };
      },
    };
  },
  /**
   * Sends records back to the caller: read them with `JobExecutionResult.collected(sink)`. For tests
   * and small results only; every record travels to the coordinator.
   */
  collect<T>(name = "collect"): CollectSink<T> {
    return {
      collectName: name,
      createWriter(): SinkWriter<T> {
        throw new Error(
          `collect sink "${name}" is written by the Weir runtime and cannot be used on its own`,
        );
      },
    };
  },
} as const;

/** True for sinks made by `Sinks.collect`. @public */
export function isCollectSink(sink: Sink<unknown, unknown>): sink is CollectSink<unknown> {
  return typeof (sink as { collectName?: unknown }).collectName === "string";
}
