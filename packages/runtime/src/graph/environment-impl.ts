/**
 * The runtime's {@link ExecutionEnvironment}: records the graph and hands it to an `onExecute`
 * callback chosen by whoever loaded the job module (the local cluster on the coordinator, the
 * graph capture in a worker).
 * @module
 */

import {
  type ConfigurableNonKeyedStream,
  type ExecutionEnvironment,
  ExecutionMode,
  type FromCollectionOptions,
  type JobExecutionResult,
  type Source,
  Sources,
} from "@weir/api";
import { StreamGraph, sourceStream } from "./stream-graph-builder.ts";

/** What `execute()` hands over: the finished graph and the environment's settings. */
export interface ExecutionRequest {
  readonly graph: StreamGraph;
  readonly jobName: string;
  readonly executionMode: ExecutionMode;
  readonly parallelism: number;
  /** What the job set with `configure` (Flink's keys), when anything. */
  readonly configuration?: Readonly<Record<string, string>>;
}

export type ExecuteCallback = (request: ExecutionRequest) => Promise<JobExecutionResult>;

const MODES = new Set<string>(Object.values(ExecutionMode));

export class EnvironmentImpl implements ExecutionEnvironment {
  readonly graph = new StreamGraph();
  #mode: ExecutionMode = ExecutionMode.AUTOMATIC;
  #parallelism: number;
  #executed = false;
  readonly #onExecute: ExecuteCallback;
  readonly #defaultJobName: string;

  constructor(options: { parallelism: number; jobName: string; onExecute: ExecuteCallback }) {
    this.#parallelism = options.parallelism;
    this.#defaultJobName = options.jobName;
    this.#onExecute = options.onExecute;
  }

  get executed(): boolean {
    return this.#executed;
  }

  getExecutionMode(): ExecutionMode {
    return this.#mode;
  }

  setExecutionMode(mode: ExecutionMode): this {
    if (!MODES.has(mode)) {
      throw new TypeError(
        `unknown execution mode ${JSON.stringify(mode)}; expected one of ${[...MODES].join(", ")}`,
      );
    }
    this.#mode = mode;
    return this;
  }

  getParallelism(): number {
    return this.#parallelism;
  }

  #configuration: Record<string, string> = {};

  configure(config: Readonly<Record<string, string>>): this {
    if (typeof config !== "object" || config === null)
      throw new TypeError("configure expects an object of strings");
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== "string")
        throw new TypeError(`configure: the value of "${key}" must be a string, got ${typeof value}`);
      this.#configuration[key] = value;
    }
    return this;
  }

  getConfiguration(): Readonly<Record<string, string>> {
    return { ...this.#configuration };
  }

  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
    }
    this.#parallelism = parallelism;
    return this;
  }

  fromCollection<T>(items: Iterable<T>, options: FromCollectionOptions = {}): ConfigurableNonKeyedStream<T> {
    if (items === null || typeof (items as Iterable<T>)[Symbol.iterator] !== "function") {
      throw new TypeError("fromCollection expects an iterable (an array, a Set, a generator...)");
    }
    return this.fromSource(Sources.collection([...items]), options.name ?? "Collection Source");
  }

  // biome-ignore lint/suspicious/noExplicitAny: a source of any split and enumerator state type
  fromSource<T>(source: Source<T, any, any>, name: string): ConfigurableNonKeyedStream<T> {
    if (source === null || typeof source !== "object" || typeof source.createReader !== "function") {
      throw new TypeError(
        `fromSource("${name}") expects a Source with createEnumerator() and createReader()`,
      );
    }
    return sourceStream(this.graph, source, name) as unknown as ConfigurableNonKeyedStream<T>;
  }

  execute(jobName?: string): Promise<JobExecutionResult> {
    if (this.#executed) return Promise.reject(new Error("execute() was already called on this environment"));
    this.#executed = true;
    if (this.graph.nodes.length === 0) {
      return Promise.reject(new Error("the job declares no sources: nothing to execute"));
    }
    return this.#onExecute({
      graph: this.graph,
      jobName: jobName ?? this.#defaultJobName,
      executionMode: this.#mode,
      parallelism: this.#parallelism,
      ...(Object.keys(this.#configuration).length > 0 ? { configuration: { ...this.#configuration } } : {}),
    });
  }
}
