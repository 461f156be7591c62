/**
 * Stream graph -> job graph. Operators connected by a forward edge with equal parallelism are
 * chained into one vertex (one task per subtask, plain function calls between operators); every
 * other edge becomes a network edge between vertices. The translation is a pure function of the
 * stream graph and the default parallelism, so the coordinator and every worker derive the same
 * vertex and edge ids.
 * @module
 */

import type { KeySelector, KeyValue, StateDeclaration, WatermarkDeclaration } from "@weir/api";
import { ttlMisuse } from "../state/ttl-state-handles.ts";
import { buildWatermarkRegistry } from "../watermark/watermark-registry.ts";
import {
  type InputEdge,
  inputsOf,
  isKeyedNode,
  type Partitioning,
  type StreamNode,
} from "./transformation.ts";

/** A network edge between two vertices. */
export interface JobEdge {
  readonly id: number;
  readonly sourceVertex: number;
  readonly sourceNode: number;
  readonly sourceOutput: 0 | 1;
  readonly targetVertex: number;
  readonly targetNode: number;
  /** Which input of the target node (0 or 1). */
  readonly targetInput: 0 | 1;
  readonly partitioning: Partitioning;
  readonly keySelector: KeySelector<unknown, KeyValue> | undefined;
}

/** Where one output of an operator goes inside and outside its vertex. */
export interface OperatorOutputs {
  /** Chained consumers: node id and which of its inputs. */
  readonly chained: { readonly node: number; readonly input: 0 | 1 }[];
  /** Network edges leaving the vertex. */
  readonly network: number[];
}

/** One operator inside a vertex's chain. */
export interface ChainedOperator {
  readonly node: StreamNode;
  readonly keyed: boolean;
  /** Outputs by output index (two-output functions have two). */
  readonly outputs: OperatorOutputs[];
  /** Stable id for state: the uid, or a deterministic id from the graph position. */
  readonly operatorId: string;
}

export interface JobVertex {
  readonly id: number;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Operators in topological order; the first is the head. */
  readonly operators: ChainedOperator[];
  /** Network edges arriving at this vertex. */
  readonly inputEdges: number[];
}

export interface JobGraph {
  readonly vertices: JobVertex[];
  readonly edges: JobEdge[];
  /** The vertex each node was placed in. */
  readonly vertexOfNode: number[];
  /** Whether every source is bounded. */
  readonly bounded: boolean;
  /** Every watermark declaration of the job, by identifier. */
  readonly watermarks: ReadonlyMap<string, WatermarkDeclaration>;
}

/** Flink's default: 128, or 1.5 x parallelism rounded up to a power of two, at most 32768. */
export function defaultMaxParallelism(parallelism: number): number {
  const scaled = 2 ** Math.ceil(Math.log2(parallelism + Math.ceil(parallelism / 2)));
  return Math.min(Math.max(128, scaled), 32768);
}

/** Raised for graphs that cannot run; the message names the operator. */
export class InvalidJobError extends Error {
  override name = "InvalidJobError";
}

export function buildJobGraph(nodes: readonly StreamNode[], defaultParallelism: number): JobGraph {
  if (nodes.length === 0) throw new InvalidJobError("the job declares no sources");
  const parallelism = nodes.map((n) => (n.singleton ? 1 : (n.parallelism ?? defaultParallelism)));
  const maxParallelism = nodes.map((n, i) => n.maxParallelism ?? defaultMaxParallelism(parallelism[i]!));
  for (const node of nodes) {
    const p = parallelism[node.id]!;
    if (p > maxParallelism[node.id]!) {
      throw new InvalidJobError(
        `"${node.name}": parallelism ${p} exceeds its max parallelism ${maxParallelism[node.id]}`,
      );
    }
    validateStates(node);
  }
  validateUids(nodes);
  const watermarks = buildWatermarkRegistry(
    nodes.map((node) => ({
      owner: node.name,
      declarations:
        node.kind === "sink"
          ? []
          : ((node.kind === "source" ? node.source : node.fn).declareWatermarks?.() ?? []),
    })),
    (message) => {
      throw new InvalidJobError(message);
    },
  );
  const consumers = nodes.map(() => [] as { node: StreamNode; input: 0 | 1; edge: InputEdge }[]);
  for (const node of nodes) {
    inputsOf(node).forEach((edge, input) => {
      consumers[edge.from]!.push({ node, input: input as 0 | 1, edge });
    });
  }

  const effective = (edge: InputEdge, target: number): Partitioning => {
    if (edge.partitioning !== "forward") return edge.partitioning;
    if (parallelism[edge.from] === parallelism[target]) return "forward";
    // Forward needs equal parallelism; keep keyed streams keyed, spread the rest (as Flink does).
    return edge.keySelector !== undefined ? "hash" : "rebalance";
  };
  const chainable = (node: StreamNode): boolean => {
    const inputs = inputsOf(node);
    if (inputs.length !== 1) return false;
    const edge = inputs[0]!;
    return (
      effective(edge, node.id) === "forward" &&
      (edge.keySelector === undefined || maxParallelism[edge.from] === maxParallelism[node.id])
    );
  };

  const vertexOfNode = nodes.map(() => -1);
  const vertices: JobVertex[] = [];
  // Nodes are in declaration order, which is topological: inputs are always declared first.
  for (const node of nodes) {
    if (chainable(node)) {
      const vertex = vertices[vertexOfNode[inputsOf(node)[0]!.from]!]!;
      vertexOfNode[node.id] = vertex.id;
      vertex.operators.push(chained(node));
      continue;
    }
    const id = vertices.length;
    vertexOfNode[node.id] = id;
    vertices.push({
      id,
      name: node.name,
      parallelism: parallelism[node.id]!,
      maxParallelism: maxParallelism[node.id]!,
      operators: [chained(node)],
      inputEdges: [],
    });
  }

  const edges: JobEdge[] = [];
  for (const node of nodes) {
    inputsOf(node).forEach((edge, input) => {
      const sourceVertex = vertexOfNode[edge.from]!;
      const targetVertex = vertexOfNode[node.id]!;
      const producer = vertices[sourceVertex]!.operators.find((op) => op.node.id === edge.from)!;
      const outputs = producer.outputs[edge.outputIndex]!;
      if (sourceVertex === targetVertex) {
        outputs.chained.push({ node: node.id, input: input as 0 | 1 });
        return;
      }
      const jobEdge: JobEdge = {
        id: edges.length,
        sourceVertex,
        sourceNode: edge.from,
        sourceOutput: edge.outputIndex,
        targetVertex,
        targetNode: node.id,
        targetInput: input as 0 | 1,
        partitioning: effective(edge, node.id),
        keySelector: edge.keySelector,
      };
      edges.push(jobEdge);
      outputs.network.push(jobEdge.id);
      vertices[targetVertex]!.inputEdges.push(jobEdge.id);
    });
  }
  for (const vertex of vertices) {
    vertex.operators.forEach((op) => {
      if (op !== vertex.operators[0] && op.node.kind !== "source" && inputsOf(op.node).length !== 1) {
        throw new InvalidJobError(`internal: multi-input operator "${op.node.name}" was chained`);
      }
    });
  }
  const bounded = nodes.every((n) => n.kind !== "source" || n.source.boundedness === "BOUNDED");
  return { vertices, edges, vertexOfNode, bounded, watermarks };

  function chained(node: StreamNode): ChainedOperator {
    const outputCount = node.kind === "two-output" ? 2 : node.kind === "sink" ? 0 : 1;
    const outputs: OperatorOutputs[] = [];
    for (let i = 0; i < outputCount; i++) outputs.push({ chained: [], network: [] });
    return { node, keyed: isKeyedNode(node), outputs, operatorId: node.uid ?? `node-${node.id}` };
  }
}

function declaredStates(node: StreamNode): readonly StateDeclaration[] {
  if (node.kind === "source" || node.kind === "sink") return [];
  const declared = node.fn.usesStates?.() ?? [];
  if (!Array.isArray(declared)) {
    throw new InvalidJobError(`"${node.name}": usesStates() must return an array of state declarations`);
  }
  return declared;
}

/** Declare-first rule (FLIP-433): names unique, broadcast state only where a broadcast input exists. */
function validateStates(node: StreamNode): void {
  if (node.kind === "async" && declaredStates(node).length > 0) {
    // The result of an async call arrives when another record (another key) is current.
    throw new InvalidJobError(
      `"${node.name}": an async process function cannot use state (its results arrive later, when ` +
        "another key is current); keep state in a process function before or after processAsync",
    );
  }
  const seen = new Set<string>();
  for (const declaration of declaredStates(node)) {
    if (declaration === null || typeof declaration !== "object" || typeof declaration.name !== "string") {
      throw new InvalidJobError(
        `"${node.name}": usesStates() returned something that is not a state declaration`,
      );
    }
    if (seen.has(declaration.name)) {
      throw new InvalidJobError(`"${node.name}": state "${declaration.name}" is declared twice`);
    }
    seen.add(declaration.name);
    if (declaration.kind === "broadcast" && node.kind !== "broadcast-input") {
      throw new InvalidJobError(
        `"${node.name}": broadcast state "${declaration.name}" needs a function connected to a broadcast stream`,
      );
    }
    // Flink supports TTL on keyed state only.
    const ttlError = ttlMisuse(node.name, declaration, isKeyedNode(node));
    if (ttlError !== undefined) throw new InvalidJobError(ttlError);
  }
}

function validateUids(nodes: readonly StreamNode[]): void {
  const owners = new Map<string, string>();
  for (const node of nodes) {
    if (node.uid === undefined) continue;
    const other = owners.get(node.uid);
    if (other !== undefined) {
      throw new InvalidJobError(
        `uid "${node.uid}" is used by both "${other}" and "${node.name}"; uids must be unique`,
      );
    }
    owners.set(node.uid, node.name);
  }
}

/** All state declarations of a node (validated). */
export function statesOf(node: StreamNode): readonly StateDeclaration[] {
  return declaredStates(node);
}
