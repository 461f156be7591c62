import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CheckpointFormatError } from "./checkpoint-format.ts";
import {
  type CheckpointMetadata,
  encodeCheckpointMetadata,
  parseCheckpointMetadata,
} from "./checkpoint-metadata.ts";

const text = (value: string) => new TextEncoder().encode(value);
const SHA = "a".repeat(64);

test("metadata round-trips", () => {
  const name = fc.stringMatching(/^[a-z0-9-]{1,8}(\/[a-z0-9-]{1,8}){0,2}$/);
  fc.assert(
    fc.property(
      fc.nat(),
      fc.uniqueArray(
        fc
          .record({ name, length: fc.nat(), sha256: fc.stringMatching(/^[0-9a-f]{64}$/) })
          .map((entry) => ({ ...entry })),
        {
          selector: (entry) => entry.name,
          maxLength: 5,
        },
      ),
      fc.uint8Array({ maxLength: 40 }),
      (checkpointId, objects, manifest) => {
        const metadata: CheckpointMetadata = { checkpointId, objects, manifest };
        assert.deepEqual(parseCheckpointMetadata(encodeCheckpointMetadata(metadata), "m"), metadata);
      },
    ),
  );
});

test("malformed metadata is rejected with what is wrong and where", () => {
  const valid = {
    version: 1,
    checkpointId: 3,
    objects: [{ name: "a", length: 1, sha256: SHA }],
    manifest: "",
  };
  const cases: [unknown, RegExp][] = [
    ["not json", /metadata is not UTF-8 JSON/],
    [[1], /not a JSON object/],
    [{ ...valid, checkpointId: -1 }, /checkpointId is not a non-negative integer/],
    [{ ...valid, checkpointId: 1.5 }, /checkpointId/],
    [{ ...valid, objects: {} }, /objects is not an array/],
    [{ ...valid, manifest: "!!" }, /manifest is not base64/],
    [{ ...valid, objects: [null] }, /objects\[0\] is not an object/],
    [
      { ...valid, objects: [{ name: "../x", length: 1, sha256: SHA }] },
      /objects\[0\]\.name "\.\.\/x" is not a valid/,
    ],
    [{ ...valid, objects: [valid.objects[0], valid.objects[0]] }, /objects\[1\]\.name "a" appears twice/],
    [{ ...valid, objects: [{ name: "a", length: "1", sha256: SHA }] }, /objects\[0\]\.length/],
    [{ ...valid, objects: [{ name: "a", length: 1, sha256: "ABC" }] }, /objects\[0\]\.sha256/],
  ];
  for (const [json, message] of cases) {
    const payload = text(typeof json === "string" ? json : JSON.stringify(json));
    assert.throws(
      () => parseCheckpointMetadata(payload, "chk-3/_metadata"),
      (error: unknown) =>
        error instanceof CheckpointFormatError &&
        error.problem === "invalid-metadata" &&
        error.message.startsWith('checkpoint file "chk-3/_metadata": ') &&
        message.test(error.message),
      String(message),
    );
  }
  assert.throws(() => parseCheckpointMetadata(new Uint8Array([0xff, 0xfe]), "m"), /not UTF-8 JSON/);
  assert.doesNotThrow(() => parseCheckpointMetadata(text(JSON.stringify(valid)), "m"));
});

test("an unknown metadata version is reported as unsupported, not as garbage", () => {
  const payload = text(JSON.stringify({ version: 2, somethingNew: true }));
  assert.throws(
    () => parseCheckpointMetadata(payload, "chk-3/_metadata"),
    (error: unknown) =>
      error instanceof CheckpointFormatError &&
      error.problem === "unsupported-version" &&
      /metadata version 2 is not supported \(this build reads 1\)/.test(error.message),
  );
});
