import assert from "node:assert/strict";
import { test } from "node:test";
import { parseYamlSubset } from "./yaml-subset.ts";

test("nested mappings flatten to dotted keys with typed scalars", () => {
  const parsed = parseYamlSubset(
    [
      "# Weir",
      "jobmanager:",
      "  rpc-port: 6123   # RPC",
      "  rest:",
      "    bind: '0.0.0.0'",
      '    token: "a#b \\" c"',
      "    enabled: true",
      "  checkpoint-dir: /var/lib/weir # comment",
      "taskmanager:",
      "  slots: 4",
      "  bind: ~",
      "",
    ].join("\n"),
    "weir.yaml",
  );
  assert.deepEqual(Object.fromEntries(parsed), {
    "jobmanager.rpc-port": 6123,
    "jobmanager.rest.bind": "0.0.0.0",
    "jobmanager.rest.token": 'a#b " c',
    "jobmanager.rest.enabled": true,
    "jobmanager.checkpoint-dir": "/var/lib/weir",
    "taskmanager.slots": 4,
    "taskmanager.bind": null,
  });
});

test("unsupported or malformed YAML is refused with file, line and column", () => {
  const cases: [string, RegExp][] = [
    ["a:\n  - 1", /weir\.yaml:2:\d+: only scalars are supported/],
    ["a:\n\tb: 1", /weir\.yaml:2: tabs are not allowed/],
    ["a:\n    b: 1\n  c: 2", /weir\.yaml:3:3: indentation does not match/],
    ["a: 1\na: 2", /weir\.yaml:2: duplicate key "a"/],
    ["a:", /weir\.yaml:1: "a" has no value and no nested keys/],
    ["just text", /weir\.yaml:1:1: expected "key: value"/],
    ['a: "open', /weir\.yaml:1:4: malformed double-quoted string/],
  ];
  for (const [source, error] of cases)
    assert.throws(() => parseYamlSubset(source, "weir.yaml"), error, source);
});
