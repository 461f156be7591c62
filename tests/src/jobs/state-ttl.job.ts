/**
 * Test job for state TTL. A paced source writes a value for key "old", reads it back at once, waits
 * (wall clock) longer than the TTL, then reads "old" again and writes and reads "new". The keyed
 * function keeps a value state and a list state with a TTL and emits what each read sees, so the
 * late read of "old" must find both expired. Scenario "non-keyed" declares TTL state on a non-keyed
 * stream, which the job graph must reject.
 */

import {
  defineJob,
  InputStatus,
  type KeyValue,
  type OneInputStreamProcessFunction,
  type ReaderOutput,
  Sinks,
  type Source,
  type SourceSplit,
  StateDeclarations,
} from "@weir/api";
import { splitlessSource } from "./splitless-source.ts";

export interface Cmd {
  readonly key: string;
  readonly write?: number;
}

export const SEEN = Sinks.collect<string>("seen");

/** Emits `before`, waits until `waitMs` of wall-clock time passed, emits `after`, ends. */
function pacedSource(
  before: readonly Cmd[],
  after: readonly Cmd[],
  waitMs: number,
): Source<Cmd, SourceSplit, null> {
  return splitlessSource(() => {
    let startedAt: number | undefined;
    return {
      start() {},
      pollNext(output: ReaderOutput<Cmd>): InputStatus {
        if (startedAt === undefined) {
          startedAt = Date.now();
          for (const cmd of before) output.collect(cmd);
          return InputStatus.NOTHING_AVAILABLE;
        }
        if (Date.now() < startedAt + waitMs) return InputStatus.NOTHING_AVAILABLE;
        for (const cmd of after) output.collect(cmd);
        return InputStatus.END_OF_INPUT;
      },
      isAvailable: () => new Promise<void>((resolve) => setTimeout(resolve, 5)),
      addSplits() {},
      notifyNoMoreSplits() {},
      snapshotState: () => [],
      close() {},
    };
  });
}

export default defineJob(
  (env, params: { scenario: "expiry" | "non-keyed"; ttlMs: number; waitMs: number }) => {
    const ttl = { ttlMs: params.ttlMs };
    const LAST = StateDeclarations.value<number>("last", { ttl });
    const HISTORY = StateDeclarations.list<number>("history", { ttl });
    const commands = env
      .fromSource(
        pacedSource(
          [{ key: "old", write: 1 }, { key: "old" }],
          [{ key: "old" }, { key: "new", write: 2 }, { key: "new" }],
          params.waitMs,
        ),
        "Paced commands",
      )
      .withParallelism(1);
    const fn: OneInputStreamProcessFunction<Cmd, string, KeyValue> = {
      usesStates: () => [LAST, HISTORY],
      processRecord(cmd, out, ctx) {
        const last = ctx.stateManager.getState(LAST);
        const history = ctx.stateManager.getState(HISTORY);
        if (cmd.write !== undefined) {
          last.update(cmd.write);
          history.add(cmd.write);
        } else {
          out.collect(`${cmd.key}: last=${last.value() ?? "none"} history=[${history.get().join(",")}]`);
        }
      },
    };
    if (params.scenario === "non-keyed") {
      commands.process(fn).withName("Non-keyed TTL").toSink(SEEN);
      return;
    }
    commands
      .keyBy((cmd) => cmd.key)
      .process(fn)
      .withName("TTL state")
      .withParallelism(2)
      .toSink(SEEN);
  },
);
