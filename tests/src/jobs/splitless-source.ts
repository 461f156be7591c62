/**
 * Test support: a bounded source whose readers need no splits (each reader knows from its subtask
 * index what to emit), so the enumerator has nothing to do. Used by test jobs that script a
 * reader's behaviour directly.
 */

import {
  Boundedness,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
} from "@weir/api";

export function splitlessSource<T>(
  createReader: (ctx: SourceReaderContext) => SourceReader<T, SourceSplit>,
): Source<T, SourceSplit, null> {
  return {
    boundedness: Boundedness.BOUNDED,
    createEnumerator: () => ({
      start() {},
      addReader() {},
      handleSplitRequest() {},
      addSplitsBack() {},
      snapshotState: () => null,
      close() {},
    }),
    restoreEnumerator() {
      throw new Error("a splitless test source is never restored");
    },
    createReader,
  };
}
