/** Flink's execution keys → run options: values, aliases, defaults and refusals. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFlinkDuration } from "./flink-duration.ts";
import { executionSettingsFromConfig as settings } from "./flink-execution-config.ts";

test("durations parse as Flink's: units with or without a space, plain numbers are ms", () => {
  assert.equal(parseFlinkDuration("k", "10 s"), 10_000);
  assert.equal(parseFlinkDuration("k", "10s"), 10_000);
  assert.equal(parseFlinkDuration("k", "1 min"), 60_000);
  assert.equal(parseFlinkDuration("k", "2m"), 120_000);
  assert.equal(parseFlinkDuration("k", "500 ms"), 500);
  assert.equal(parseFlinkDuration("k", "250"), 250);
  assert.equal(parseFlinkDuration("k", "1 h"), 3_600_000);
  assert.equal(parseFlinkDuration("k", "1 d"), 86_400_000);
  assert.equal(parseFlinkDuration("k", "3 SECONDS"), 3_000);
  assert.equal(parseFlinkDuration("k", "1.5 s"), 1_500);
  for (const bad of ["ten seconds", "10 sx", "-1 s", "s", ""])
    assert.throws(() => parseFlinkDuration("execution.checkpointing.interval", bad), {
      message: new RegExp(`^'execution.checkpointing.interval' = '${bad}': expected a duration, .*'10 s'`),
    });
});

test("no execution keys: no options (the runtime's defaults apply)", () => {
  assert.deepEqual(settings({ "table.exec.state.ttl": "1 h", "parallelism.default": "2" }), {});
});

test("checkpointing keys map to checkpointing options", () => {
  assert.deepEqual(
    settings({
      "execution.checkpointing.interval": "10 s",
      "execution.checkpointing.timeout": "2 min",
      "execution.checkpointing.mode": "EXACTLY_ONCE",
      "execution.checkpointing.max-concurrent-checkpoints": "1",
      "execution.checkpointing.unaligned.enabled": "true",
      "execution.checkpointing.aligned-checkpoint-timeout": "300 ms",
      "execution.checkpointing.dir": "file:///var/weir/checkpoints",
      "execution.checkpointing.num-retained": "3",
    }),
    {
      checkpointing: {
        intervalMs: 10_000,
        timeoutMs: 120_000,
        retained: 3,
        unaligned: true,
        maxConcurrent: 1,
        alignedCheckpointTimeoutMs: 300,
        storage: { kind: "directory", path: "/var/weir/checkpoints" },
      },
    },
  );
});

test("Flink 1.x names are accepted, and min-pause is kept apart from the interval (as Flink)", () => {
  assert.deepEqual(
    settings(
      new Map([
        ["execution.checkpointing.interval", "1000"],
        ["execution.checkpointing.min-pause", "5 s"],
        ["execution.checkpointing.unaligned", "FALSE"],
        ["state.checkpoints.dir", "/tmp/cp"],
        ["state.checkpoints.num-retained", "2"],
      ]),
    ),
    {
      checkpointing: {
        intervalMs: 1_000,
        minPauseMs: 5_000,
        retained: 2,
        unaligned: false,
        storage: { kind: "directory", path: "/tmp/cp" },
      },
    },
  );
});

test("max-concurrent-checkpoints above 1 maps through, and is refused with unaligned checkpoints", () => {
  assert.deepEqual(
    settings({
      "execution.checkpointing.interval": "1 s",
      "execution.checkpointing.max-concurrent-checkpoints": "3",
    }),
    { checkpointing: { intervalMs: 1_000, maxConcurrent: 3 } },
  );
  assert.throws(
    () =>
      settings({
        "execution.checkpointing.interval": "1 s",
        "execution.checkpointing.max-concurrent-checkpoints": "2",
        "execution.checkpointing.unaligned.enabled": "true",
      }),
    /'execution.checkpointing.max-concurrent-checkpoints' = '2': unaligned checkpoints run one at a time/,
  );
  assert.throws(
    () =>
      settings({
        "execution.checkpointing.interval": "1 s",
        "execution.checkpointing.max-concurrent-checkpoints": "0",
      }),
    /'execution.checkpointing.max-concurrent-checkpoints' = '0': expected an integer >= 1/,
  );
});

test("an s3:// checkpoint directory uses the s3.* keys", () => {
  assert.deepEqual(
    settings({
      "execution.checkpointing.interval": "1 s",
      "state.checkpoints.dir": "s3://bucket/jobs/orders/",
      "s3.endpoint": "http://127.0.0.1:9000",
      "s3.path.style.access": "true",
      "s3.access-key": "a",
      "s3.secret-key": "b",
    }).checkpointing?.storage,
    {
      kind: "s3",
      bucket: "bucket",
      prefix: "jobs/orders",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    },
  );
});

test("checkpoint keys without an interval are checked but leave checkpointing off", () => {
  assert.deepEqual(settings({ "execution.checkpointing.timeout": "1 min" }), {});
  assert.throws(
    () => settings({ "execution.checkpointing.timeout": "soon" }),
    /'execution.checkpointing.timeout' = 'soon'/,
  );
});

test("values the runtime cannot honour are refused, naming the key", () => {
  assert.throws(
    () =>
      settings({
        "execution.checkpointing.interval": "1 s",
        "execution.checkpointing.mode": "AT_LEAST_ONCE",
      }),
    /'execution.checkpointing.mode' = 'AT_LEAST_ONCE': Weir's checkpoints are always EXACTLY_ONCE/,
  );
  assert.throws(() => settings({ "execution.checkpointing.mode": "SOMETIMES" }), /expected EXACTLY_ONCE/);
  assert.throws(() => settings({ "execution.checkpointing.interval": "0" }), /expected a positive duration/);
  assert.throws(
    () => settings({ "execution.checkpointing.num-retained": "0" }),
    /'execution.checkpointing.num-retained' = '0': expected an integer >= 1/,
  );
  assert.throws(
    () => settings({ "execution.checkpointing.unaligned.enabled": "yes" }),
    /expected true or false/,
  );
  assert.throws(
    () => settings({ "execution.checkpointing.dir": "hdfs://nn/cp" }),
    /expected a local directory \(a path or file:\/\/\/path\) or s3:\/\/bucket\/prefix/,
  );
  assert.throws(
    () => settings({ "execution.checkpointing.externalized-checkpoint-retention": "DELETE_ON_CANCELLATION" }),
    /expected RETAIN_ON_CANCELLATION/,
  );
});

test("an unknown key under an owned prefix is refused with the keys Weir reads", () => {
  assert.throws(
    () => settings({ "execution.checkpointing.intervall": "1 s" }),
    /'execution.checkpointing.intervall': unknown or unsupported key; keys Weir reads here: execution.checkpointing.interval, /,
  );
  assert.throws(
    () => settings({ "restart-strategy.fixed-delay.attempt": "3" }),
    /unknown or unsupported key/,
  );
});

test("restart strategies with Flink's defaults and sub-keys", () => {
  assert.deepEqual(settings({ "restart-strategy.type": "none" }).restartStrategy, { kind: "none" });
  assert.deepEqual(settings({ "restart-strategy": "off" }).restartStrategy, { kind: "none" });
  assert.deepEqual(settings({ "restart-strategy.type": "fixed-delay" }).restartStrategy, {
    kind: "fixed-delay",
    attempts: 1,
    delayMs: 1_000,
  });
  assert.deepEqual(
    settings({
      "restart-strategy.type": "fixeddelay",
      "restart-strategy.fixed-delay.attempts": "3",
      "restart-strategy.fixed-delay.delay": "100 ms",
    }).restartStrategy,
    { kind: "fixed-delay", attempts: 3, delayMs: 100 },
  );
  assert.deepEqual(settings({ "restart-strategy.type": "exponential-delay" }).restartStrategy, {
    kind: "exponential-delay",
    initialDelayMs: 1_000,
    maxDelayMs: 60_000,
    multiplier: 1.5,
    attempts: Number.POSITIVE_INFINITY,
  });
  assert.deepEqual(
    settings({
      "restart-strategy.type": "exponential-delay",
      "restart-strategy.exponential-delay.initial-backoff": "10 ms",
      "restart-strategy.exponential-delay.max-backoff": "1 s",
      "restart-strategy.exponential-delay.backoff-multiplier": "2.0",
      "restart-strategy.exponential-delay.attempts-before-reset-backoff": "5",
    }).restartStrategy,
    { kind: "exponential-delay", initialDelayMs: 10, maxDelayMs: 1_000, multiplier: 2, attempts: 5 },
  );
  assert.deepEqual(
    settings({
      "restart-strategy.type": "failure-rate",
      "restart-strategy.failure-rate.max-failures-per-interval": "2",
      "restart-strategy.failure-rate.failure-rate-interval": "5 min",
      "restart-strategy.failure-rate.delay": "2 s",
    }).restartStrategy,
    { kind: "failure-rate", maxFailures: 2, intervalMs: 300_000, delayMs: 2_000 },
  );
  assert.throws(
    () => settings({ "restart-strategy.type": "forever" }),
    /'restart-strategy.type' = 'forever': expected none, fixed-delay, exponential-delay or failure-rate/,
  );
  assert.throws(
    () =>
      settings({
        "restart-strategy.type": "exponential-delay",
        "restart-strategy.exponential-delay.backoff-multiplier": "0.5",
      }),
    /backoff-multiplier' = '0.5': expected a number >= 1/,
  );
});

test("failover strategy: region or full", () => {
  assert.deepEqual(settings({ "jobmanager.execution.failover-strategy": "full" }), {
    failoverStrategy: "full",
  });
  assert.throws(
    () => settings({ "jobmanager.execution.failover-strategy": "partial" }),
    /'jobmanager.execution.failover-strategy' = 'partial': expected region or full/,
  );
});

test("savepoint restore, job name and state backend", () => {
  assert.deepEqual(
    settings({
      "execution.savepoint.path": "file:///tmp/sp/orders-1",
      "execution.savepoint.ignore-unclaimed-state": "true",
      "pipeline.name": "orders",
      "state.backend.type": "lmdb",
      "state.backend.lmdb.localdir": "/tmp/lmdb",
    }),
    {
      jobName: "orders",
      restoreFrom: { path: "/tmp/sp/orders-1", allowNonRestoredState: true },
      stateBackend: { kind: "lmdb", directory: "/tmp/lmdb" },
    },
  );
  assert.deepEqual(settings({ "execution.state-recovery.path": "/tmp/sp" }).restoreFrom, { path: "/tmp/sp" });
  assert.throws(
    () => settings({ "state.backend.type": "rocksdb" }),
    /'state.backend.type'.*unknown state backend "rocksdb"/,
  );
});
