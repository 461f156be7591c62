/**
 * The settings of the cluster commands and where each comes from: a command-line flag wins over an
 * environment variable, which wins over `weir.yaml`, which wins over the documented default
 * (docs/deployment/configuration.md lists them all). `weir.yaml` is read from `--config`, else
 * `WEIR_CONFIG`, else `./weir.yaml` if it exists; a key it does not know is an error, not ignored.
 *
 * Example: `jobmanager.rest.port: 9000` in weir.yaml, `WEIR_REST_PORT=9100` in the environment and
 * `--rest-port 9200` on the command line -> 9200; without the flag, 9100; without both, 9000.
 *
 * Job defaults: weir.yaml may also hold Flink's execution keys ({@link JOB_DEFAULT_KEYS}:
 * `execution.checkpointing.*`, `restart-strategy.*`, `jobmanager.execution.failover-strategy`,
 * `state.backend.type`), the defaults of every job the JobManager runs, each overridden by its variable (`WEIR_` + the key
 * in capitals, `.`/`-` as `_`: `WEIR_EXECUTION_CHECKPOINTING_INTERVAL`) and by `--set KEY=VALUE`;
 * a submission's own fields win over all of them.
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import {
  ConfigValueError,
  EXECUTION_CONFIG_KEYS,
  type ExecutionSettings,
  executionSettingsFromConfig,
} from "@weir/runtime";
import { UsageError } from "../usage-error.ts";
import { parseYamlSubset, type Scalar, YamlSubsetError } from "./yaml-subset.ts";

interface SettingSpec {
  /** The flag of the commands that take it. */
  readonly flag: string | undefined;
  readonly env: string | undefined;
  readonly defaultValue: string | undefined;
}

/** Every key weir.yaml may hold. */
export const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  "jobmanager.bind": { flag: "bind", env: "WEIR_JOBMANAGER_BIND", defaultValue: "127.0.0.1" },
  "jobmanager.rpc-port": { flag: "rpc-port", env: "WEIR_RPC_PORT", defaultValue: "6123" },
  "jobmanager.rest.bind": { flag: "rest-bind", env: "WEIR_REST_BIND", defaultValue: undefined },
  "jobmanager.rest.port": { flag: "rest-port", env: "WEIR_REST_PORT", defaultValue: "8081" },
  "jobmanager.rest.token": { flag: "rest-token", env: "WEIR_REST_TOKEN", defaultValue: undefined },
  "jobmanager.rest.tls.cert": { flag: "rest-tls-cert", env: "WEIR_REST_TLS_CERT", defaultValue: undefined },
  "jobmanager.rest.tls.key": { flag: "rest-tls-key", env: "WEIR_REST_TLS_KEY", defaultValue: undefined },
  "jobmanager.checkpoint-dir": {
    flag: "checkpoint-dir",
    env: "WEIR_CHECKPOINT_DIR",
    defaultValue: ".weir/checkpoints",
  },
  "jobmanager.checkpoint-s3.bucket": {
    flag: "checkpoint-s3-bucket",
    env: "WEIR_CHECKPOINT_S3_BUCKET",
    defaultValue: undefined,
  },
  "jobmanager.checkpoint-s3.prefix": {
    flag: undefined,
    env: "WEIR_CHECKPOINT_S3_PREFIX",
    defaultValue: undefined,
  },
  "jobmanager.checkpoint-s3.endpoint": {
    flag: undefined,
    env: "WEIR_CHECKPOINT_S3_ENDPOINT",
    defaultValue: undefined,
  },
  "jobmanager.checkpoint-s3.region": {
    flag: undefined,
    env: "WEIR_CHECKPOINT_S3_REGION",
    defaultValue: undefined,
  },
  "jobmanager.heartbeat.interval": { flag: "heartbeat-interval", env: undefined, defaultValue: "1000" },
  "jobmanager.heartbeat.timeout": { flag: "heartbeat-timeout", env: undefined, defaultValue: "5000" },
  "jobmanager.metrics-interval": { flag: "metrics-interval", env: undefined, defaultValue: "1000" },
  "taskmanager.jobmanager": { flag: "jobmanager", env: "WEIR_JOBMANAGER", defaultValue: "127.0.0.1:6123" },
  "taskmanager.slots": { flag: "slots", env: "WEIR_SLOTS", defaultValue: "1" },
  "taskmanager.bind": { flag: "bind", env: "WEIR_TASKMANAGER_BIND", defaultValue: "127.0.0.1" },
  // Default `.weir/state/<taskmanager id>` (TaskManagerOptions.stateDir).
  "taskmanager.state-dir": { flag: "state-dir", env: "WEIR_TASKMANAGER_STATE_DIR", defaultValue: undefined },
  "cluster.secret": { flag: "secret", env: "WEIR_CLUSTER_SECRET", defaultValue: undefined },
  "cluster.tls.cert": { flag: "tls-cert", env: "WEIR_TLS_CERT", defaultValue: undefined },
  "cluster.tls.key": { flag: "tls-key", env: "WEIR_TLS_KEY", defaultValue: undefined },
  "cluster.tls.ca": { flag: "tls-ca", env: "WEIR_TLS_CA", defaultValue: undefined },
};

/**
 * The Flink execution keys a cluster may default (what a submission can vary: checkpointing
 * without its storage, which is `jobmanager.checkpoint-dir`, the restart and failover strategy and
 * the state backend's kind).
 */
export const JOB_DEFAULT_KEYS: readonly string[] = EXECUTION_CONFIG_KEYS.flat().filter(
  (key) =>
    (key.startsWith("execution.checkpointing.") && !key.endsWith(".dir")) ||
    key === "state.checkpoints.num-retained" ||
    key.startsWith("restart-strategy") ||
    key === "jobmanager.execution.failover-strategy" ||
    // The kind only: `state.backend.lmdb.localdir` is each TaskManager's own (`.weir/state/<id>`).
    key === "state.backend.type" ||
    key === "state.backend",
);

/** `execution.checkpointing.interval` → `WEIR_EXECUTION_CHECKPOINTING_INTERVAL`. */
export function jobDefaultVariable(key: string): string {
  return `WEIR_${key.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
}

const JOB_DEFAULTS = new Set(JOB_DEFAULT_KEYS);

export class ClusterSettings {
  readonly #flags: Record<string, unknown>;
  readonly #file: Map<string, Scalar>;
  readonly #env: NodeJS.ProcessEnv;
  readonly #command: string;

  private constructor(
    command: string,
    flags: Record<string, unknown>,
    file: Map<string, Scalar>,
    env: NodeJS.ProcessEnv,
  ) {
    this.#command = command;
    this.#flags = flags;
    this.#file = file;
    this.#env = env;
  }

  /** Reads weir.yaml (see the module comment) and checks its keys. */
  static load(
    command: string,
    flags: Record<string, unknown>,
    env: NodeJS.ProcessEnv = process.env,
  ): ClusterSettings {
    const explicit = (flags.config as string | undefined) ?? env.WEIR_CONFIG;
    const path = explicit ?? (existsSync("weir.yaml") ? "weir.yaml" : undefined);
    let file = new Map<string, Scalar>();
    if (path !== undefined) {
      let source: string;
      try {
        source = readFileSync(path, "utf8");
      } catch (error) {
        throw new UsageError(`cannot read the configuration ${path}: ${(error as Error).message}`, command);
      }
      try {
        file = parseYamlSubset(source, path);
      } catch (error) {
        if (error instanceof YamlSubsetError) throw new UsageError(error.message, command);
        throw error;
      }
      for (const key of file.keys())
        if (SETTINGS[key] === undefined && !JOB_DEFAULTS.has(key))
          throw new UsageError(
            `${path}: unknown key "${key}"; known keys: ${Object.keys(SETTINGS).join(", ")}, and as job defaults ${JOB_DEFAULT_KEYS.join(", ")}`,
            command,
          );
    }
    return new ClusterSettings(command, flags, file, env);
  }

  /** The setting's value by precedence, as text; `undefined` when nothing sets it. */
  get(key: string): string | undefined {
    const spec = SETTINGS[key];
    if (spec === undefined) throw new Error(`no setting ${key}`);
    const flag = spec.flag === undefined ? undefined : this.#flags[spec.flag];
    if (typeof flag === "string") return flag;
    const env = spec.env === undefined ? undefined : this.#env[spec.env];
    if (env !== undefined && env !== "") return env;
    const fromFile = this.#file.get(key);
    if (fromFile !== undefined && fromFile !== null) return String(fromFile);
    return spec.defaultValue;
  }

  /**
   * The job defaults (see the module comment) as run options: `--set KEY=VALUE` over the key's
   * variable over weir.yaml. A bad key or value is a usage error naming the key.
   */
  jobDefaults(): Pick<
    ExecutionSettings,
    "checkpointing" | "restartStrategy" | "failoverStrategy" | "stateBackend"
  > {
    const config: Record<string, string> = {};
    for (const key of JOB_DEFAULT_KEYS) {
      const fromFile = this.#file.get(key);
      if (fromFile !== undefined && fromFile !== null) config[key] = String(fromFile);
      const env = this.#env[jobDefaultVariable(key)];
      if (env !== undefined && env !== "") config[key] = env;
    }
    for (const entry of (this.#flags.set ?? []) as string[]) {
      const eq = entry.indexOf("=");
      const key = entry.slice(0, eq).trim();
      if (eq <= 0) throw new UsageError(`--set expects KEY=VALUE, got "${entry}"`, this.#command);
      if (!JOB_DEFAULTS.has(key))
        throw new UsageError(
          `--set ${key}: not a job default; expected one of ${JOB_DEFAULT_KEYS.join(", ")}`,
          this.#command,
        );
      config[key] = entry.slice(eq + 1).trim();
    }
    try {
      const { checkpointing, restartStrategy, failoverStrategy, stateBackend } =
        executionSettingsFromConfig(config);
      return {
        ...(checkpointing !== undefined ? { checkpointing } : {}),
        ...(restartStrategy !== undefined ? { restartStrategy } : {}),
        ...(failoverStrategy !== undefined ? { failoverStrategy } : {}),
        ...(stateBackend !== undefined ? { stateBackend: { kind: stateBackend.kind } } : {}),
      };
    } catch (error) {
      if (error instanceof ConfigValueError)
        throw new UsageError(
          `job default ${error.message} (from --set, ${jobDefaultVariable(error.key)} or weir.yaml)`,
          this.#command,
        );
      // The state backend's name check throws a TypeError naming the key.
      if (error instanceof TypeError)
        throw new UsageError(
          `job default ${error.message} (from --set, its WEIR_ variable or weir.yaml)`,
          this.#command,
        );
      throw error;
    }
  }

  /** A setting that must be an integer within [min, max]; the error names flag, variable and key. */
  integer(key: string, min: number, max: number): number {
    const text = this.get(key);
    const value = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || value < min || value > max) {
      const spec = SETTINGS[key]!;
      const sources = [spec.flag === undefined ? undefined : `--${spec.flag}`, spec.env, key].filter(
        (s) => s !== undefined,
      );
      throw new UsageError(
        `${sources.join(" / ")} must be an integer from ${min} to ${max}, got "${text}"`,
        this.#command,
      );
    }
    return value;
  }
}
