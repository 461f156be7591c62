/**
 * Builds the task of one vertex subtask: operators for each chained stream node, wired to each other
 * by direct calls and to other vertices by record writers and input gates. Which subtasks a channel
 * connects follows from the edge's partitioning (forward: i -> i; global: all -> 0; the rest:
 * all -> all); subtask i of every vertex lives in slot i.
 * @module
 */

import { isCollectSink, type Source, type SourceSplit } from "@weir/api";
import { channelId } from "../exchange/channel-id.ts";
import { InputGate } from "../exchange/input-gate.ts";
import { Backpressure, OutputChannel } from "../exchange/output-channel.ts";
import { RecordWriter } from "../exchange/record-writer.ts";
import type { Transport } from "../exchange/transport.ts";
import {
  type ChainedOperator,
  type JobEdge,
  type JobGraph,
  type JobVertex,
  statesOf,
} from "../graph/job-graph.ts";
import { inputsOf } from "../graph/transformation.ts";
import { AsyncProcessOperator } from "../operators/async-process-operator.ts";
import { BroadcastProcessOperator } from "../operators/broadcast-process-operator.ts";
import { CollectSinkOperator } from "../operators/collect-sink-operator.ts";
import { OneInputProcessOperator } from "../operators/one-input-process-operator.ts";
import type { OperatorEnvironment } from "../operators/operator-environment.ts";
import { chainedOutput, combineOutputs, type Output } from "../operators/output.ts";
import { SinkWriterOperator } from "../operators/sink-writer-operator.ts";
import { SourceOperator } from "../operators/source-operator.ts";
import type { StreamOperator } from "../operators/stream-operator.ts";
import { TwoInputProcessOperator } from "../operators/two-input-process-operator.ts";
import { TwoOutputProcessOperator } from "../operators/two-output-process-operator.ts";
import { StreamTask, type TaskListener } from "./stream-task.ts";

/** The slot-level exchange services a task is wired into. */
export interface ExchangeWiring {
  transportTo(slot: number): Transport;
  registerInput(channel: number, gate: InputGate): void;
  registerOutput(channel: OutputChannel): void;
  readonly batchSize: number;
  readonly buffersPerChannel: number;
}

/** Subtasks of the sending vertex that feed receiver `r`, and receivers that sender `s` feeds. */
export function sendersOf(edge: JobEdge, graph: JobGraph, receiver: number): number[] {
  const senders = graph.vertices[edge.sourceVertex]!.parallelism;
  switch (edge.partitioning) {
    case "forward":
      return [receiver];
    case "global":
      return receiver === 0 ? range(senders) : [];
    default:
      return range(senders);
  }
}

export function receiversOf(edge: JobEdge, graph: JobGraph, sender: number): number[] {
  const receivers = graph.vertices[edge.targetVertex]!.parallelism;
  switch (edge.partitioning) {
    case "forward":
      return [sender];
    case "global":
      return [0];
    default:
      return range(receivers);
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function buildTask(options: {
  graph: JobGraph;
  vertex: JobVertex;
  subtask: number;
  wiring: ExchangeWiring;
  /** Everything but `blockOn` and `post`, which the task itself provides. */
  env: Omit<OperatorEnvironment, "blockOn" | "post" | "requestSplit"> & {
    requestSplit(vertex: number, subtask: number): void;
  };
  listener: TaskListener;
}): StreamTask {
  const { graph, vertex, subtask, wiring, listener } = options;
  let task: StreamTask | undefined;
  const env: OperatorEnvironment = {
    ...options.env,
    blockOn: (promise) => task!.blockOn(promise),
    post: (mail) => task!.post(mail),
    requestSplit: () => options.env.requestSplit(vertex.id, subtask),
  };
  const backpressure = new Backpressure(() => listener.wake());

  // Network outputs, one writer per edge leaving this vertex.
  const writers = new Map<number, RecordWriter>();
  for (const op of vertex.operators) {
    for (const output of op.outputs) {
      for (const edgeId of output.network) {
        const edge = graph.edges[edgeId]!;
        const target = graph.vertices[edge.targetVertex]!;
        const channels = receiversOf(edge, graph, subtask).map((receiver) => {
          const channel = new OutputChannel(
            channelId(edge.id, subtask, receiver),
            wiring.transportTo(receiver),
            wiring.batchSize,
            wiring.buffersPerChannel,
            backpressure,
          );
          wiring.registerOutput(channel);
          return channel;
        });
        writers.set(
          edgeId,
          new RecordWriter({
            channels,
            partitioning: edge.partitioning,
            keySelector: edge.keySelector,
            maxParallelism: target.maxParallelism,
            subtask,
            where: op.node.name,
          }),
        );
      }
    }
  }

  // Operators are created tail first, so each operator's chained consumers exist when it is built.
  const built = new Map<number, StreamOperator>();
  const outputsOf = (op: ChainedOperator): Output[] =>
    op.outputs.map((out) =>
      combineOutputs([
        ...out.chained.map(({ node, input }) => chainedOutput(built.get(node)!, input)),
        ...out.network.map((edgeId) => writers.get(edgeId)!),
      ]),
    );
  let source: SourceOperator | undefined;
  for (let i = vertex.operators.length - 1; i >= 0; i--) {
    const op = vertex.operators[i]!;
    const operator = createOperator(op, outputsOf(op), env, vertex.maxParallelism);
    if (operator instanceof SourceOperator) source = operator;
    built.set(op.node.id, operator);
  }
  const operators = vertex.operators.map((op) => built.get(op.node.id)!);

  // Network inputs, one gate per input of the head operator.
  const gates: InputGate[] = [];
  for (const edgeId of vertex.inputEdges) {
    const edge = graph.edges[edgeId]!;
    const gate = new InputGate(edge.targetInput, graph.watermarks);
    for (const sender of sendersOf(edge, graph, subtask)) {
      const id = channelId(edge.id, sender, subtask);
      gate.addChannel(id, wiring.transportTo(sender));
      wiring.registerInput(id, gate);
    }
    gates.push(gate);
  }

  task = new StreamTask({
    vertex: vertex.id,
    subtask,
    name: `${vertex.name} (${subtask + 1}/${vertex.parallelism})`,
    operators,
    source,
    gates,
    writers: [...writers.values()],
    backpressure,
    listener,
    checkpointing: env.checkpointing === true,
  });
  return task;
}

function createOperator(
  op: ChainedOperator,
  outputs: Output[],
  env: OperatorEnvironment,
  maxParallelism: number,
): StreamOperator {
  const node = op.node;
  const common = { name: node.name, operatorId: op.operatorId, env, states: statesOf(node), maxParallelism };
  const keySelectorOf = (input: 0 | 1) => {
    const edge = inputsOf(node)[input]!;
    return edge.partitioning === "broadcast" ? undefined : edge.keySelector;
  };
  switch (node.kind) {
    case "source":
      return new SourceOperator({
        name: node.name,
        operatorId: op.operatorId,
        env,
        source: node.source as Source<unknown, SourceSplit, unknown>,
        output: outputs[0]!,
      });
    case "one-input":
      return new OneInputProcessOperator({
        ...common,
        fn: node.fn,
        keySelector: keySelectorOf(0),
        output: outputs[0]!,
      });
    case "async":
      return new AsyncProcessOperator({
        name: node.name,
        operatorId: op.operatorId,
        env,
        fn: node.fn,
        options: node.options,
        output: outputs[0]!,
      });
    case "two-output":
      return new TwoOutputProcessOperator({
        ...common,
        fn: node.fn,
        keySelector: keySelectorOf(0),
        outputs: [outputs[0]!, outputs[1]!],
      });
    case "two-input":
      return new TwoInputProcessOperator({
        ...common,
        fn: node.fn,
        keySelectors: [keySelectorOf(0), keySelectorOf(1)],
        output: outputs[0]!,
      });
    case "broadcast-input":
      return new BroadcastProcessOperator({
        ...common,
        fn: node.fn,
        keySelector: keySelectorOf(0),
        output: outputs[0]!,
      });
    case "sink":
      if (isCollectSink(node.sink)) {
        return new CollectSinkOperator({
          name: node.name,
          operatorId: op.operatorId,
          env,
          collectName: node.sink.collectName,
        });
      }
      return new SinkWriterOperator({ name: node.name, operatorId: op.operatorId, env, sink: node.sink });
  }
}
