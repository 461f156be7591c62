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
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
