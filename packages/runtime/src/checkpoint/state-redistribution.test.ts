/** Redistribution of operator snapshots on restore: which restored operators count as finished. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import { redistributeOperatorState } from "./state-redistribution.ts";

const snapshot = (finished: boolean, extra: unknown[]): OperatorSnapshot => ({
  operatorId: "op",
  keyed: {},
  operator: {},
  extra,
  ...(finished ? { finished: true } : {}),
});

test("at the same parallelism each subtask keeps its own finished mark", () => {
  const old = [snapshot(true, ["a"]), snapshot(false, ["b"])];
  assert.equal(redistributeOperatorState(old, 2, 0, "op").finished, true);
  assert.equal(redistributeOperatorState(old, 2, 1, "op").finished, undefined);
});

test("after rescaling an operator is finished only if every old subtask was", () => {
  const some = [snapshot(true, ["a"]), snapshot(false, ["b"])];
  for (const subtask of [0, 1, 2])
    assert.equal(redistributeOperatorState(some, 3, subtask, "op").finished, undefined);
  const all = [snapshot(true, ["a"]), snapshot(true, ["b"])];
  assert.equal(redistributeOperatorState(all, 1, 0, "op").finished, true);
  assert.equal(redistributeOperatorState(all, 3, 2, "op").finished, true);
});
