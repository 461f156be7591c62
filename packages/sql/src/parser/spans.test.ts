/**
 * Tests for the span invariant over a corpus touching every node kind: each node's span is ordered,
 * lies inside its parent's span and inside the text, its line and column agree with its offset,
 * and a name's span covers exactly the name as written.
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Position } from "../ast/span.ts";
import { parseStatements } from "../parse.ts";
import { CORPUS } from "../testing/corpus.ts";
import { walkNodes } from "../testing/trees.ts";

/** Line and column of `offset`, computed independently of the lexer. */
function positionOf(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = source[i];
    if (ch === "\n" || (ch === "\r" && source[i + 1] !== "\n")) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

describe("spans", () => {
  const statements = parseStatements(CORPUS);

  test("the corpus covers every statement kind", () => {
    const kinds = new Set(statements.map((s) => s.kind));
    for (const kind of [
      "create-table",
      "create-view",
      "create-function",
      "drop",
      "insert",
      "statement-set",
      "explain",
      "set",
      "reset",
      "show",
      "show-create",
      "describe",
      "use",
    ]) {
      assert.ok(kinds.has(kind as never), kind);
    }
  });

  test("the corpus has a node of every kind the syntax tree declares", () => {
    const declared = new Set<string>();
    const astDirectory = new URL("../ast/", import.meta.url);
    for (const file of readdirSync(astDirectory)) {
      const text = readFileSync(new URL(file, astDirectory), "utf8");
      for (const [, kinds] of text.matchAll(/readonly kind: ("[^;]+");/g)) {
        for (const [, kind] of kinds!.matchAll(/"([^"]+)"/g)) declared.add(kind!);
      }
    }
    const seen = new Set<string>();
    walkNodes(statements, (node) => seen.add(node.kind));
    assert.ok(declared.size > 100, `only ${declared.size} kinds found in the AST sources`);
    assert.deepEqual(
      [...declared].filter((kind) => !seen.has(kind)),
      [],
    );
  });

  test("every node's span is ordered, inside its parent's and inside the text", () => {
    let nodes = 0;
    walkNodes(statements, (node, parent) => {
      nodes++;
      const { start, end } = node.span;
      assert.ok(start.offset <= end.offset, `${node.kind} ends before it starts`);
      assert.ok(end.offset <= CORPUS.length, `${node.kind} ends past the text`);
      if (parent !== null) {
        assert.ok(
          parent.span.start.offset <= start.offset && end.offset <= parent.span.end.offset,
          `${node.kind} at ${start.offset}-${end.offset} is outside its ${parent.kind} at ${parent.span.start.offset}-${parent.span.end.offset}`,
        );
      }
    });
    assert.ok(nodes > 500, `only ${nodes} nodes`);
  });

  test("line and column agree with the offset everywhere", () => {
    walkNodes(statements, (node) => {
      for (const position of [node.span.start, node.span.end]) {
        assert.deepEqual(position, positionOf(CORPUS, position.offset), node.kind);
      }
    });
  });

  test("a name's span covers exactly the name as written", () => {
    walkNodes(statements, (node) => {
      if (node.kind !== "identifier") return;
      const value = (node as unknown as { value: string }).value;
      const text = CORPUS.slice(node.span.start.offset, node.span.end.offset);
      assert.ok(text === value || text === `\`${value.replaceAll("`", "``")}\``, `${text} vs ${value}`);
    });
  });

  test("no node has an empty span", () => {
    walkNodes(statements, (node) => {
      assert.ok(node.span.end.offset > node.span.start.offset, `${node.kind} has an empty span`);
    });
  });
});
