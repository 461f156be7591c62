/**
 * The chaos job of `npm run test:chaos`: per-key sequence numbers from a replayable generator pass
 * through keyed state (a per-key count) into the exactly-once file sink, while a fault schedule
 * strikes. Every output row carries the count its key's state had reached, so a reader of the
 * visible files can check the records (each (key, seq) once) and the state (count = seq + 1).
 *
 * Faults fire one at a time, in schedule order: fault k is armed once faults 0 … k-1 have fired
 * (a marker file per fired fault, created atomically, so threads and processes agree). Where each
 * kind strikes:
 * - `processing`: the checker throws while processing a record;
 * - `snapshot`: the sink writer throws while pre-committing at a checkpoint barrier;
 * - `restore`: the checker throws in `open`, right after its state was restored;
 * - `thread-kill`: the checker ends its worker thread abruptly (`process.exit` in a worker);
 * - `process-kill`: the chaos runner SIGKILLs the whole `weir run` process (not in this file).
 */

import { closeSync, openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  defineJob,
  type OneInputStreamProcessFunction,
  type Sink,
  type SinkWriter,
  Sources,
  StateDeclarations,
} from "@weir/api";
import { type FileCommittable, FileSink } from "@weir/connector-files";

export type FaultKind = "processing" | "snapshot" | "restore" | "thread-kill" | "process-kill";

export interface ChaosJobParams {
  readonly out: string;
  readonly markers: string;
  readonly schedule: readonly FaultKind[];
  readonly keys: number;
  readonly count: number;
  readonly recordsPerSecond: number;
}

export interface CheckedRow {
  readonly key: number;
  readonly seq: number;
  readonly count: number;
}

/** How many faults have fired: the index of the armed one. */
export function firedFaults(markers: string): number {
  try {
    return readdirSync(markers).filter((name) => name.startsWith("fault-")).length;
  } catch {
    return 0;
  }
}

/** Marks fault `k` as fired; false when another thread or process fired it first. */
export function markFault(markers: string, k: number, kind: FaultKind): boolean {
  try {
    closeSync(openSync(join(markers, `fault-${String(k).padStart(3, "0")}-${kind}`), "wx"));
    return true;
  } catch {
    return false;
  }
}

const COUNT = StateDeclarations.value<number>("count");

export default defineJob((env, params: ChaosJobParams) => {
  const { keys, markers, schedule } = params;
  /** The armed fault when this attempt's checker opened, and how many records it has seen since. */
  let armed = -1;
  let seen = 0;
  const armedKind = () => (armed >= 0 && armed < schedule.length ? schedule[armed] : undefined);

  const checker: OneInputStreamProcessFunction<{ key: number; seq: number }, CheckedRow, number> = {
    usesStates: () => [COUNT],
    open(ctx) {
      armed = firedFaults(markers);
      seen = 0;
      if (
        armedKind() === "restore" &&
        ctx.taskInfo.indexOfThisSubtask === 0 &&
        markFault(markers, armed, "restore")
      ) {
        throw new Error(`chaos: injected fault ${armed} (restore)`);
      }
    },
    processRecord(record, out, ctx) {
      seen++;
      const kind = armedKind();
      // Strike after a few hundred records, so checkpoints keep completing between faults.
      if ((kind === "processing" || kind === "thread-kill") && seen === 300 + ((armed * 131) % 500)) {
        if (ctx.taskInfo.indexOfThisSubtask === 0 && markFault(markers, armed, kind)) {
          if (kind === "thread-kill") process.exit(70);
          throw new Error(`chaos: injected fault ${armed} (processing)`);
        }
      }
      const count = ctx.stateManager.getState(COUNT);
      const next = (count.value() ?? 0) + 1;
      count.update(next);
      out.collect({ key: record.key, seq: record.seq, count: next });
    },
  };

  const files = FileSink.forRows<CheckedRow>(params.out, {
    format: "jsonl",
    bucketAssigner: (row) => `key=${row.key % 4}`,
  });
  /** The file sink, with the `snapshot` fault in its pre-commit. */
  const sink: Sink<CheckedRow, FileCommittable> = {
    createWriter(ctx) {
      const writer: SinkWriter<CheckedRow, FileCommittable> = files.createWriter(ctx);
      return {
        write: (records) => writer.write(records),
        flush: (endOfInput) => writer.flush(endOfInput),
        prepareCommit() {
          const fired = firedFaults(markers);
          if (
            schedule[fired] === "snapshot" &&
            ctx.indexOfSubtask === 0 &&
            markFault(markers, fired, "snapshot")
          ) {
            throw new Error(`chaos: injected fault ${fired} (snapshot)`);
          }
          return writer.prepareCommit?.() ?? [];
        },
        close: () => writer.close(),
      };
    },
    createCommitter: () => files.createCommitter!(),
  };

  env
    .fromSource(
      Sources.generator((i) => ({ key: i % keys, seq: Math.floor(i / keys) }), {
        count: params.count,
        recordsPerSecond: params.recordsPerSecond,
      }),
      "Sequence numbers",
    )
    .withUid("numbers")
    .keyBy((record) => record.key)
    .process(checker)
    .withName("Checker")
    .withUid("checker")
    .toSink(sink)
    .withName("File sink")
    .withUid("files");
});
