/**
 * Test job for the continuously monitored file source: numbers read from the files appearing in
 * `input` are written, exactly once, by the file sink to `output`. Optionally attempt 0 fails once,
 * at the first number at or above `failAt` (after checkpoints have completed), leaving a marker
 * file, so that the restored job must neither re-read nor skip a file.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineJob } from "@weir/api";
import { FileSink, FileSource } from "@weir/connector-files";

export interface MonitoredFilesJobParams {
  readonly input: string;
  readonly output: string;
  readonly monitorIntervalMs: number;
  /** -1 for no failure. */
  readonly failAt: number;
  /** Where the failing attempt leaves its marker. */
  readonly marker: string;
}

export default defineJob((env, params: MonitoredFilesJobParams) => {
  env
    .fromSource(
      FileSource.forLines(params.input, {
        decode: (line) => Number(line),
        monitorIntervalMs: params.monitorIntervalMs,
      }),
      "Monitored files",
    )
    .process<number>({
      processRecord(n, out, ctx) {
        if (params.failAt >= 0 && n >= params.failAt && ctx.taskInfo.attemptNumber === 0) {
          writeFileSync(join(params.marker), `failed at ${n}\n`);
          throw new Error(`injected failure at ${n}`);
        }
        out.collect(n);
      },
    })
    .toSink(FileSink.forRows<number>(params.output, { format: "jsonl" }))
    .withName("File sink");
});
