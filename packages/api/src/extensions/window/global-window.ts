/**
 * The global window: one window per key (per subtask on non-keyed streams) that holds every record
 * and fires once, when the input ends, through `endInput` and `applyToAllPartitions`. Its window is
 * `TimeWindows.GLOBAL` and its results carry the timestamp `+Infinity` (`end - 1`), the end of time.
 *
 * Invariants: nothing fires before the end of input (on an unbounded input it never fires); at the
 * end every partition with contents fires exactly once and its state is cleared.
 * @module
 */

import type { PartitionedContext } from "../../contexts.ts";
import type { OneInputStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import { StateDeclarations } from "../../state.ts";
import { TimeWindows } from "./time-window.ts";
import type { WindowContents } from "./window-contents.ts";

const CONTENTS = StateDeclarations.value<unknown>("global-window-contents");

/**
 * The global window as a process function, for keyed and non-keyed streams. On non-keyed streams
 * the window function's `key` is `undefined`.
 *
 * @example
 * ```ts
 * keyed.process(globalWindow(windowContents(WindowFunctions.aggregate(COUNT))));
 * ```
 * @public
 */
export function globalWindow<IN, OUT, K extends KeyValue>(
  contents: WindowContents<IN, OUT, K>,
): OneInputStreamProcessFunction<IN, OUT, K> {
  /** Whether the stream is keyed, learnt from the first partition that fires. */
  let keyed: boolean | undefined;
  const keyOf = (ctx: PartitionedContext<OUT, K>): K => {
    if (keyed === undefined) {
      try {
        const key = ctx.stateManager.getCurrentKey();
        keyed = true;
        return key;
      } catch {
        keyed = false;
      }
    }
    return (keyed ? ctx.stateManager.getCurrentKey() : undefined) as K;
  };
  return {
    usesStates: () => [CONTENTS],
    processRecord(record, _output, ctx) {
      const state = ctx.stateManager.getState(CONTENTS);
      const previous = state.value();
      state.update(contents.add(record, previous === undefined ? contents.create() : previous));
    },
    endInput(ctx) {
      ctx.applyToAllPartitions((output, partition) => {
        const state = partition.stateManager.getState(CONTENTS);
        const value = state.value();
        if (value === undefined) return;
        state.clear();
        contents.emit(keyOf(partition), TimeWindows.GLOBAL, value, output, partition);
      });
    },
  };
}
