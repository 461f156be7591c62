/** The streamed rendering of an unbounded SELECT: fixed-width tableau, jsonl with "op". */

import assert from "node:assert/strict";
import { test } from "node:test";
import { LogicalTypes as T } from "@weir/sql";
import { ResultRenderer } from "./result-printer.ts";
import { StreamingResultPrinter } from "./streaming-result.ts";

const schema = {
  kind: "ROW" as const,
  nullable: false,
  fields: [
    { name: "word", type: T.string() },
    { name: "n", type: T.bigint() },
  ],
};

test("tableau: the header comes with the first changes, widths come from the types", () => {
  const printer = new StreamingResultPrinter("tableau", schema as never, "UTC");
  assert.equal(printer.changes([]), "");
  const first = printer.changes([{ kind: 0, fields: ["a", 1n] }]);
  const border = `+----+--------------------------------+----------------------+\n`;
  assert.equal(
    first,
    `${border}| op |                           word |                    n |\n${border}` +
      `| +I |                              a |                    1 |\n`,
  );
  const next = printer.changes([
    { kind: 1, fields: ["a", 1n] },
    { kind: 2, fields: ["an extremely long word that will not fit", null] },
    { kind: 3, fields: ["a", 2n] },
  ]);
  assert.equal(
    next,
    "| -U |                              a |                    1 |\n" +
      "| +U | an extremely long word that... |               <NULL> |\n" +
      "| -D |                              a |                    2 |\n",
  );
  assert.equal(printer.end(), `${border}Received a total of 4 rows\n`);
});

test("tableau: a result without changes ends with the count only", () => {
  const printer = new StreamingResultPrinter("changelog", schema as never, "UTC");
  assert.equal(printer.end(), "Received a total of 0 rows\n");
});

test("jsonl: one object per change, op first, nothing at the end", () => {
  const printer = new StreamingResultPrinter("jsonl", schema as never, "UTC");
  assert.equal(
    printer.changes([
      { kind: 0, fields: ["a", 1n] },
      { kind: 1, fields: ["a", 1n] },
      { kind: 2, fields: ["a", 2n] },
    ]),
    '{"op":"+I","word":"a","n":1}\n{"op":"-U","word":"a","n":1}\n{"op":"+U","word":"a","n":2}\n',
  );
  assert.equal(printer.end(), "");
});

test("ResultRenderer keeps a stream's state between results and renders the others as before", () => {
  const renderer = new ResultRenderer("jsonl");
  assert.equal(
    renderer.render({ kind: "stream-start", line: 3, schema: schema as never, timeZone: "UTC" }),
    "",
  );
  assert.equal(
    renderer.render({ kind: "stream-changes", line: 3, changes: [{ kind: 0, fields: ["x", 5n] }] }),
    '{"op":"+I","word":"x","n":5}\n',
  );
  assert.equal(renderer.render({ kind: "stream-end", line: 3, cancelled: true }), "");
  assert.equal(
    new ResultRenderer("tableau").render({ kind: "ok", line: 1, message: "done" }),
    "[INFO] done\n",
  );
});
