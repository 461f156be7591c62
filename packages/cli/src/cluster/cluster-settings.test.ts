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

test("job defaults: Flink's execution keys from weir.yaml, overridden by their variable and by --set", () => {
  withConfig(
    "execution:\n  checkpointing:\n    interval: 10 s\n    timeout: 2 min\nrestart-strategy:\n  type: fixed-delay\n  fixed-delay:\n    attempts: 3\n",
    (config) => {
      assert.deepEqual(ClusterSettings.load("jobmanager", { config }, {}).jobDefaults(), {
        checkpointing: { intervalMs: 10_000, timeoutMs: 120_000 },
        restartStrategy: { kind: "fixed-delay", attempts: 3, delayMs: 1_000 },
      });
      const overridden = ClusterSettings.load(
        "jobmanager",
        {
          config,
          set: ["restart-strategy.fixed-delay.attempts=5", "jobmanager.execution.failover-strategy=full"],
        },
        { WEIR_EXECUTION_CHECKPOINTING_INTERVAL: "500 ms", WEIR_RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS: "4" },
      ).jobDefaults();
      assert.deepEqual(overridden, {
        checkpointing: { intervalMs: 500, timeoutMs: 120_000 },
        restartStrategy: { kind: "fixed-delay", attempts: 5, delayMs: 1_000 },
        failoverStrategy: "full",
      });
    },
  );
  assert.deepEqual(ClusterSettings.load("jobmanager", {}, {}).jobDefaults(), {}, "none by default");
});

test("job defaults: bad keys and values are usage errors naming the key", () => {
  withConfig("execution.checkpointing.interval: often\n", (config) => {
    assert.throws(
      () => ClusterSettings.load("jobmanager", { config }, {}).jobDefaults(),
      /job default 'execution.checkpointing.interval' = 'often': expected a duration, .* \(from --set, WEIR_EXECUTION_CHECKPOINTING_INTERVAL or weir.yaml\)/,
    );
  });
  withConfig("execution.checkpointing.dir: /tmp/x\n", (config) => {
    assert.throws(
      () => ClusterSettings.load("jobmanager", { config }, {}),
      /unknown key "execution.checkpointing.dir"/,
    );
  });
  assert.throws(
    () => ClusterSettings.load("jobmanager", { set: ["pipeline.name=x"] }, {}).jobDefaults(),
    /--set pipeline.name: not a job default/,
  );
  assert.throws(
    () =>
      ClusterSettings.load(
        "jobmanager",
        { set: ["execution.checkpointing.mode=AT_LEAST_ONCE"] },
        {},
      ).jobDefaults(),
    /always EXACTLY_ONCE/,
  );
});

test("job defaults: the state backend's kind, never its directory (each TaskManager has its own)", () => {
  withConfig("state.backend.type: lmdb\n", (config) => {
    assert.deepEqual(ClusterSettings.load("jobmanager", { config }, {}).jobDefaults(), {
      stateBackend: { kind: "lmdb" },
    });
    assert.deepEqual(
      ClusterSettings.load("jobmanager", { config, set: ["state.backend.type=hashmap"] }, {}).jobDefaults(),
      { stateBackend: { kind: "heap" } },
      "--set wins over weir.yaml",
    );
  });
  withConfig("state.backend.lmdb.localdir: /tmp/x\n", (config) => {
    assert.throws(
      () => ClusterSettings.load("jobmanager", { config }, {}),
      /unknown key "state.backend.lmdb.localdir"/,
    );
  });
  assert.throws(
    () => ClusterSettings.load("jobmanager", { set: ["state.backend.type=rocks"] }, {}).jobDefaults(),
    /job default 'state.backend.type': unknown state backend "rocks"/,
  );
});
