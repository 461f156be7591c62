/**
 * Restart strategies (Flink's fixed-delay, exponential-delay and failure-rate), as a pure decision:
 * given the strategy, the failure times so far and the current attempt, restart after how long, or
 * not at all. No clocks or I/O here, so every rule is tested directly.
 * @module
 */

/** How a job reacts to a task failure. @public */
export type RestartStrategy =
  | { readonly kind: "none" }
  /** Up to `attempts` restarts, each after `delayMs`. */
  | { readonly kind: "fixed-delay"; readonly attempts: number; readonly delayMs: number }
  /** Delays grow by `multiplier` from `initialDelayMs` up to `maxDelayMs`; at most `attempts` restarts. */
  | {
      readonly kind: "exponential-delay";
      readonly initialDelayMs: number;
      readonly maxDelayMs: number;
      readonly multiplier: number;
      readonly attempts: number;
    }
  /** Restarts after `delayMs` unless more than `maxFailures` failures fell within `intervalMs`. */
  | {
      readonly kind: "failure-rate";
      readonly maxFailures: number;
      readonly intervalMs: number;
      readonly delayMs: number;
    };

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number }
  | { readonly restart: false; readonly reason: string };

/**
 * `failureTimes`: when each failure so far happened, the latest included (ms, any clock);
 * the number of restarts done so far is `failureTimes.length - 1`.
 */
export function decideRestart(strategy: RestartStrategy, failureTimes: readonly number[]): RestartDecision {
  const restartsSoFar = failureTimes.length - 1;
  switch (strategy.kind) {
    case "none":
      return { restart: false, reason: "no restart strategy is configured" };
    case "fixed-delay":
      return restartsSoFar < strategy.attempts
        ? { restart: true, delayMs: strategy.delayMs }
        : { restart: false, reason: `the fixed-delay strategy allows ${strategy.attempts} restarts` };
    case "exponential-delay": {
      if (restartsSoFar >= strategy.attempts) {
        return {
          restart: false,
          reason: `the exponential-delay strategy allows ${strategy.attempts} restarts`,
        };
      }
      const delay = strategy.initialDelayMs * strategy.multiplier ** restartsSoFar;
      return { restart: true, delayMs: Math.min(delay, strategy.maxDelayMs) };
    }
    case "failure-rate": {
      const latest = failureTimes[failureTimes.length - 1] ?? 0;
      const recent = failureTimes.filter((t) => t > latest - strategy.intervalMs).length;
      return recent <= strategy.maxFailures
        ? { restart: true, delayMs: strategy.delayMs }
        : {
            restart: false,
            reason: `${recent} failures within ${strategy.intervalMs} ms exceed the failure-rate strategy's ${strategy.maxFailures}`,
          };
    }
  }
}

/** Checks a strategy given by a user; the error names the offending field. */
export function validateRestartStrategy(strategy: RestartStrategy): RestartStrategy {
  const positive = (field: string, value: unknown, allowZero = true) => {
    if (typeof value !== "number" || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
      throw new RangeError(
        `restart strategy "${strategy.kind}": ${field} must be a ${allowZero ? "non-negative" : "positive"} number, got ${String(value)}`,
      );
    }
  };
  switch (strategy?.kind) {
    case "none":
      return strategy;
    case "fixed-delay":
      positive("attempts", strategy.attempts);
      positive("delayMs", strategy.delayMs);
      return strategy;
    case "exponential-delay":
      positive("initialDelayMs", strategy.initialDelayMs);
      positive("maxDelayMs", strategy.maxDelayMs);
      positive("attempts", strategy.attempts);
      if (!(strategy.multiplier >= 1))
        throw new RangeError(
          `restart strategy "exponential-delay": multiplier must be >= 1, got ${strategy.multiplier}`,
        );
      return strategy;
    case "failure-rate":
      positive("maxFailures", strategy.maxFailures);
      positive("intervalMs", strategy.intervalMs, false);
      positive("delayMs", strategy.delayMs);
      return strategy;
    default:
      throw new TypeError(
        `unknown restart strategy ${JSON.stringify((strategy as { kind?: unknown })?.kind)}; expected none, fixed-delay, exponential-delay or failure-rate`,
      );
  }
}
