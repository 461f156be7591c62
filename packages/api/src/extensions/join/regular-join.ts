/**
 * The regular (non-windowed) keyed join: every left record meets every right record of the same
 * key, whenever each arrives. Both sides are kept in keyed list state.
 *
 * Outer joins on streams: a record that has found no partner cannot know whether one will still
 * come, so the unmatched records of LEFT/RIGHT/FULL joins are emitted (with `null` for the other
 * side) when both inputs have ended — i.e. on bounded inputs. On unbounded inputs an outer join
 * behaves like an inner one and its state grows with the input (as Flink's, without a state TTL).
 *
 * Sequence for key k, INNER: `L1 R1 R2 L2` emits `(L1,R1) (L1,R2) (L2,R1) (L2,R2)`, each pair once,
 * at the arrival of its later record.
 * @module
 */

import type { NonPartitionedContext } from "../../contexts.ts";
import type { TwoInputNonBroadcastStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import { StateDeclarations } from "../../state.ts";
import { checkJoinFunction, type JoinType, type OuterJoinFunction } from "./join-function.ts";

interface Buffered<T> {
  readonly record: T;
  /** Whether the record met a partner; decides what an outer join emits at the end. */
  readonly matched: boolean;
}

/** Marks every buffered record matched, writing the list back only if something changed. */
function markMatched<T>(state: {
  get(): readonly Buffered<T>[];
  update(values: readonly Buffered<T>[]): void;
}): void {
  const buffered = state.get();
  if (buffered.every((b) => b.matched)) return;
  state.update(buffered.map((b) => (b.matched ? b : { record: b.record, matched: true })));
}

const JOIN_TYPES = new Set<JoinType>(["INNER", "LEFT", "RIGHT", "FULL"]);

/** The regular join as a two-input process function; see the module comment for outer-join semantics. */
export function regularJoin<IN1, IN2, OUT, K extends KeyValue>(
  fn: OuterJoinFunction<IN1, IN2, OUT>,
  type: JoinType = "INNER",
): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
  checkJoinFunction(fn, "Joins.join");
  if (!JOIN_TYPES.has(type))
    throw new TypeError(`join type must be INNER, LEFT, RIGHT or FULL, got ${String(type)}`);
  const LEFT = StateDeclarations.list<Buffered<IN1>>("join-left");
  const RIGHT = StateDeclarations.list<Buffered<IN2>>("join-right");
  const emitUnmatchedLeft = type === "LEFT" || type === "FULL";
  const emitUnmatchedRight = type === "RIGHT" || type === "FULL";
  // Per subtask: the function object belongs to one subtask (each worker rebuilds the graph).
  let ended = 0;

  const endOne = (ctx: NonPartitionedContext<OUT, K>) => {
    if (++ended < 2 || (!emitUnmatchedLeft && !emitUnmatchedRight)) return;
    ctx.applyToAllPartitions((output, partition) => {
      const state = partition.stateManager;
      if (emitUnmatchedLeft) {
        for (const left of state.getState(LEFT).get())
          if (!left.matched) fn.processRecord(left.record, null, output, partition);
      }
      if (emitUnmatchedRight) {
        for (const right of state.getState(RIGHT).get()) {
          if (!right.matched) fn.processRecord(null, right.record, output, partition);
        }
      }
    });
  };

  return {
    usesStates: () => [LEFT, RIGHT],
    processRecordFromFirstInput(record, output, ctx) {
      const rightState = ctx.stateManager.getState(RIGHT);
      const rights = rightState.get();
      for (const right of rights) fn.processRecord(record, right.record, output, ctx);
      if (emitUnmatchedRight && rights.length > 0) markMatched(rightState);
      ctx.stateManager.getState(LEFT).add({ record, matched: rights.length > 0 });
    },
    processRecordFromSecondInput(record, output, ctx) {
      const leftState = ctx.stateManager.getState(LEFT);
      const lefts = leftState.get();
      for (const left of lefts) fn.processRecord(left.record, record, output, ctx);
      if (emitUnmatchedLeft && lefts.length > 0) markMatched(leftState);
      ctx.stateManager.getState(RIGHT).add({ record, matched: lefts.length > 0 });
    },
    endFirstInput: endOne,
    endSecondInput: endOne,
  };
}
