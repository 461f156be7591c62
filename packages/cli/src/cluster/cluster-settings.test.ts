import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ClusterSettings } from "./cluster-settings.ts";

function withConfig(yaml: string, run: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "weir-config-"));
  try {
    const path = join(dir, "weir.yaml");
    writeFileSync(path, yaml);
    run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a flag wins over the environment, which wins over weir.yaml, which wins over the default", () => {
  withConfig(
    "jobmanager:\n  rest:\n    port: 9000\n  rpc-port: 7000\n  heartbeat:\n    timeout: 3000\n",
    (config) => {
      const all = ClusterSettings.load(
        "jobmanager",
        { config, "rest-port": "9200" },
        { WEIR_REST_PORT: "9100", WEIR_RPC_PORT: "7100" },
      );
      assert.equal(all.integer("jobmanager.rest.port", 0, 65535), 9200);
      assert.equal(all.integer("jobmanager.rpc-port", 0, 65535), 7100);
      assert.equal(all.integer("jobmanager.heartbeat.timeout", 1, 10_000), 3000);
      assert.equal(all.get("jobmanager.bind"), "127.0.0.1", "the documented default");
      const noFlag = ClusterSettings.load("jobmanager", { config }, { WEIR_REST_PORT: "9100" });
      assert.equal(noFlag.get("jobmanager.rest.port"), "9100");
      const fileOnly = ClusterSettings.load("jobmanager", { config }, {});
      assert.equal(fileOnly.get("jobmanager.rest.port"), "9000");
      assert.equal(fileOnly.get("jobmanager.rest.token"), undefined);
    },
  );
});

test("unknown keys and bad values are refused with the key and its sources", () => {
  withConfig("jobmanager:\n  rest:\n    prot: 9000\n", (config) => {
    assert.throws(
      () => ClusterSettings.load("jobmanager", { config }, {}),
      /weir\.yaml: unknown key "jobmanager\.rest\.prot"; known keys: /,
    );
  });
  withConfig("taskmanager:\n  slots: many\n", (config) => {
    const settings = ClusterSettings.load("taskmanager", { config }, {});
    assert.throws(
      () => settings.integer("taskmanager.slots", 1, 1024),
      /--slots \/ WEIR_SLOTS \/ taskmanager\.slots must be an integer from 1 to 1024, got "many"/,
    );
  });
  assert.throws(
    () => ClusterSettings.load("jobmanager", { config: "/nonexistent/weir.yaml" }, {}),
    /cannot read the configuration \/nonexistent\/weir\.yaml/,
  );
});
