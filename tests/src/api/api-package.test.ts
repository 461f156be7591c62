/** `@weir/api` is the pure API: no dependencies, no imports outside itself, docs on exports. */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const API = fileURLToPath(new URL("../../../packages/api/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

test("packages/api/package.json declares no dependencies of any kind", () => {
  const manifest = JSON.parse(readFileSync(join(API, "package.json"), "utf8")) as Record<string, unknown>;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) {
    assert.equal(manifest[field], undefined, `@weir/api must not have ${field}`);
  }
});

test("@weir/api sources import only each other", () => {
  const files = sourceFiles(join(API, "src"));
  assert.ok(files.length > 5);
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/^\s*(?:import|export)[^;]*?from\s+"([^"]+)"/gm)) {
      assert.ok(match[1]!.startsWith("./") || match[1]!.startsWith("../"), `${file} imports "${match[1]}"`);
    }
  }
});

test("every export of @weir/api carries a TSDoc comment", () => {
  for (const file of sourceFiles(join(API, "src"))) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!/^export (const|function|interface|class|type \w)/.test(line)) return;
      // Walk up over the declaration's doc comment (it must end right above the export).
      const above = lines[i - 1]?.trim() ?? "";
      assert.ok(above.endsWith("*/"), `${file}:${i + 1} "${line.trim()}" has no TSDoc comment`);
    });
  }
});
