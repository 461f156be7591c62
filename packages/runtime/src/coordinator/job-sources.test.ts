import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks, type Source, type SplitEnumerator } from "@weir/api";
import { EnvironmentImpl } from "../graph/environment-impl.ts";
import { buildJobGraph } from "../graph/job-graph.ts";
import { JobSources } from "./job-sources.ts";

/** A source whose enumerator records its life and starts after `startGate` resolves. */
function source(name: string, events: string[], startGate: Promise<void>): Source<number> {
  const enumerator = (): SplitEnumerator<{ splitId: string }, string> => ({
    start: async () => {
      events.push(`${name} start`);
      await startGate;
    },
    handleSplitRequest: (subtask) => events.push(`${name} request ${subtask}`),
    addSplitsBack: () => {},
    addReader: (subtask) => events.push(`${name} reader ${subtask}`),
    snapshotState: (id) => `${name}@${id}`,
    close: () => {
      events.push(`${name} close`);
    },
  });
  return {
    boundedness: "BOUNDED",
    createEnumerator: enumerator,
    restoreEnumerator: enumerator,
    createReader: () => {
      throw new Error("no readers on the coordinator");
    },
  } as unknown as Source<number>;
}

function twoSources(events: string[], gate: Promise<void>) {
  const env = new EnvironmentImpl({ parallelism: 1, jobName: "t", onExecute: () => new Promise(() => {}) });
  env.fromSource(source("a", events, gate), "a").toSink(Sinks.discard());
  env.fromSource(source("b", events, gate), "b").toSink(Sinks.discard());
  return buildJobGraph(env.graph.nodes, 1);
}

test("enumerators start in vertex order, route requests, snapshot and close", async () => {
  const events: string[] = [];
  const graph = twoSources(events, Promise.resolve());
  const sources = new JobSources();
  await sources.start(graph, undefined, () => {});
  const vertices = graph.vertices.filter((v) => v.operators[0]!.node.kind === "source").map((v) => v.id);
  sources.splitRequest(vertices[1]!, 0);
  assert.deepEqual([...sources.snapshot(3).values()], ["a@3", "b@3"]);
  await sources.close();
  assert.deepEqual(events, ["a start", "b start", "b reader 0", "b request 0", "a close", "b close"]);
});

test("an attempt closed while an enumerator starts starts no further one, and closes the started", async () => {
  const events: string[] = [];
  let open!: () => void;
  const graph = twoSources(
    events,
    new Promise((resolve) => {
      open = resolve;
    }),
  );
  const sources = new JobSources();
  const starting = sources.start(graph, undefined, () => {});
  await sources.close();
  open();
  await starting;
  assert.deepEqual(events, ["a start", "a close"]);
});
