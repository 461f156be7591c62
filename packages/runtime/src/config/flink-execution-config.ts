/**
 * Flink's execution configuration keys → the options of a job run (checkpointing, restart
 * strategy, savepoint restore, state backend, job name). One place reads these keys for every
 * client: `weir sql` (the session's SET statements and `--set`), and cluster defaults (weir.yaml).
 *
 * Keys (Flink 2.x names; the 1.x names in brackets are accepted too):
 * - `execution.checkpointing.interval` — turns checkpointing on; other checkpoint keys only apply
 *   with it, as in Flink. `.timeout`, `.min-pause`, `.max-concurrent-checkpoints`, `.mode`,
 *   `.unaligned.enabled` [`.unaligned`], `.aligned-checkpoint-timeout`, `.dir`
 *   [`state.checkpoints.dir`], `.num-retained` [`state.checkpoints.num-retained`],
 *   `.externalized-checkpoint-retention`;
 * - `restart-strategy.type` [`restart-strategy`]: `none` (`off`, `disable`), `fixed-delay`,
 *   `exponential-delay`, `failure-rate`, with their sub-keys;
 * - `execution.state-recovery.path` [`execution.savepoint.path`] and
 *   `.ignore-unclaimed-state`: start from a savepoint (or a kept checkpoint directory);
 * - `jobmanager.execution.failover-strategy`: `region` (default) or `full`;
 * - `pipeline.name`; `state.backend.type` (`hashmap`/`heap`, `lmdb`) and
 *   `state.backend.lmdb.localdir`.
 *
 * Invariant: every key this module owns is either applied or rejected — an unknown key under an
 * owned prefix (`execution.checkpointing.`, `restart-strategy`, `execution.savepoint.`, …) or a value
 * the runtime cannot honour (e.g. `AT_LEAST_ONCE`) throws a {@link ConfigValueError} naming the key
 * and the accepted values; keys outside the owned prefixes are left to their owners.
 *
 * Example: `{ 'execution.checkpointing.interval': '10 s', 'restart-strategy.type': 'fixed-delay',
 * 'restart-strategy.fixed-delay.attempts': '3' }` →
 * `{ checkpointing: { intervalMs: 10000 }, restartStrategy: { kind: "fixed-delay", attempts: 3, delayMs: 1000 } }`.
 * @module
 */

import type { CheckpointingOptions, CheckpointStorageOptions } from "../coordinator/checkpointing-options.ts";
import type { FailoverStrategy } from "../coordinator/local-cluster.ts";
import type { RestartStrategy } from "../coordinator/restart-strategy.ts";
import { parseStateBackendKind, type StateBackendOptions } from "../state/state-backend-factory.ts";
import { ConfigValueError, parseFlinkDuration } from "./flink-duration.ts";

export { ConfigValueError, parseFlinkDuration } from "./flink-duration.ts";

/** What the configuration sets; absent fields leave the runtime's defaults. @public */
export interface ExecutionSettings {
  readonly jobName?: string;
  readonly checkpointing?: CheckpointingOptions;
  readonly restartStrategy?: RestartStrategy;
  readonly failoverStrategy?: FailoverStrategy;
  readonly restoreFrom?: { readonly path: string; readonly allowNonRestoredState?: boolean };
  readonly stateBackend?: StateBackendOptions;
}

/** Each key this module reads, with its aliases (first name preferred), for docs and checks. */
export const EXECUTION_CONFIG_KEYS: readonly (readonly string[])[] = [
  ["execution.checkpointing.interval"],
  ["execution.checkpointing.timeout"],
  ["execution.checkpointing.min-pause"],
  ["execution.checkpointing.max-concurrent-checkpoints"],
  ["execution.checkpointing.mode"],
  ["execution.checkpointing.unaligned.enabled", "execution.checkpointing.unaligned"],
  ["execution.checkpointing.aligned-checkpoint-timeout"],
  ["execution.checkpointing.dir", "state.checkpoints.dir"],
  ["execution.checkpointing.num-retained", "state.checkpoints.num-retained"],
  ["execution.checkpointing.externalized-checkpoint-retention"],
  ["restart-strategy.type", "restart-strategy"],
  ["restart-strategy.fixed-delay.attempts"],
  ["restart-strategy.fixed-delay.delay"],
  ["restart-strategy.exponential-delay.initial-backoff"],
  ["restart-strategy.exponential-delay.max-backoff"],
  ["restart-strategy.exponential-delay.backoff-multiplier"],
  ["restart-strategy.exponential-delay.attempts-before-reset-backoff"],
  ["restart-strategy.failure-rate.max-failures-per-interval"],
  ["restart-strategy.failure-rate.failure-rate-interval"],
  ["restart-strategy.failure-rate.delay"],
  ["jobmanager.execution.failover-strategy"],
  ["execution.state-recovery.path", "execution.savepoint.path"],
  [
    "execution.state-recovery.ignore-unclaimed-state",
    "execution.savepoint.ignore-unclaimed-state",
    "execution.savepoint.allow-non-restored-state",
  ],
  ["pipeline.name"],
  ["state.backend.type", "state.backend"],
  ["state.backend.lmdb.localdir"],
  ["s3.endpoint"],
  ["s3.path.style.access"],
  ["s3.region"],
  ["s3.access-key", "s3.access.key"],
  ["s3.secret-key", "s3.secret.key"],
];

/** Prefixes whose every key must be one of {@link EXECUTION_CONFIG_KEYS}. */
const OWNED_PREFIXES = [
  "execution.checkpointing.",
  "state.checkpoints.",
  "restart-strategy.",
  "execution.savepoint.",
  "execution.state-recovery.",
];

const KNOWN = new Set(EXECUTION_CONFIG_KEYS.flat());

type ConfigInput = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

class Reader {
  readonly #values: ReadonlyMap<string, string>;

  constructor(config: ConfigInput) {
    this.#values = config instanceof Map ? config : new Map(Object.entries(config as Record<string, string>));
  }

  keys(): Iterable<string> {
    return this.#values.keys();
  }

  /** The value of the first of `names` that is set (and not blank), with the name it came from. */
  get(...names: string[]): { key: string; value: string } | undefined {
    for (const key of names) {
      const value = this.#values.get(key);
      if (value !== undefined && value.trim() !== "") return { key, value: value.trim() };
    }
    return undefined;
  }

  duration(...names: string[]): number | undefined {
    const found = this.get(...names);
    return found === undefined ? undefined : parseFlinkDuration(found.key, found.value);
  }

  integer(min: number, ...names: string[]): number | undefined {
    const found = this.get(...names);
    if (found === undefined) return undefined;
    const n = Number(found.value);
    if (!/^\d+$/.test(found.value) || !Number.isSafeInteger(n) || n < min)
      throw new ConfigValueError(found.key, found.value, `expected an integer >= ${min}`);
    return n;
  }

  number(min: number, ...names: string[]): number | undefined {
    const found = this.get(...names);
    if (found === undefined) return undefined;
    const n = Number(found.value);
    if (!/^\d+(\.\d+)?$/.test(found.value) || n < min)
      throw new ConfigValueError(found.key, found.value, `expected a number >= ${min}`);
    return n;
  }

  boolean(...names: string[]): boolean | undefined {
    const found = this.get(...names);
    if (found === undefined) return undefined;
    const lower = found.value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    throw new ConfigValueError(found.key, found.value, "expected true or false");
  }
}

/** Reads the execution keys of `config`; throws {@link ConfigValueError} on a bad key or value. */
export function executionSettingsFromConfig(config: ConfigInput): ExecutionSettings {
  const reader = new Reader(config);
  checkKeys(reader);
  const checkpointing = checkpointingOf(reader);
  const restartStrategy = restartStrategyOf(reader);
  const restoreFrom = restoreFromOf(reader);
  const failover = reader.get("jobmanager.execution.failover-strategy");
  const failoverStrategy = failover?.value.toLowerCase();
  if (failover !== undefined && failoverStrategy !== "region" && failoverStrategy !== "full")
    throw new ConfigValueError(failover.key, failover.value, "expected region or full");
  const stateBackend = stateBackendOf(reader);
  const jobName = reader.get("pipeline.name")?.value;
  return {
    ...(jobName !== undefined ? { jobName } : {}),
    ...(checkpointing !== undefined ? { checkpointing } : {}),
    ...(restartStrategy !== undefined ? { restartStrategy } : {}),
    ...(failoverStrategy === "region" || failoverStrategy === "full" ? { failoverStrategy } : {}),
    ...(restoreFrom !== undefined ? { restoreFrom } : {}),
    ...(stateBackend !== undefined ? { stateBackend } : {}),
  };
}

function checkKeys(reader: Reader): void {
  for (const key of reader.keys()) {
    if (KNOWN.has(key) || !OWNED_PREFIXES.some((p) => key.startsWith(p))) continue;
    const family = OWNED_PREFIXES.find((p) => key.startsWith(p))!;
    const siblings = EXECUTION_CONFIG_KEYS.flat().filter((k) => k.startsWith(family));
    throw new ConfigValueError(
      key,
      undefined,
      `unknown or unsupported key; keys Weir reads here: ${siblings.join(", ")}`,
    );
  }
}

function checkpointingOf(reader: Reader): CheckpointingOptions | undefined {
  // Every value is checked even when checkpointing is off, so a typo never waits for the day it is on.
  const interval = reader.duration("execution.checkpointing.interval");
  const timeoutMs = reader.duration("execution.checkpointing.timeout");
  const minPause = reader.duration("execution.checkpointing.min-pause");
  const maxConcurrent = reader.integer(1, "execution.checkpointing.max-concurrent-checkpoints");
  const mode = reader.get("execution.checkpointing.mode");
  if (mode !== undefined) {
    const upper = mode.value.toUpperCase().replace("-", "_");
    if (upper === "AT_LEAST_ONCE")
      throw new ConfigValueError(
        mode.key,
        mode.value,
        "Weir's checkpoints are always EXACTLY_ONCE (aligned barriers); for checkpoints that complete " +
          "under backpressure set 'execution.checkpointing.unaligned.enabled' = 'true'",
      );
    if (upper !== "EXACTLY_ONCE") throw new ConfigValueError(mode.key, mode.value, "expected EXACTLY_ONCE");
  }
  const unaligned = reader.boolean(
    "execution.checkpointing.unaligned.enabled",
    "execution.checkpointing.unaligned",
  );
  const alignedTimeout = reader.duration("execution.checkpointing.aligned-checkpoint-timeout");
  const retained = reader.integer(
    1,
    "execution.checkpointing.num-retained",
    "state.checkpoints.num-retained",
  );
  const retention = reader.get("execution.checkpointing.externalized-checkpoint-retention");
  if (retention !== undefined && retention.value.toUpperCase() !== "RETAIN_ON_CANCELLATION")
    throw new ConfigValueError(
      retention.key,
      retention.value,
      "expected RETAIN_ON_CANCELLATION (what Weir does: a cancelled or failed job keeps its checkpoints, a finished one deletes them)",
    );
  const storage = checkpointStorageOf(reader);
  if (interval === undefined) return undefined;
  if (interval === 0)
    throw new ConfigValueError(
      "execution.checkpointing.interval",
      "0",
      "expected a positive duration (leave it unset for no checkpoints)",
    );
  if (timeoutMs === 0)
    throw new ConfigValueError("execution.checkpointing.timeout", "0", "expected a positive duration");
  if (maxConcurrent !== undefined && maxConcurrent > 1 && unaligned === true)
    throw new ConfigValueError(
      "execution.checkpointing.max-concurrent-checkpoints",
      String(maxConcurrent),
      "unaligned checkpoints run one at a time (as in Flink): set it to 1 or turn " +
        "'execution.checkpointing.unaligned.enabled' off",
    );
  return {
    intervalMs: interval,
    ...(minPause !== undefined ? { minPauseMs: minPause } : {}),
    ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(retained !== undefined ? { retained } : {}),
    ...(unaligned !== undefined ? { unaligned } : {}),
    ...(alignedTimeout !== undefined ? { alignedCheckpointTimeoutMs: alignedTimeout } : {}),
    ...(storage !== undefined ? { storage } : {}),
  };
}

function checkpointStorageOf(reader: Reader): CheckpointStorageOptions | undefined {
  const dir = reader.get("execution.checkpointing.dir", "state.checkpoints.dir");
  const endpoint = reader.get("s3.endpoint")?.value;
  const pathStyle = reader.boolean("s3.path.style.access");
  const region = reader.get("s3.region")?.value;
  const accessKey = reader.get("s3.access-key", "s3.access.key")?.value;
  const secretKey = reader.get("s3.secret-key", "s3.secret.key")?.value;
  if ((accessKey === undefined) !== (secretKey === undefined))
    throw new ConfigValueError(
      accessKey === undefined ? "s3.access-key" : "s3.secret-key",
      undefined,
      "s3.access-key and s3.secret-key go together",
    );
  if (dir === undefined) return undefined;
  const s3 = /^s3[an]?:\/\/([^/]+)\/?(.*)$/.exec(dir.value);
  if (s3 !== null) {
    return {
      kind: "s3",
      bucket: s3[1]!,
      ...(s3[2] !== "" ? { prefix: s3[2]!.replace(/\/+$/, "") } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(pathStyle !== undefined ? { forcePathStyle: pathStyle } : {}),
      ...(accessKey !== undefined && secretKey !== undefined
        ? { credentials: { accessKeyId: accessKey, secretAccessKey: secretKey } }
        : {}),
    };
  }
  return { kind: "directory", path: localPath(dir.key, dir.value) };
}

/** `file:///x`, `file:/x` or a plain path; other schemes are refused. */
function localPath(key: string, value: string): string {
  if (value.startsWith("file://")) return decodeURIComponent(value.slice("file://".length));
  if (value.startsWith("file:")) return decodeURIComponent(value.slice("file:".length));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new ConfigValueError(
      key,
      value,
      "expected a local directory (a path or file:///path) or s3://bucket/prefix",
    );
  return value;
}

const RESTART_TYPES: Readonly<Record<string, RestartStrategy["kind"]>> = {
  none: "none",
  off: "none",
  disable: "none",
  "fixed-delay": "fixed-delay",
  fixeddelay: "fixed-delay",
  "exponential-delay": "exponential-delay",
  exponentialdelay: "exponential-delay",
  "failure-rate": "failure-rate",
  failurerate: "failure-rate",
};

function restartStrategyOf(reader: Reader): RestartStrategy | undefined {
  const type = reader.get("restart-strategy.type", "restart-strategy");
  const fixed = {
    attempts: reader.integer(0, "restart-strategy.fixed-delay.attempts"),
    delayMs: reader.duration("restart-strategy.fixed-delay.delay"),
  };
  const exponential = {
    initialDelayMs: reader.duration("restart-strategy.exponential-delay.initial-backoff"),
    maxDelayMs: reader.duration("restart-strategy.exponential-delay.max-backoff"),
    multiplier: reader.number(1, "restart-strategy.exponential-delay.backoff-multiplier"),
    attempts: reader.integer(0, "restart-strategy.exponential-delay.attempts-before-reset-backoff"),
  };
  const rate = {
    maxFailures: reader.integer(1, "restart-strategy.failure-rate.max-failures-per-interval"),
    intervalMs: reader.duration("restart-strategy.failure-rate.failure-rate-interval"),
    delayMs: reader.duration("restart-strategy.failure-rate.delay"),
  };
  if (type === undefined) return undefined;
  const kind = RESTART_TYPES[type.value.toLowerCase()];
  if (kind === undefined)
    throw new ConfigValueError(
      type.key,
      type.value,
      "expected none, fixed-delay, exponential-delay or failure-rate",
    );
  // Defaults are Flink's (1.19+).
  switch (kind) {
    case "none":
      return { kind };
    case "fixed-delay":
      return { kind, attempts: fixed.attempts ?? 1, delayMs: fixed.delayMs ?? 1_000 };
    case "exponential-delay": {
      const initialDelayMs = exponential.initialDelayMs ?? 1_000;
      const maxDelayMs = exponential.maxDelayMs ?? 60_000;
      if (maxDelayMs < initialDelayMs)
        throw new ConfigValueError(
          "restart-strategy.exponential-delay.max-backoff",
          `${maxDelayMs} ms`,
          `expected at least the initial backoff (${initialDelayMs} ms)`,
        );
      return {
        kind,
        initialDelayMs,
        maxDelayMs,
        multiplier: exponential.multiplier ?? 1.5,
        attempts: exponential.attempts ?? Number.POSITIVE_INFINITY,
      };
    }
    case "failure-rate": {
      const intervalMs = rate.intervalMs ?? 60_000;
      if (intervalMs === 0)
        throw new ConfigValueError(
          "restart-strategy.failure-rate.failure-rate-interval",
          "0",
          "expected a positive duration",
        );
      return { kind, maxFailures: rate.maxFailures ?? 1, intervalMs, delayMs: rate.delayMs ?? 1_000 };
    }
  }
}

function restoreFromOf(reader: Reader): ExecutionSettings["restoreFrom"] {
  const path = reader.get("execution.state-recovery.path", "execution.savepoint.path");
  const ignore = reader.boolean(
    "execution.state-recovery.ignore-unclaimed-state",
    "execution.savepoint.ignore-unclaimed-state",
    "execution.savepoint.allow-non-restored-state",
  );
  if (path === undefined) return undefined;
  if (/^s3[an]?:\/\//.test(path.value))
    throw new ConfigValueError(
      path.key,
      path.value,
      "restoring from object storage is not supported; expected a local directory",
    );
  return {
    path: localPath(path.key, path.value),
    ...(ignore !== undefined ? { allowNonRestoredState: ignore } : {}),
  };
}

function stateBackendOf(reader: Reader): StateBackendOptions | undefined {
  const type = reader.get("state.backend.type", "state.backend");
  const directory = reader.get("state.backend.lmdb.localdir")?.value;
  if (type === undefined) return undefined;
  const kind = parseStateBackendKind(type.value, `'${type.key}'`);
  return { kind, ...(directory !== undefined ? { directory } : {}) };
}

/** The settings a job may choose itself on a cluster: no paths (storage, savepoints) from a client. */
export type ClusterJobSettings = Pick<
  ExecutionSettings,
  "checkpointing" | "restartStrategy" | "failoverStrategy"
>;

/**
 * What a job's own configuration (`env.configure`) contributes on a cluster: checkpoint timing,
 * restart and failover strategy — never a storage location or a savepoint path, which only the
 * JobManager's operator chooses.
 */
export function clusterJobSettings(configuration: ConfigInput | undefined): ClusterJobSettings {
  if (configuration === undefined) return {};
  const { checkpointing, restartStrategy, failoverStrategy } = executionSettingsFromConfig(configuration);
  const { storage: _storage, ...timing } = checkpointing ?? { intervalMs: 0 };
  return {
    ...(checkpointing !== undefined ? { checkpointing: timing } : {}),
    ...(restartStrategy !== undefined ? { restartStrategy } : {}),
    ...(failoverStrategy !== undefined ? { failoverStrategy } : {}),
  };
}

/** `over` on top of `under`, field by field; checkpointing options merge key by key. */
export function overlaySettings(under: ClusterJobSettings, over: ClusterJobSettings): ClusterJobSettings {
  const checkpointing =
    over.checkpointing === undefined
      ? under.checkpointing
      : { ...under.checkpointing, ...over.checkpointing };
  return {
    ...under,
    ...over,
    ...(checkpointing !== undefined ? { checkpointing } : {}),
  };
}
