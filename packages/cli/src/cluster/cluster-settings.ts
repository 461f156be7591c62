/**
 * The settings of the cluster commands and where each comes from: a command-line flag wins over an
 * environment variable, which wins over `weir.yaml`, which wins over the documented default
 * (docs/deployment/configuration.md lists them all). `weir.yaml` is read from `--config`, else
 * `WEIR_CONFIG`, else `./weir.yaml` if it exists; a key it does not know is an error, not ignored.
 *
 * Example: `jobmanager.rest.port: 9000` in weir.yaml, `WEIR_REST_PORT=9100` in the environment and
 * `--rest-port 9200` on the command line -> 9200; without the flag, 9100; without both, 9000.
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
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
  "cluster.secret": { flag: "secret", env: "WEIR_CLUSTER_SECRET", defaultValue: undefined },
  "cluster.tls.cert": { flag: "tls-cert", env: "WEIR_TLS_CERT", defaultValue: undefined },
  "cluster.tls.key": { flag: "tls-key", env: "WEIR_TLS_KEY", defaultValue: undefined },
  "cluster.tls.ca": { flag: "tls-ca", env: "WEIR_TLS_CA", defaultValue: undefined },
};

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
        if (SETTINGS[key] === undefined)
          throw new UsageError(
            `${path}: unknown key "${key}"; known keys: ${Object.keys(SETTINGS).join(", ")}`,
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
