// @ts-check
/**
 * The job graph as SVG: vertices in columns by their longest distance from a source (so every
 * edge points rightwards), each box showing parallelism, throughput, backpressure (as its colour)
 * and watermark; edges labelled with their partitioning (FORWARD, HASH, REBALANCE, …).
 *
 * Example: source -> map -> keyed sum gives three columns; a union of two sources into one
 * vertex gives two boxes in column 0 and one in column 1.
 * @module
 */

import { svg } from "./dom.js";
import { backpressureLevel, formatCount, formatWatermark } from "./format.js";

/** @typedef {import("./rest-client.js").Vertex} Vertex */
/** @typedef {import("./rest-client.js").Edge} Edge */

const BOX_WIDTH = 250;
const BOX_HEIGHT = 112;
const GAP_X = 110;
const GAP_Y = 28;
const MARGIN = 12;
const NAME_CHARS = 34;

/**
 * Longest path from any source, by relaxing edges until nothing changes (a job graph is a DAG;
 * the bound on rounds keeps a malformed answer from looping forever).
 * @param {Vertex[]} vertices
 * @param {Edge[]} edges
 * @returns {Map<number, number>}
 */
export function layerOf(vertices, edges) {
  /** @type {Map<number, number>} */
  const layer = new Map(vertices.map((v) => [v.id, 0]));
  for (let round = 0; round < vertices.length; round++) {
    let changed = false;
    for (const edge of edges) {
      const from = layer.get(edge.source);
      const to = layer.get(edge.target);
      if (from === undefined || to === undefined || to >= from + 1) continue;
      layer.set(edge.target, from + 1);
      changed = true;
    }
    if (!changed) break;
  }
  return layer;
}

/** @param {string} text */
function shorten(text) {
  return text.length <= NAME_CHARS ? text : `${text.slice(0, NAME_CHARS - 1)}…`;
}

/**
 * @param {Vertex[]} vertices
 * @param {Edge[]} edges
 * @returns {SVGElement}
 */
export function renderJobGraph(vertices, edges) {
  const layer = layerOf(vertices, edges);
  /** @type {Map<number, Vertex[]>} */
  const columns = new Map();
  for (const vertex of vertices) {
    const column = layer.get(vertex.id) ?? 0;
    columns.set(column, [...(columns.get(column) ?? []), vertex]);
  }
  /** @type {Map<number, { x: number, y: number }>} */
  const position = new Map();
  let tallest = 1;
  for (const [column, members] of columns) {
    tallest = Math.max(tallest, members.length);
    members.forEach((vertex, row) => {
      position.set(vertex.id, {
        x: MARGIN + column * (BOX_WIDTH + GAP_X),
        y: MARGIN + row * (BOX_HEIGHT + GAP_Y),
      });
    });
  }
  const width = MARGIN * 2 + Math.max(1, columns.size) * (BOX_WIDTH + GAP_X) - GAP_X;
  const height = MARGIN * 2 + tallest * (BOX_HEIGHT + GAP_Y) - GAP_Y;

  const edgeElements = edges.map((edge) => {
    const from = position.get(edge.source);
    const to = position.get(edge.target);
    if (from === undefined || to === undefined) return null;
    const x1 = from.x + BOX_WIDTH;
    const y1 = from.y + BOX_HEIGHT / 2;
    const x2 = to.x - 4;
    const y2 = to.y + BOX_HEIGHT / 2;
    const bend = (x2 - x1) / 2;
    return svg(
      "g",
      { class: "edge", "data-testid": "graph-edge" },
      svg("path", {
        d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
        "marker-end": "url(#arrow)",
      }),
      svg(
        "text",
        { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, "text-anchor": "middle" },
        edge.partitioning.toUpperCase(),
      ),
    );
  });

  const vertexElements = vertices.map((vertex) => {
    const at = position.get(vertex.id) ?? { x: MARGIN, y: MARGIN };
    const m = vertex.metrics;
    const ratio = m["backpressure-ratio"];
    const line = (/** @type {number} */ n, /** @type {string} */ text, cls = "") =>
      svg("text", { x: at.x + 10, y: at.y + 20 + n * 18, class: cls }, text);
    return svg(
      "g",
      {
        class: `vertex bp-${backpressureLevel(ratio)}`,
        "data-testid": "graph-vertex",
        "data-vertex-id": vertex.id,
      },
      svg("title", {}, [vertex.name, ...vertex.operators].join("\n")),
      svg("rect", { x: at.x, y: at.y, width: BOX_WIDTH, height: BOX_HEIGHT }),
      line(0, shorten(vertex.name), "title"),
      line(1, `parallelism ${vertex.parallelism}`),
      line(
        2,
        `in ${formatCount(m["read-records-per-second"])}/s · out ${formatCount(m["write-records-per-second"])}/s`,
      ),
      line(3, `backpressure ${Math.round(ratio * 100)}%`),
      // A watermark is a whole timestamp: its own line keeps it inside the box.
      line(4, `wm ${formatWatermark(m["current-watermark"])}`),
    );
  });

  return svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "job graph" },
    svg(
      "defs",
      {},
      svg(
        "marker",
        {
          id: "arrow",
          viewBox: "0 0 10 10",
          refX: 9,
          refY: 5,
          markerWidth: 8,
          markerHeight: 8,
          orient: "auto",
        },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }),
      ),
    ),
    edgeElements,
    vertexElements,
  );
}
