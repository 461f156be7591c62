/**
 * The stream graph: what the user's program declared, one node per source, process call or sink.
 * Nodes are plain records with numeric ids assigned in declaration order, so building the same job
 * module twice (once on the coordinator, once in each worker) yields identical graphs.
 *
 * An {@link InputEdge} says how records reach a node: which output of which node, and how they are
 * partitioned on the way. Keyed inputs carry the key selector, which the consuming operator also
 * uses to scope state and timers.
 * @module
 */

import type {
  AsyncProcessFunction,
  KeySelector,
  KeyValue,
  OneInputStreamProcessFunction,
  ResolvedAsyncProcessOptions,
  Sink,
  Source,
  TwoInputBroadcastStreamProcessFunction,
  TwoInputNonBroadcastStreamProcessFunction,
  TwoOutputStreamProcessFunction,
} from "@weir/api";

/**
 * How records move from a producer to its consumer.
 * - `forward`: subtask i to subtask i (chainable when parallelisms match);
 * - `rebalance`: round-robin (`shuffle()`, or a forward edge whose parallelisms differ);
 * - `hash`: by key group of the key (`keyBy`);
 * - `global`: everything to subtask 0;
 * - `broadcast`: every record to every subtask.
 */
export type Partitioning = "forward" | "rebalance" | "hash" | "global" | "broadcast";

/** One input of a node. */
export interface InputEdge {
  readonly from: number;
  /** Which output of `from` (0, or 1 for the second output of a two-output function). */
  readonly outputIndex: 0 | 1;
  readonly partitioning: Partitioning;
  /** Present when the consumer sees a keyed stream (after `keyBy`, or a key-preserving `process`). */
  readonly keySelector: KeySelector<unknown, KeyValue> | undefined;
}

/** Settings every node has; `withName` etc. write here before the graph is translated. */
export interface NodeSettings {
  name: string;
  uid: string | undefined;
  /** `undefined` = the job's default parallelism. */
  parallelism: number | undefined;
  maxParallelism: number | undefined;
  /** True for nodes that must run with parallelism 1 (global streams). */
  readonly singleton: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the graph stores functions of every record type
type Any = any;

export interface SourceNode extends NodeSettings {
  readonly kind: "source";
  readonly id: number;
  readonly source: Source<unknown, Any, unknown>;
}

export interface OneInputNode extends NodeSettings {
  readonly kind: "one-input";
  readonly id: number;
  readonly input: InputEdge;
  readonly fn: OneInputStreamProcessFunction<unknown, unknown, Any>;
}

/**
 * An async process function (`processAsync`): one input, one output, chained like a one-input node.
 * Its records are in flight between the input and the output (see AsyncProcessOperator).
 */
export interface AsyncNode extends NodeSettings {
  readonly kind: "async";
  readonly id: number;
  readonly input: InputEdge;
  readonly fn: AsyncProcessFunction<unknown, unknown>;
  /** Validated when the node was declared. */
  readonly options: ResolvedAsyncProcessOptions;
}

export interface TwoOutputNode extends NodeSettings {
  readonly kind: "two-output";
  readonly id: number;
  readonly input: InputEdge;
  readonly fn: TwoOutputStreamProcessFunction<unknown, unknown, unknown, Any>;
}

export interface TwoInputNode extends NodeSettings {
  readonly kind: "two-input";
  readonly id: number;
  readonly inputs: readonly [InputEdge, InputEdge];
  readonly fn: TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown, Any>;
}

export interface BroadcastInputNode extends NodeSettings {
  readonly kind: "broadcast-input";
  readonly id: number;
  /** [non-broadcast input, broadcast input]. */
  readonly inputs: readonly [InputEdge, InputEdge];
  readonly fn: TwoInputBroadcastStreamProcessFunction<unknown, unknown, unknown, Any>;
}

export interface SinkNode extends NodeSettings {
  readonly kind: "sink";
  readonly id: number;
  readonly input: InputEdge;
  readonly sink: Sink<unknown, unknown>;
}

export type StreamNode =
  | SourceNode
  | OneInputNode
  | AsyncNode
  | TwoOutputNode
  | TwoInputNode
  | BroadcastInputNode
  | SinkNode;

/** The inputs of any node, in input order. */
export function inputsOf(node: StreamNode): readonly InputEdge[] {
  switch (node.kind) {
    case "source":
      return [];
    case "one-input":
    case "async":
    case "two-output":
    case "sink":
      return [node.input];
    case "two-input":
    case "broadcast-input":
      return node.inputs;
  }
}

/** Whether records of this node are scoped to keys (state and timers per key). */
export function isKeyedNode(node: StreamNode): boolean {
  return inputsOf(node).some((edge) => edge.keySelector !== undefined && edge.partitioning !== "broadcast");
}
