import assert from "node:assert/strict";
import { test } from "node:test";
import { decideRestart, validateRestartStrategy } from "./restart-strategy.ts";

test("fixed delay restarts a set number of times", () => {
  const s = { kind: "fixed-delay", attempts: 2, delayMs: 50 } as const;
  assert.deepEqual(decideRestart(s, [0]), { restart: true, delayMs: 50 });
  assert.deepEqual(decideRestart(s, [0, 10]), { restart: true, delayMs: 50 });
  assert.equal(decideRestart(s, [0, 10, 20]).restart, false);
});

test("exponential delay grows by the multiplier up to the maximum", () => {
  const s = {
    kind: "exponential-delay",
    initialDelayMs: 100,
    maxDelayMs: 500,
    multiplier: 2,
    attempts: 10,
  } as const;
  const delays = [1, 2, 3, 4, 5].map((n) =>
    decideRestart(
      s,
      Array.from({ length: n }, (_, i) => i),
    ),
  );
  assert.deepEqual(
    delays.map((d) => (d.restart ? d.delayMs : -1)),
    [100, 200, 400, 500, 500],
  );
});

test("failure rate stops once too many failures fall into the interval", () => {
  const s = { kind: "failure-rate", maxFailures: 2, intervalMs: 1_000, delayMs: 10 } as const;
  assert.equal(decideRestart(s, [0, 500]).restart, true);
  assert.equal(decideRestart(s, [0, 500, 900]).restart, false);
  // Old failures fall out of the interval.
  assert.equal(decideRestart(s, [0, 500, 1_600]).restart, true);
});

test("none never restarts, and strategies are validated", () => {
  assert.deepEqual(decideRestart({ kind: "none" }, [0]), {
    restart: false,
    reason: "no restart strategy is configured",
  });
  assert.throws(
    () => validateRestartStrategy({ kind: "fixed-delay", attempts: -1, delayMs: 0 }),
    /attempts must be a non-negative number/,
  );
  assert.throws(
    () => validateRestartStrategy({ kind: "sometimes" } as never),
    /unknown restart strategy "sometimes"/,
  );
});
