/**
 * Records what a job module declares: implements the stream interfaces of `@weir/api` by appending
 * nodes to a {@link StreamGraph}. Nothing runs here; the same module builds the same graph on the
 * coordinator and in every worker, which is what lets workers rebuild user closures locally.
 * @module
 */

import {
  type AsyncProcessFunction,
  type AsyncProcessOptions,
  type BroadcastStream,
  BuiltinFuncs,
  type ConfigurableGlobalStream,
  type ConfigurableKeyedStream,
  type ConfigurableNonKeyedStream,
  type GlobalStream,
  type KeyedPartitionStream,
  type KeySelector,
  type KeyValue,
  type NonKeyedPartitionStream,
  type OneInputStreamProcessFunction,
  resolveAsyncProcessOptions,
  type Sink,
  type SinkHandle,
  type Source,
  type TwoInputBroadcastStreamProcessFunction,
  type TwoInputNonBroadcastStreamProcessFunction,
  type TwoNonKeyedPartitionStreams,
  type TwoOutputStreamProcessFunction,
} from "@weir/api";
import type { InputEdge, NodeSettings, Partitioning, StreamNode } from "./transformation.ts";

// biome-ignore lint/suspicious/noExplicitAny: streams of every record type share one implementation
type Any = any;

/** The nodes a job declared, in declaration order (ids are indexes). */
export class StreamGraph {
  readonly nodes: StreamNode[] = [];

  add<N extends StreamNode>(make: (id: number) => N): N {
    const node = make(this.nodes.length);
    this.nodes.push(node);
    return node;
  }
}

function settings(name: string, singleton: boolean): NodeSettings {
  return {
    name,
    uid: undefined,
    parallelism: singleton ? 1 : undefined,
    maxParallelism: undefined,
    singleton,
  };
}

function checkPositiveInt(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}

type StreamKind = "non-keyed" | "keyed" | "global" | "broadcast";

/**
 * One class implements every stream kind; `kind` and the TypeScript interfaces decide which
 * methods a user may call. A stream remembers the producing node and output, plus the partitioning
 * its consumer will apply.
 */
class StreamImpl {
  readonly kind: StreamKind;
  readonly #graph: StreamGraph;
  readonly #from: number;
  readonly #outputIndex: 0 | 1;
  readonly #partitioning: Partitioning;
  readonly #keySelector: KeySelector<unknown, KeyValue> | undefined;

  constructor(
    graph: StreamGraph,
    kind: StreamKind,
    from: number,
    outputIndex: 0 | 1,
    partitioning: Partitioning,
    keySelector: KeySelector<unknown, KeyValue> | undefined,
  ) {
    this.#graph = graph;
    this.kind = kind;
    this.#from = from;
    this.#outputIndex = outputIndex;
    this.#partitioning = partitioning;
    this.#keySelector = keySelector;
  }

  /** The edge a consumer of this stream gets. */
  edge(): InputEdge {
    return {
      from: this.#from,
      outputIndex: this.#outputIndex,
      partitioning: this.#partitioning,
      keySelector: this.#keySelector,
    };
  }

  #derive(
    kind: StreamKind,
    partitioning: Partitioning,
    keySelector?: KeySelector<unknown, KeyValue>,
  ): StreamImpl {
    return new StreamImpl(this.#graph, kind, this.#from, this.#outputIndex, partitioning, keySelector);
  }

  #produced(
    node: StreamNode,
    kind: StreamKind,
    outputIndex: 0 | 1 = 0,
    keySelector?: KeySelector<unknown, KeyValue>,
  ) {
    return configurable(
      new StreamImpl(this.#graph, kind, node.id, outputIndex, "forward", keySelector),
      node,
    );
  }

  get #outputKind(): StreamKind {
    return this.kind === "global" ? "global" : "non-keyed";
  }

  keyBy(selector: KeySelector<unknown, KeyValue>): StreamImpl {
    if (typeof selector !== "function") throw new TypeError("keyBy expects a key selector function");
    return this.#derive("keyed", "hash", selector);
  }

  shuffle(): StreamImpl {
    return this.#derive("non-keyed", "rebalance");
  }

  global(): StreamImpl {
    return this.#derive("global", "global");
  }

  broadcast(): StreamImpl {
    return this.#derive("broadcast", "broadcast");
  }

  process(
    fn: OneInputStreamProcessFunction<unknown, unknown, Any>,
    newKeySelector?: KeySelector<unknown, KeyValue>,
  ) {
    checkFunction(fn, "processRecord", "process");
    const singleton = this.kind === "global";
    const node = this.#graph.add((id) => ({
      kind: "one-input" as const,
      id,
      input: this.edge(),
      fn,
      ...settings(defaultName(fn, "Process"), singleton),
    }));
    if (newKeySelector !== undefined) {
      if (this.kind !== "keyed")
        throw new TypeError("process(fn, newKeySelector) needs a keyed input stream");
      return this.#produced(node, "keyed", 0, newKeySelector);
    }
    return this.#produced(node, this.#outputKind);
  }

  processAsync(fn: AsyncProcessFunction<unknown, unknown>, options?: AsyncProcessOptions) {
    checkFunction(fn, "processRecordAsync", "processAsync");
    if (fn.onTimeout !== undefined && typeof fn.onTimeout !== "function") {
      throw new TypeError("processAsync: onTimeout must be a function when given");
    }
    const resolved = resolveAsyncProcessOptions(options);
    if (this.kind === "broadcast") throw new TypeError("processAsync cannot run on a broadcast stream");
    const node = this.#graph.add((id) => ({
      kind: "async" as const,
      id,
      input: this.edge(),
      fn,
      options: resolved,
      ...settings(defaultName(fn, "AsyncProcess"), this.kind === "global"),
    }));
    return this.#produced(node, this.#outputKind);
  }

  processTwoOutput(fn: TwoOutputStreamProcessFunction<unknown, unknown, unknown, Any>) {
    checkFunction(fn, "processRecord", "processTwoOutput");
    const node = this.#graph.add((id) => ({
      kind: "two-output" as const,
      id,
      input: this.edge(),
      fn,
      ...settings(defaultName(fn, "TwoOutputProcess"), this.kind === "global"),
    }));
    const kind = this.#outputKind;
    const pair = {
      first: new StreamImpl(this.#graph, kind, node.id, 0, "forward", undefined),
      second: new StreamImpl(this.#graph, kind, node.id, 1, "forward", undefined),
    };
    return configurable(pair, node);
  }

  connectAndProcess(
    other: StreamImpl,
    fn:
      | TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown, Any>
      | TwoInputBroadcastStreamProcessFunction<unknown, unknown, unknown, Any>,
  ) {
    if (!(other instanceof StreamImpl))
      throw new TypeError("connectAndProcess expects a stream of the same job");
    if (other.#graph !== this.#graph)
      throw new TypeError("connectAndProcess cannot connect streams of different jobs");
    if (other.kind === "broadcast") {
      checkFunction(fn, "processRecordFromNonBroadcastInput", "connectAndProcess (broadcast)");
      checkFunction(fn, "processRecordFromBroadcastInput", "connectAndProcess (broadcast)");
      if (this.kind === "global" || this.kind === "broadcast") {
        throw new TypeError(`a ${this.kind} stream cannot be connected with a broadcast stream`);
      }
      const node = this.#graph.add((id) => ({
        kind: "broadcast-input" as const,
        id,
        inputs: [this.edge(), other.edge()] as const,
        fn: fn as TwoInputBroadcastStreamProcessFunction<unknown, unknown, unknown, Any>,
        ...settings(defaultName(fn, "BroadcastProcess"), false),
      }));
      return this.#produced(node, "non-keyed");
    }
    if (other.kind !== this.kind) {
      throw new TypeError(
        `connectAndProcess needs two streams of the same kind, got ${this.kind} and ${other.kind}`,
      );
    }
    checkFunction(fn, "processRecordFromFirstInput", "connectAndProcess");
    checkFunction(fn, "processRecordFromSecondInput", "connectAndProcess");
    const node = this.#graph.add((id) => ({
      kind: "two-input" as const,
      id,
      inputs: [this.edge(), other.edge()] as const,
      fn: fn as TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown, Any>,
      ...settings(defaultName(fn, "TwoInputProcess"), this.kind === "global"),
    }));
    return this.#produced(node, this.#outputKind);
  }

  toSink(sink: Sink<unknown, unknown>): SinkHandle {
    if (sink === null || typeof sink !== "object") throw new TypeError("toSink expects a sink object");
    const node = this.#graph.add((id) => ({
      kind: "sink" as const,
      id,
      input: this.edge(),
      sink,
      ...settings("Sink", this.kind === "global"),
    }));
    return configurable({}, node) as SinkHandle;
  }

  map(fn: (record: unknown) => unknown) {
    return this.process(BuiltinFuncs.map(fn)).withName("Map");
  }

  filter(predicate: (record: unknown) => boolean) {
    return this.process(BuiltinFuncs.filter(predicate)).withName("Filter");
  }

  flatMap(fn: (record: unknown) => Iterable<unknown>) {
    return this.process(BuiltinFuncs.flatMap(fn)).withName("FlatMap");
  }

  reduce(fn: (accumulated: unknown, record: unknown) => unknown) {
    if (this.kind !== "keyed") throw new TypeError("reduce needs a keyed stream: call keyBy first");
    const keySelector = this.#keySelector!;
    return this.process(BuiltinFuncs.reduce(fn), keySelector).withName("Reduce");
  }
}

/** Adds `withName`/`withUid`/... that configure `node` and return the same object. */
function configurable<T extends object>(target: T, node: StreamNode): T & ProcessConfigurableImpl {
  const handle = target as T & ProcessConfigurableImpl;
  handle.withName = (name: string) => {
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError("withName expects a non-empty string");
    node.name = name;
    return handle;
  };
  handle.withUid = (uid: string) => {
    if (typeof uid !== "string" || uid.length === 0)
      throw new TypeError("withUid expects a non-empty string");
    node.uid = uid;
    return handle;
  };
  handle.withParallelism = (parallelism: number) => {
    checkPositiveInt(`withParallelism of "${node.name}"`, parallelism);
    if (node.singleton && parallelism !== 1) {
      throw new RangeError(
        `"${node.name}" works on a global stream and must have parallelism 1, got ${parallelism}`,
      );
    }
    node.parallelism = parallelism;
    return handle;
  };
  handle.withMaxParallelism = (maxParallelism: number) => {
    checkPositiveInt(`withMaxParallelism of "${node.name}"`, maxParallelism);
    if (maxParallelism > 32768)
      throw new RangeError(`withMaxParallelism of "${node.name}" must be at most 32768`);
    node.maxParallelism = maxParallelism;
    return handle;
  };
  return handle;
}

interface ProcessConfigurableImpl {
  withName(name: string): this;
  withUid(uid: string): this;
  withParallelism(parallelism: number): this;
  withMaxParallelism(maxParallelism: number): this;
}

function checkFunction(fn: unknown, method: string, verb: string): void {
  if (
    fn === null ||
    typeof fn !== "object" ||
    typeof (fn as Record<string, unknown>)[method] !== "function"
  ) {
    throw new TypeError(`${verb} expects a process function with a ${method}() method`);
  }
}

/** A class-based function is named after its class; object literals get the verb's name. */
function defaultName(fn: object, fallback: string): string {
  const ctor = (fn as { constructor?: { name?: string } }).constructor;
  const name = ctor?.name;
  return name !== undefined && name !== "Object" && name !== "" ? name : fallback;
}

/** Starts a stream at a new source node. */
export function sourceStream(graph: StreamGraph, source: Source<unknown, Any, unknown>, name: string) {
  const node = graph.add((id) => ({ kind: "source" as const, id, source, ...settings(name, false) }));
  return configurable(new StreamImpl(graph, "non-keyed", node.id, 0, "forward", undefined), node);
}

// The single implementation is exposed under the API's types; these aliases document the mapping.
export type AnyNonKeyedStream = NonKeyedPartitionStream<Any> & ConfigurableNonKeyedStream<Any>;
export type AnyKeyedStream = KeyedPartitionStream<Any, Any> & ConfigurableKeyedStream<Any, Any>;
export type AnyGlobalStream = GlobalStream<Any> & ConfigurableGlobalStream<Any>;
export type AnyBroadcastStream = BroadcastStream<Any>;
export type AnyTwoStreams = TwoNonKeyedPartitionStreams<Any, Any>;
