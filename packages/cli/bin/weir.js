#!/usr/bin/env node
// Launcher: checks the Node version before loading the TypeScript sources (run by type stripping).
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `weir needs Node.js >= 22.18 (this is ${process.version}). Inside the Weir repository, ` +
      "run it through npm (`npx weir ...`), which uses the Node version the repository pins.\n",
  );
  process.exit(1);
}
// Cache compiled (and type-stripped) modules between runs, in this thread and in every worker
// thread (they read the variable when they start): a job's start-up is mostly module loading.
const { enableCompileCache } = await import("node:module");
if (process.env.NODE_COMPILE_CACHE === undefined) {
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  process.env.NODE_COMPILE_CACHE = join(tmpdir(), "weir-compile-cache");
}
enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
