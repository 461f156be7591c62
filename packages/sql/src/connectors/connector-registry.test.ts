import assert from "node:assert/strict";
import { test } from "node:test";
import {
  connectorModuleOf,
  findTableConnector,
  getLoadedTableConnector,
  loadTableConnectors,
  registerTableConnector,
} from "./connector-registry.ts";
import { ConnectorOptionError } from "./table-connector.ts";

test("built-in connectors are available without loading", () => {
  for (const id of ["datagen", "print", "blackhole"])
    assert.equal(getLoadedTableConnector(id).identifier, id);
});

test("package connectors load from their ./sql subpath", async () => {
  assert.equal(connectorModuleOf("filesystem"), "@weir/connector-files/sql");
  assert.equal(connectorModuleOf("upsert-kafka"), "@weir/connector-kafka/sql");
  assert.equal(connectorModuleOf("jdbc"), "@weir/connector-postgres/sql");
  assert.equal(connectorModuleOf("nexmark"), "@weir/connector-nexmark/sql");
  const filesystem = await findTableConnector("filesystem");
  assert.equal(filesystem.identifier, "filesystem");
  assert.equal(getLoadedTableConnector("filesystem"), filesystem);
});

test("an unknown connector fails when used, listing the known identifiers", async () => {
  await loadTableConnectors(["no-such-thing"]); // Never rejects: CREATE TABLE must still succeed.
  assert.throws(
    () => getLoadedTableConnector("no-such-thing"),
    (error: unknown) =>
      error instanceof ConnectorOptionError &&
      /Could not find any factory for identifier 'no-such-thing' \(package @weir\/connector-no-such-thing\/sql is not installed\)\. Available factory identifiers are: .*blackhole, datagen, filesystem/.test(
        error.message,
      ),
  );
  await assert.rejects(findTableConnector("../evil"), /identifier '\.\.\/evil' \(not a connector name\)/);
  assert.throws(() => getLoadedTableConnector("never-loaded"), /call loadTableConnectors before planning/);
});

test("registered connectors shadow loading", async () => {
  registerTableConnector({ identifier: "custom-test", requiredOptions: [], optionalOptions: [] });
  assert.equal((await findTableConnector("custom-test")).identifier, "custom-test");
});
